"""Stand-in for Google Cloud DNS v1 and Google's OAuth token endpoint (tests only).

Follows:
  - https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests :
    POST /token, form-encoded grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and
    assertion=<JWT>; the JWT's RS256 signature is verified with the service account's public key
    (the openssl tool), and its iss, aud (this endpoint), scope, iat and exp are checked; errors
    {"error": "invalid_grant", "error_description": ...};
  - https://cloud.google.com/dns/docs/reference/rest/v1 : managedZones.list, resourceRecordSets
    .list (name and type filters), changes.create (deletions must match the set exactly: 412
    conditionNotMet; an addition over an existing set: 409 alreadyExists; applied atomically),
    changes.get (pending, then done); errors {"error": {"code", "message", "errors": [{"reason",
    "message", "domain"}]}}.

Config: "project"; principals are service accounts ({"clientEmail", "publicKeyPem"}) with "edit"
the zones where they hold DNS Administrator.
"""

import base64
import json
import os
import secrets
import subprocess
import tempfile
import time
import urllib.parse

import standin
from standin import ApiError, absolute

SCOPE = "https://www.googleapis.com/auth/ndev.clouddns.readwrite"
NAME_SERVERS = ["ns-cloud-a1.googledomains.com.", "ns-cloud-a2.googledomains.com."]
REASONS = {400: "invalid", 401: "authError", 403: "forbidden", 404: "notFound",
           409: "alreadyExists", 412: "conditionNotMet", 429: "rateLimitExceeded"}


def b64decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def zone_name(zone):
    return zone.rstrip(".").replace(".", "-")


