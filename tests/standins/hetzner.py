"""Stand-in for the Hetzner DNS Console API (tests only).

Follows https://dns.hetzner.com/api-docs : Zones (Get All Zones, with "name" search and
"meta.pagination"), Records (Get All Records by "zone_id", Create Record, Delete Record).
Authentication is the "Auth-API-Token" header; errors are {"error": {"message", "code"}}, and
{"message": "Invalid authentication credentials"} for a token the API does not know.

Config: principals are API tokens ("secret"). A Hetzner token may do everything in the zones of
its account and sees no other zone: "read" and "edit" name the same zones.
"""

import json

import standin
from standin import ApiError, absolute

RECORD_KEYS = {"zone_id", "type", "name", "value", "ttl"}
NAME_SERVERS = ["hydrogen.ns.hetzner.com", "oxygen.ns.hetzner.com", "helium.ns.hetzner.de"]


def bare(name):
    return name[:-1] if name.endswith(".") else name


def zone_id(zone):
    return "zone" + "".join("%02x" % ord(c) for c in zone)[:20]


class Hetzner(standin.Provider):
    def error(self, error):
        if error.status == 401:
            body = {"message": error.message}
        else:
            body = {"error": {"message": error.message, "code": error.status}}
        return json.dumps(body).encode(), "application/json"

    def principal(self, request):
        token = request.headers.get("Auth-API-Token", "")
        for p in self.state.principals.values():
            if token and token == p.secret:
                return p
        raise ApiError(401, "Invalid authentication credentials")

    def zone_json(self, zone):
        return {"id": zone_id(zone), "name": bare(zone), "ttl": 86400, "ns": NAME_SERVERS,
                "status": "verified", "records_count": 2, "is_secondary_dns": False}

    def zone_by_id(self, zid, who):
        for z in self.state.zones:
            if zone_id(z) == zid and who.can_read(z):
                return z
        raise ApiError(404, "zone not found")

    def record_json(self, zone, name, r):
        relative = "@" if name == zone else name[:-len(zone) - 1]
        return {"id": r["id"], "type": "TXT", "name": relative, "value": r["value"],
                "ttl": r["ttl"], "zone_id": zone_id(zone), "created": "2026-01-01 00:00:00 +0000 UTC",
                "modified": "2026-01-01 00:00:00 +0000 UTC"}

    def handle(self, request):
        who = self.principal(request)
        parts = [p for p in request.path.split("/") if p]
        if parts[:2] != ["api", "v1"]:
            raise ApiError(404, "not found")
        parts = parts[2:]
        if parts == ["zones"] and request.method == "GET":
            return self.list_zones(request, who)
        if parts == ["records"] and request.method == "GET":
            return self.list_records(request, who)
        if parts == ["records"] and request.method == "POST":
            return self.create_record(request, who)
        if len(parts) == 2 and parts[0] == "records" and request.method == "DELETE":
            return self.delete_record(parts[1], who)
        raise ApiError(404, "not found")

    def list_zones(self, request, who):
        per_page = int(request.arg("per_page", "100"))
        page = int(request.arg("page", "1"))
        if not 1 <= per_page <= 100 or page < 1:
            raise ApiError(422, "invalid pagination")
        zones = [z for z in sorted(self.state.zones) if who.can_read(z)]
        if request.arg("name") is not None:
            zones = [z for z in zones if z == absolute(request.arg("name"))]
            if not zones:
                raise ApiError(404, "zone not found")
        last = max(1, (len(zones) + per_page - 1) // per_page)
        shown = zones[(page - 1) * per_page:page * per_page]
        return 200, {"zones": [self.zone_json(z) for z in shown],
                     "meta": {"pagination": {"page": page, "per_page": per_page,
                                             "previous_page": max(1, page - 1),
                                             "next_page": min(last, page + 1), "last_page": last,
                                             "total_entries": len(zones)}}}, {}

    def list_records(self, request, who):
        zone = self.zone_by_id(request.arg("zone_id", ""), who)
        records = [{"id": "ns%d" % i, "type": "NS", "name": "@", "value": ns + ".", "ttl": 86400,
                    "zone_id": zone_id(zone)} for i, ns in enumerate(NAME_SERVERS)]
        with self.state.lock:
            for n, rs in self.state.records.items():
                if self.state.zone_of(n) == zone:
                    records += [self.record_json(zone, n, r) for r in rs]
        return 200, {"records": records}, {}

    def create_record(self, request, who):
        body = request.json()
        unknown = set(body) - RECORD_KEYS
        if unknown:
            raise ApiError(422, "unknown fields: %s" % ", ".join(sorted(unknown)))
        for key in ("zone_id", "type", "name", "value"):
            if not isinstance(body.get(key), str) or not body[key]:
                raise ApiError(422, "%s: must not be empty" % key)
        zone = self.zone_by_id(body["zone_id"], who)
        if body["type"] != "TXT":
            raise ApiError(422, "this stand-in only creates TXT records")
        relative = body["name"]
        if relative.endswith(".") or relative.endswith(bare(zone)):
            raise ApiError(422, "name must be relative to the zone")
        name = zone if relative == "@" else absolute(relative + "." + zone)
        ttl = body.get("ttl", 86400)
        if not isinstance(ttl, int) or ttl < 1:
            raise ApiError(422, "ttl: must be a positive number")
        record = self.state.add(name, body["value"], ttl)
        return 200, {"record": self.record_json(zone, name, record)}, {}

    def delete_record(self, record_id, who):
        name, record = self.state.find(record_id)
        if record is None or not who.can_edit(self.state.zone_of(name)):
            raise ApiError(404, "record not found")
        self.state.remove(name, record_id)
        return 200, b"", {}


if __name__ == "__main__":
    standin.main(Hetzner)
