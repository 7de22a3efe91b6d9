"""Stand-in for DigitalOcean's API v2, domains and domain records (tests only).

Follows https://docs.digitalocean.com/reference/api/api-reference/#tag/Domains and
https://docs.digitalocean.com/reference/api/api-reference/#tag/Domain-Records : List All
Domains, List All Domain Records (filtered by "type" and the fully qualified "name"), Create a
New Domain Record (names relative to the domain, "@" for the apex; TTL at least 30), Delete a
Domain Record (204). Authentication is "Authorization: Bearer <token>"; errors are
{"id": "...", "message": "..."} (https://docs.digitalocean.com/reference/api/api-reference/#section/Introduction/Responses).

Config: principals are personal access tokens ("secret"); a token reads the domains in "read"
and changes records in those in "edit" (a token without write scopes has "edit": []).
"""

import json

import standin
from standin import ApiError, absolute

RECORD_KEYS = {"type", "name", "data", "priority", "port", "ttl", "weight", "flags", "tag"}
NAME_SERVERS = ["ns1.digitalocean.com", "ns2.digitalocean.com", "ns3.digitalocean.com"]
ERROR_IDS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
             422: "unprocessable_entity", 429: "too_many_requests", 500: "server_error"}


def bare(name):
    return name[:-1] if name.endswith(".") else name


class DigitalOcean(standin.Provider):
    def error(self, error):
        body = {"id": error.code or ERROR_IDS.get(error.status, "error"), "message": error.message}
        return json.dumps(body).encode(), "application/json"

    def principal(self, request):
        header = request.headers.get("Authorization", "")
        for p in self.state.principals.values():
            if header == "Bearer " + p.secret:
                return p
        raise ApiError(401, "Unable to authenticate you")

    def domain(self, name, who):
        zone = absolute(name)
        if zone not in self.state.zones or not who.can_read(zone):
            raise ApiError(404, "The resource you were accessing could not be found.")
        return zone

    def record_json(self, zone, name, r):
        relative = "@" if name == zone else name[:-len(zone) - 1]
        return {"id": int(r["id"], 16), "type": "TXT", "name": relative, "data": r["value"],
                "priority": None, "port": None, "ttl": r["ttl"], "weight": None, "flags": None,
                "tag": None}

    def handle(self, request):
        who = self.principal(request)
        parts = [p for p in request.path.split("/") if p]
        if parts[:2] != ["v2", "domains"]:
            raise ApiError(404, "The resource you were accessing could not be found.")
        parts = parts[2:]
        if not parts and request.method == "GET":
            return self.list_domains(request, who)
        if len(parts) == 2 and parts[1] == "records":
            zone = self.domain(parts[0], who)
            if request.method == "GET":
                return self.list_records(request, zone)
            if request.method == "POST":
                return self.create_record(request, zone, who)
        if len(parts) == 3 and parts[1] == "records" and request.method == "DELETE":
            return self.delete_record(self.domain(parts[0], who), parts[2], who)
        raise ApiError(404, "The resource you were accessing could not be found.")

    def list_domains(self, request, who):
        per_page = int(request.arg("per_page", "20"))
        page = int(request.arg("page", "1"))
        if not 1 <= per_page <= 200 or page < 1:
            raise ApiError(400, "per_page must be between 1 and 200")
        zones = [z for z in sorted(self.state.zones) if who.can_read(z)]
        shown = zones[(page - 1) * per_page:page * per_page]
        return 200, {"domains": [{"name": bare(z), "ttl": 1800, "zone_file": ""} for z in shown],
                     "links": {}, "meta": {"total": len(zones)}}, {}

    def list_records(self, request, zone):
        kind = request.arg("type")
        name = request.arg("name")
        if name is not None and kind is None:
            raise ApiError(400, "type is required when filtering by name")
        records = []
        if kind in (None, "NS") and (name is None or absolute(name) == zone):
            records += [{"id": 1000 + i, "type": "NS", "name": "@", "data": ns, "ttl": 1800}
                        for i, ns in enumerate(NAME_SERVERS)]
        if kind in (None, "TXT"):
            with self.state.lock:
                for n, rs in self.state.records.items():
                    if self.state.zone_of(n) == zone and (name is None or absolute(name) == n):
                        records += [self.record_json(zone, n, r) for r in rs]
        return 200, {"domain_records": records, "links": {},
                     "meta": {"total": len(records)}}, {}

    def create_record(self, request, zone, who):
        if not who.can_edit(zone):
            raise ApiError(403, "You are not authorized to perform this operation")
        body = request.json()
        unknown = set(body) - RECORD_KEYS
        if unknown:
            raise ApiError(422, "Unknown attributes: %s" % ", ".join(sorted(unknown)))
        if body.get("type") != "TXT":
            raise ApiError(422, "This stand-in only creates TXT records")
        relative = body.get("name", "")
        if not relative or relative.endswith(".") or relative.endswith(bare(zone)):
            # DigitalOcean would make "<name>.<domain>" of a full name: callers send it relative.
            raise ApiError(422, "Name must be relative to the domain, or @")
        name = zone if relative == "@" else absolute(relative + "." + zone)
        data = body.get("data")
        if not isinstance(data, str) or not data:
            raise ApiError(422, "Data needs to be set")
        ttl = body.get("ttl", 1800)
        if not isinstance(ttl, int) or ttl < 30:
            raise ApiError(422, "TTL must be at least 30 seconds")
        record = self.state.add(name, data, ttl)
        return 201, {"domain_record": self.record_json(zone, name, record)}, {}

    def delete_record(self, zone, record_id, who):
        if not who.can_edit(zone):
            raise ApiError(403, "You are not authorized to perform this operation")
        try:
            key = "%032x" % int(record_id)
        except ValueError:
            raise ApiError(404, "The resource you were accessing could not be found.")
        name, record = self.state.find(key)
        if record is None or self.state.zone_of(name) != zone:
            raise ApiError(404, "The resource you were accessing could not be found.")
        self.state.remove(name, key)
        return 204, b"", {}


if __name__ == "__main__":
    standin.main(DigitalOcean)