class GoogleDns(standin.Provider):
    def __init__(self, state, config):
        super().__init__(state, config)
        self.project = config.get("project", "my-project")
        # Seconds a token lives (Google's are an hour); a test shortens it to see renewal.
        self.token_lifetime = int(config.get("tokenLifetime", 3599))
        self.tokens = {}
        self.changes = {}

    def error(self, error):
        if error.code and error.code.startswith("oauth:"):
            body = {"error": error.code[6:], "error_description": error.message}
        else:
            reason = error.code or REASONS.get(error.status, "backendError")
            body = {"error": {"code": error.status, "message": error.message,
                              "errors": [{"message": error.message, "domain": "global",
                                          "reason": reason}]}}
        return json.dumps(body).encode(), "application/json"

    def handle(self, request):
        if request.path == "/token":
            if request.method != "POST":
                raise ApiError(405, "POST only", "oauth:invalid_request")
            return self.issue_token(request)
        who = self.principal(request)
        parts = [p for p in request.path.split("/") if p]
        if parts[:4] != ["dns", "v1", "projects", self.project]:
            raise ApiError(404, "The requested project was not found.", "notFound")
        rest = parts[4:]
        if rest == ["managedZones"] and request.method == "GET":
            zones = [{"kind": "dns#managedZone", "name": zone_name(z), "dnsName": z,
                      "nameServers": NAME_SERVERS, "visibility": "public"}
                     for z in sorted(self.state.zones) if who.can_read(z)]
            return 200, {"managedZones": zones}, {}
        if len(rest) >= 3 and rest[0] == "managedZones":
            zone = next((z for z in self.state.zones if zone_name(z) == rest[1]), None)
            if zone is None or not who.can_read(zone):
                raise ApiError(404, "The 'parameters.managedZone' resource named '%s' does not "
                                    "exist." % rest[1], "notFound")
            if rest[2:] == ["rrsets"] and request.method == "GET":
                return self.list_sets(request, zone)
            if rest[2:] == ["changes"] and request.method == "POST":
                return self.create_change(request, zone, who)
            if len(rest) == 4 and rest[2] == "changes" and request.method == "GET":
                return self.get_change(rest[3])
        raise ApiError(404, "Not Found", "notFound")

    # -- the token endpoint --------------------------------------------------------------------
    def issue_token(self, request):
        form = dict(urllib.parse.parse_qsl(request.body.decode()))
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            raise ApiError(400, "Invalid grant_type: %s" % form.get("grant_type"),
                           "oauth:unsupported_grant_type")
        parts = form.get("assertion", "").split(".")
        if len(parts) != 3:
            raise ApiError(400, "Invalid JWT: Token must be a short-lived token and in a "
                                "reasonable timeframe", "oauth:invalid_grant")
        try:
            header, claims = json.loads(b64decode(parts[0])), json.loads(b64decode(parts[1]))
        except ValueError:
            raise ApiError(400, "Invalid JWT", "oauth:invalid_grant")
        if header.get("alg") != "RS256":
            raise ApiError(400, "Invalid JWT: alg must be RS256", "oauth:invalid_grant")
        who = next((p for p in self.state.principals.values()
                    if p.spec.get("clientEmail") == claims.get("iss")), None)
        if who is None:
            raise ApiError(400, "Invalid grant: account not found", "oauth:invalid_grant")
        if not self.verified(who, (parts[0] + "." + parts[1]).encode(), b64decode(parts[2])):
            raise ApiError(400, "Invalid JWT Signature.", "oauth:invalid_grant")
        now = time.time()
        audience = "https://%s/token" % request.host
        if claims.get("aud") != audience or claims.get("scope") != SCOPE:
            raise ApiError(400, "Invalid JWT: aud must be %s and scope %s" % (audience, SCOPE),
                           "oauth:invalid_grant")
        if not (claims.get("iat", 0) - 300 <= now <= claims.get("exp", 0)) or \
                claims.get("exp", 0) - claims.get("iat", 0) > 3600:
            raise ApiError(400, "Invalid JWT: Token must be a short-lived token (60 minutes) and "
                                "in a reasonable timeframe.", "oauth:invalid_grant")
        token = "ya29." + secrets.token_urlsafe(32)
        with self.state.lock:
            self.tokens[token] = (who, now + self.token_lifetime)
        return 200, {"access_token": token, "expires_in": self.token_lifetime,
                     "token_type": "Bearer"}, {}

    def verified(self, who, signed, signature):
        with tempfile.TemporaryDirectory() as d:
            key, sig = os.path.join(d, "key.pem"), os.path.join(d, "sig")
            with open(key, "w") as f:
                f.write(who.spec["publicKeyPem"])
            with open(sig, "wb") as f:
                f.write(signature)
            done = subprocess.run(["openssl", "dgst", "-sha256", "-verify", key, "-signature",
                                   sig], input=signed, capture_output=True)
            return done.returncode == 0

    def principal(self, request):
        header = request.headers.get("Authorization", "")
        entry = self.tokens.get(header[7:]) if header.startswith("Bearer ") else None
        if entry is None or entry[1] < time.time():
            raise ApiError(401, "Request had invalid authentication credentials. Expected OAuth "
                                "2 access token.", "authError")
        return entry[0]

    # -- Cloud DNS ------------------------------------------------------------------------------
    def set_json(self, name):
        with self.state.lock:
            records = self.state.records.get(name, [])
            return {"kind": "dns#resourceRecordSet", "name": name, "type": "TXT",
                    "ttl": records[0]["ttl"],
                    "rrdatas": ['"%s"' % r["value"] for r in records]} if records else None

    def list_sets(self, request, zone):
        with self.state.lock:
            names = sorted(n for n, rs in self.state.records.items()
                           if rs and self.state.zone_of(n) == zone)
        if request.arg("name"):
            names = [n for n in names if n == absolute(request.arg("name"))]
        if request.arg("type") not in (None, "TXT"):
            names = []
        return 200, {"kind": "dns#resourceRecordSetsListResponse",
                     "rrsets": [self.set_json(n) for n in names]}, {}

    def parse(self, rrset, zone):
        if not isinstance(rrset, dict) or set(rrset) - {"kind", "name", "type", "ttl", "rrdatas"}:
            raise ApiError(400, "Invalid value for 'entity.change.additions[0]'", "invalid")
        name = absolute(rrset.get("name", ""))
        if not rrset.get("name", "").endswith(".") or self.state.zone_of(name) != zone:
            raise ApiError(400, "The resource record set name '%s' is not within the managed "
                                "zone '%s' (names end with a dot)." % (rrset.get("name"), zone),
                           "invalidRecordName")
        datas = rrset.get("rrdatas")
        if rrset.get("type") != "TXT" or not isinstance(rrset.get("ttl"), int) or \
                not isinstance(datas, list) or not datas:
            raise ApiError(400, "A TXT set needs a ttl and rrdatas", "invalid")
        values = []
        for d in datas:
            if not isinstance(d, str) or len(d) < 2 or d[0] != '"' or d[-1] != '"':
                raise ApiError(400, "Invalid value for 'entity.change.additions[0].rrdata': "
                                    "'%s'" % d, "invalidRecordData")
            values.append(d[1:-1])
        return name, rrset["ttl"], values

    def create_change(self, request, zone, who):
        if not who.can_edit(zone):
            raise ApiError(403, "Forbidden: %s lacks dns.changes.create on managed zone %s"
                           % (who.spec["clientEmail"], zone_name(zone)), "forbidden")
        body = request.json()
        if not isinstance(body, dict) or set(body) - {"kind", "additions", "deletions"}:
            raise ApiError(400, "Invalid change", "invalid")
        with self.state.lock:
            pending = {}
            for rrset in body.get("deletions", []):
                name, ttl, values = self.parse(rrset, zone)
                current = self.set_json(name)
                if current is None or current["ttl"] != ttl or \
                        sorted(current["rrdatas"]) != sorted('"%s"' % v for v in values):
                    raise ApiError(412, "Precondition not met for 'entity.change.deletions[0]'",
                                   "conditionNotMet")
                pending[name] = None
            for rrset in body.get("additions", []):
                name, ttl, values = self.parse(rrset, zone)
                if self.set_json(name) is not None and name not in pending:
                    raise ApiError(409, "The resource 'entity.change.additions[0]' named '%s "
                                        "(TXT)' already exists" % name, "alreadyExists")
                pending[name] = (values, ttl)
            for name, new in pending.items():
                self.state.put(name, new[0] if new else [], new[1] if new else 60)
            cid = str(len(self.changes) + 1)
            self.changes[cid] = 1
        return 200, {"kind": "dns#change", "id": cid, "status": "pending",
                     "startTime": "2026-01-01T00:00:00.000Z"}, {}

    def get_change(self, cid):
        with self.state.lock:
            if cid not in self.changes:
                raise ApiError(404, "The 'parameters.changeId' resource named '%s' does not "
                                    "exist." % cid, "notFound")
            left = self.changes[cid]
            self.changes[cid] = max(0, left - 1)
        return 200, {"kind": "dns#change", "id": cid,
                     "status": "pending" if left > 0 else "done"}, {}


if __name__ == "__main__":
    standin.main(GoogleDns)
