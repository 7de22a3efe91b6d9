"""Stand-in for an acme-dns server's HTTP API (tests only).

Follows https://github.com/joohoi/acme-dns#api (README "API": "Register endpoint", "Update
endpoint", "Health check endpoint") and its handlers (api.go): POST /register with an optional
{"allowfrom": [CIDR...]} answers 201 with username, password, fulldomain, subdomain and
allowfrom; POST /update needs X-Api-User and X-Api-Key of a registration, a body
{"subdomain", "txt"} with the registration's own subdomain and a 43-character value, and
answers {"txt": value}; the registration keeps its two latest values. Errors are
{"error": "forbidden" | "bad_txt" | "bad_subdomain" | "malformed_json_payload" | ...}.

Config: "domain" (the server's own zone, e.g. "auth.acme-dns.test"); "principals" are
registrations made beforehand ({"username", "secret": the key, "subdomain"}).
"""

import ipaddress
import json
import re
import secrets
import uuid

import standin
from standin import ApiError, absolute

TXT = re.compile(r"^[A-Za-z0-9_-]{43}$")


class AcmeDns(standin.Provider):
    def __init__(self, state, config):
        super().__init__(state, config)
        self.domain = config.get("domain", "auth.acme-dns.test").rstrip(".")
        self.accounts = {}
        for p in state.principals.values():
            self.accounts[p.spec["username"]] = {"password": p.secret,
                                                 "subdomain": p.spec["subdomain"],
                                                 "allowfrom": p.spec.get("allowfrom", [])}

    def error(self, error):
        return json.dumps({"error": error.message}).encode(), "application/json"

    def handle(self, request):
        if request.path == "/health" and request.method == "GET":
            return 200, b"", {}
        if request.path == "/register" and request.method == "POST":
            return self.register(request)
        if request.path == "/update" and request.method == "POST":
            return self.update(request)
        raise ApiError(404, "not_found")

    def register(self, request):
        allowfrom = []
        if request.body:
            try:
                body = json.loads(request.body)
            except ValueError:
                raise ApiError(400, "malformed_json_payload")
            allowfrom = body.get("allowfrom", [])
            if set(body) - {"allowfrom"} or not isinstance(allowfrom, list):
                raise ApiError(400, "malformed_json_payload")
            for cidr in allowfrom:
                try:
                    ipaddress.ip_network(cidr, strict=False)
                except ValueError:
                    raise ApiError(400, "invalid_allowfrom_cidr")
        username, subdomain = str(uuid.uuid4()), str(uuid.uuid4())
        password = secrets.token_urlsafe(30)[:40]
        with self.state.lock:
            self.accounts[username] = {"password": password, "subdomain": subdomain,
                                       "allowfrom": allowfrom}
        return 201, {"username": username, "password": password, "subdomain": subdomain,
                     "fulldomain": "%s.%s" % (subdomain, self.domain),
                     "allowfrom": allowfrom}, {}

    def update(self, request):
        user = request.headers.get("X-Api-User", "")
        key = request.headers.get("X-Api-Key", "")
        account = self.accounts.get(user)
        if not account or not key or account["password"] != key:
            raise ApiError(401, "forbidden")
        if account["allowfrom"] and not any(
                ipaddress.ip_address("127.0.0.1") in ipaddress.ip_network(c, strict=False)
                for c in account["allowfrom"]):
            raise ApiError(401, "forbidden")
        try:
            body = json.loads(request.body)
        except ValueError:
            raise ApiError(400, "malformed_json_payload")
        if not isinstance(body, dict) or set(body) != {"subdomain", "txt"}:
            raise ApiError(400, "malformed_json_payload")
        try:
            uuid.UUID(body["subdomain"])
        except (ValueError, AttributeError, TypeError):
            raise ApiError(400, "bad_subdomain")
        if body["subdomain"] != account["subdomain"]:
            raise ApiError(401, "forbidden")
        if not isinstance(body["txt"], str) or not TXT.match(body["txt"]):
            raise ApiError(400, "bad_txt")
        name = absolute("%s.%s" % (account["subdomain"], self.domain))
        with self.state.lock:
            self.state.put(name, (self.state.values(name) + [body["txt"]])[-2:])
        return 200, {"txt": body["txt"]}, {}


if __name__ == "__main__":
    standin.main(AcmeDns)
