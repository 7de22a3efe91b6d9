"""Stand-in for Cloudflare's API v4 (tests only).

Follows https://developers.cloudflare.com/api/ : "Zones" (List Zones,
https://developers.cloudflare.com/api/resources/zones/methods/list/) and "DNS Records for a
Zone" (List, Create, Delete:
https://developers.cloudflare.com/api/resources/dns/subresources/records/), with API tokens sent
as "Authorization: Bearer <token>" (https://developers.cloudflare.com/fundamentals/api/get-started/create-token/).
Answers use Cloudflare's envelope {"success", "errors": [{"code", "message"}], "messages",
"result", "result_info"}; a zone lists the token's "permissions" on it.

Config: principals are API tokens ("secret"); a token reads the zones in "read" and edits the
DNS records of the zones in "edit".
"""

import hashlib
import json

import standin
from standin import ApiError, absolute

NAME_SERVERS = ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"]
RECORD_KEYS = {"type", "name", "content", "ttl", "comment", "proxied", "tags"}


def zone_id(zone):
    return hashlib.sha1(zone.encode()).hexdigest()[:32]


def bare(name):
    return name[:-1] if name.endswith(".") else name


class Cloudflare(standin.Provider):
    def error(self, error):
        code = error.code or {400: 1004, 401: 9109, 403: 10000, 404: 7003, 429: 971}.get(
            error.status, 1000)
        body = {"success": False, "errors": [{"code": code, "message": error.message}],
                "messages": [], "result": None}
        return json.dumps(body).encode(), "application/json"

    def principal(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or len(header) < 8:
            raise ApiError(400, "Invalid request headers", 6003)
        token = header[7:]
        for p in self.state.principals.values():
            if p.secret == token:
                return p
        raise ApiError(401, "Invalid access token", 9109)

    def envelope(self, result, info=None):
        body = {"success": True, "errors": [], "messages": [], "result": result}
        if info:
            body["result_info"] = info
        return 200, body, {}

    def zone_json(self, zone, who):
        rights = ["#zone:read", "#dns_records:read"]
        if who.can_edit(zone):
            rights.append("#dns_records:edit")
        return {"id": zone_id(zone), "name": bare(zone), "status": "active",
                "name_servers": NAME_SERVERS, "permissions": rights}

    def zone_for(self, zid, who):
        for z in self.state.zones:
            if zone_id(z) == zid:
                if not who.can_read(z):
                    raise ApiError(403, "Authentication error", 10000)
                return z
        raise ApiError(400, "Could not route to /zones/%s/dns_records, perhaps your object "
                            "identifier is invalid?" % zid, 7003)

    def record_json(self, zone, name, r):
        return {"id": r["id"], "zone_id": zone_id(zone), "zone_name": bare(zone),
                "name": bare(name), "type": "TXT", "content": r["value"], "ttl": r["ttl"],
                "proxiable": False, "proxied": False}

    def handle(self, request):
        who = self.principal(request)
        parts = [p for p in request.path.split("/") if p]
        if parts[:2] != ["client", "v4"]:
            raise ApiError(404, "No route for that URI", 7000)
        parts = parts[2:]
        if parts == ["zones"] and request.method == "GET":
            return self.list_zones(request, who)
        if len(parts) == 3 and parts[0] == "zones" and parts[2] == "dns_records":
            zone = self.zone_for(parts[1], who)
            if request.method == "GET":
                return self.list_records(request, zone)
            if request.method == "POST":
                return self.create_record(request, zone, who)
        if len(parts) == 4 and parts[0] == "zones" and parts[2] == "dns_records":
            zone = self.zone_for(parts[1], who)
            if request.method == "DELETE":
                return self.delete_record(zone, parts[3], who)
        if parts and parts[0] == "zones":
            raise ApiError(405, "Method not allowed", 10405)
        raise ApiError(404, "No route for that URI", 7000)

    def list_zones(self, request, who):
        per_page = int(request.arg("per_page", "20"))
        page = int(request.arg("page", "1"))
        if not 5 <= per_page <= 50 or page < 1:
            raise ApiError(400, "Invalid pagination parameters", 1004)
        zones = [z for z in sorted(self.state.zones) if who.can_read(z)]
        if request.arg("name"):
            zones = [z for z in zones if z == absolute(request.arg("name"))]
        pages = max(1, (len(zones) + per_page - 1) // per_page)
        shown = zones[(page - 1) * per_page:page * per_page]
        return self.envelope([self.zone_json(z, who) for z in shown],
                             {"page": page, "per_page": per_page, "count": len(shown),
                              "total_count": len(zones), "total_pages": pages})

    def list_records(self, request, zone):
        if request.arg("type") not in (None, "TXT"):
            return self.envelope([], {"page": 1, "per_page": 100, "count": 0, "total_count": 0})
        with self.state.lock:
            found = [(n, r) for n, rs in self.state.records.items() for r in rs
                     if self.state.zone_of(n) == zone]
        if request.arg("name") is not None:
            found = [(n, r) for n, r in found if n == absolute(request.arg("name"))]
        result = [self.record_json(zone, n, r) for n, r in found]
        return self.envelope(result, {"page": 1, "per_page": 100, "count": len(result),
                                      "total_count": len(result), "total_pages": 1})

    def create_record(self, request, zone, who):
        if not who.can_edit(zone):
            raise ApiError(403, "Authentication error", 10000)
        body = request.json()
        unknown = set(body) - RECORD_KEYS
        if unknown:
            raise ApiError(400, "Unknown fields: %s" % ", ".join(sorted(unknown)), 1004)
        if body.get("type") != "TXT":
            raise ApiError(400, "This stand-in only creates TXT records", 1004)
        name = absolute(body.get("name", ""))
        if self.state.zone_of(name) != zone:
            raise ApiError(400, "DNS record name is not within the zone %s" % bare(zone), 9007)
        content = body.get("content")
        if not isinstance(content, str) or not content or len(content) > 2048:
            raise ApiError(400, "Content for TXT record is invalid.", 9009)
        ttl = body.get("ttl", 1)
        if not isinstance(ttl, int) or not (ttl == 1 or 60 <= ttl <= 86400):
            raise ApiError(400, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for "
                                "Automatic.", 9021)
        if len(body.get("comment", "")) > 100:
            raise ApiError(400, "Comment is longer than 100 characters", 9101)
        if content in self.state.values(name):
            raise ApiError(400, "An identical record already exists.", 81058)
        record = self.state.add(name, content, ttl)
        return self.envelope(self.record_json(zone, name, record))

    def delete_record(self, zone, record_id, who):
        if not who.can_edit(zone):
            raise ApiError(403, "Authentication error", 10000)
        name, record = self.state.find(record_id)
        if record is None or self.state.zone_of(name) != zone:
            raise ApiError(404, "Record does not exist.", 81044)
        self.state.remove(name, record_id)
        return self.envelope({"id": record_id})


if __name__ == "__main__":
    standin.main(Cloudflare)
