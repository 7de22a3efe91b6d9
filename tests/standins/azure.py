"""Stand-in for Azure DNS on Azure Resource Manager and Microsoft Entra ID's token service
(tests only).

Follows:
  - https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow :
    POST /{tenant}/oauth2/v2.0/token, form-encoded grant_type=client_credentials, client_id,
    client_secret and scope "<Resource Manager>/.default" (checked against this server's own
    address, as the audience); errors {"error", "error_description": "AADSTS..."};
  - https://learn.microsoft.com/rest/api/dns/ (api-version 2018-05-01): Zones - List (by
    subscription or resource group, "nextLink"), Record Sets - Get / Create Or Update / Delete
    for TXT, with etags: If-Match and If-None-Match: * are honoured (412 PreconditionFailed);
    errors {"error": {"code", "message"}}; a token it did not issue is 401
    InvalidAuthenticationToken, a missing role is 403 AuthorizationFailed.

Config: "subscription", "resourceGroup" (every zone lives there); principals are app
registrations ({"tenant", "clientId", "secret"}), with "edit" the zones where they hold DNS Zone
Contributor.
"""

import hashlib
import json
import secrets
import time
import urllib.parse

import standin
from standin import ApiError, absolute

API_VERSION = "2018-05-01"
NAME_SERVERS = ["ns1-01.azure-dns.com.", "ns2-01.azure-dns.net."]
RECORD_PROPERTIES = {"TTL", "TXTRecords", "metadata"}


class Azure(standin.Provider):
    def __init__(self, state, config):
        super().__init__(state, config)
        self.subscription = config.get("subscription", "00000000-0000-0000-0000-000000000000")
        self.group = config.get("resourceGroup", "dns-rg")
        # Seconds a token lives (Entra ID's are about an hour); a test shortens it to see renewal.
        self.token_lifetime = int(config.get("tokenLifetime", 3599))
        self.tokens = {}  # access token -> (principal, expiry)

    def error(self, error):
        if error.code and error.code.startswith("oauth:"):
            body = {"error": error.code[6:], "error_description": error.message + "\r\nTrace ID: "
                    "00000000-0000-0000-0000-000000000000", "error_codes": [7000215]}
        else:
            code = error.code or {400: "BadRequest", 401: "InvalidAuthenticationToken",
                                  403: "AuthorizationFailed", 404: "NotFound",
                                  429: "TooManyRequests"}.get(error.status, "InternalServerError")
            body = {"error": {"code": code, "message": error.message}}
        return json.dumps(body).encode(), "application/json"

    def handle(self, request):
        parts = [p for p in request.path.split("/") if p]
        if len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "token"]:
            if request.method != "POST":
                raise ApiError(405, "Only POST", "oauth:invalid_request")
            return self.issue_token(request, parts[0])
        who = self.principal(request)
        if request.arg("api-version") != API_VERSION:
            raise ApiError(400, "The api-version '%s' is invalid." % request.arg("api-version"),
                           "InvalidApiVersionParameter")
        if len(parts) < 2 or parts[0] != "subscriptions" or parts[1] != self.subscription:
            raise ApiError(404, "The subscription '%s' could not be found."
                           % (parts[1] if len(parts) > 1 else ""), "SubscriptionNotFound")
        rest = parts[2:]
        if rest == ["providers", "Microsoft.Network", "dnszones"] and request.method == "GET":
            return self.list_zones(who)
        if rest[:2] == ["resourceGroups", self.group]:
            rest = rest[2:]
            if rest == ["providers", "Microsoft.Network", "dnszones"] and request.method == "GET":
                return self.list_zones(who)
            if len(rest) == 6 and rest[:3] == ["providers", "Microsoft.Network", "dnsZones"] \
                    and rest[4] == "TXT":
                return self.record_set(request, who, rest[3], rest[5])
        raise ApiError(404, "The resource was not found.", "ResourceNotFound")

    def issue_token(self, request, tenant):
        if "application/x-www-form-urlencoded" not in (request.headers.get("Content-Type") or ""):
            raise ApiError(400, "AADSTS900144: The request body must be form-encoded.",
                           "oauth:invalid_request")
        form = dict(urllib.parse.parse_qsl(request.body.decode()))
        if form.get("grant_type") != "client_credentials":
            raise ApiError(400, "AADSTS70003: The app requested an unsupported grant type.",
                           "oauth:unsupported_grant_type")
        audience = "https://%s/.default" % request.host
        if form.get("scope") != audience:
            raise ApiError(400, "AADSTS70011: The provided value for the input parameter "
                                "'scope' is not valid: expected %s." % audience,
                           "oauth:invalid_scope")
        who = next((p for p in self.state.principals.values()
                    if p.spec.get("clientId") == form.get("client_id")
                    and p.spec.get("tenant") == tenant), None)
        if who is None:
            raise ApiError(400, "AADSTS700016: Application with identifier '%s' was not found in "
                                "the directory '%s'." % (form.get("client_id"), tenant),
                           "oauth:unauthorized_client")
        if form.get("client_secret") != who.secret:
            raise ApiError(401, "AADSTS7000215: Invalid client secret provided. Ensure the "
                                "secret being sent in the request is the client secret value, "
                                "not the client secret ID.", "oauth:invalid_client")
        token = secrets.token_urlsafe(32)
        with self.state.lock:
            self.tokens[token] = (who, time.time() + self.token_lifetime)
        return 200, {"token_type": "Bearer", "expires_in": self.token_lifetime,
                     "ext_expires_in": self.token_lifetime,
                     "access_token": token}, {}

    def principal(self, request):
        header = request.headers.get("Authorization", "")
        entry = self.tokens.get(header[7:]) if header.startswith("Bearer ") else None
        if entry is None or entry[1] < time.time():
            raise ApiError(401, "The access token is invalid.", "InvalidAuthenticationToken")
        return entry[0]

    def zone_json(self, zone):
        name = zone.rstrip(".")
        return {"id": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/dnszones/%s"
                      % (self.subscription, self.group, name),
                "name": name, "type": "Microsoft.Network/dnszones", "location": "global",
                "properties": {"nameServers": NAME_SERVERS, "zoneType": "Public"}}

    def list_zones(self, who):
        zones = [self.zone_json(z) for z in sorted(self.state.zones) if who.can_read(z)]
        return 200, {"value": zones}, {}

    def denied(self, who, action, zone):
        return ApiError(403, "The client '%s' with object id '%s' does not have authorization to "
                             "perform action 'Microsoft.Network/dnszones/TXT/%s' over scope "
                             "'/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/"
                             "dnszones/%s' or the scope is invalid."
                        % (who.spec["clientId"], who.spec["clientId"], action, self.subscription,
                           self.group, zone.rstrip(".")), "AuthorizationFailed")

    def etag(self, values):
        return '"%s"' % hashlib.sha1("\n".join(values).encode()).hexdigest()[:16]

    def record_set(self, request, who, zone_name, relative):
        zone = absolute(zone_name)
        if zone not in self.state.zones or not who.can_read(zone):
            raise ApiError(404, "The Resource 'Microsoft.Network/dnszones/%s' under resource "
                                "group '%s' was not found." % (zone_name, self.group),
                           "ParentResourceNotFound")
        name = zone if relative == "@" else absolute(relative + "." + zone)
        with self.state.lock:
            values = self.state.values(name)
            current = self.etag(values) if values else None
            if request.method == "GET":
                if current is None:
                    raise ApiError(404, "The resource record '%s' does not exist in resource "
                                        "group '%s' of subscription '%s'."
                                   % (relative, self.group, self.subscription), "NotFound")
                return 200, self.set_json(zone_name, relative, name), {}
            if request.method not in ("PUT", "DELETE"):
                raise ApiError(405, "Method not allowed", "MethodNotAllowed")
            if not who.can_edit(zone):
                raise self.denied(who, "write" if request.method == "PUT" else "delete", zone)
            match = request.headers.get("If-Match")
            if match is not None and match != current:
                raise ApiError(412, "The condition '%s' in the If-Match header was not "
                                    "satisfied. The current was '%s'." % (match, current),
                               "PreconditionFailed")
            if request.headers.get("If-None-Match") == "*" and current is not None:
                raise ApiError(412, "The Record set %s exists already and hence cannot be created "
                                    "again." % relative, "PreconditionFailed")
            if request.method == "DELETE":
                self.state.put(name, [])
                return 200, b"", {}
            body = request.json()
            props = body.get("properties") if isinstance(body, dict) else None
            if not isinstance(props, dict) or set(body) - {"properties", "etag"} \
                    or set(props) - RECORD_PROPERTIES:
                raise ApiError(400, "The request body is not a record set.", "BadRequest")
            ttl = props.get("TTL")
            records = props.get("TXTRecords")
            if not isinstance(ttl, int) or ttl < 1 or not isinstance(records, list) or not records:
                raise ApiError(400, "A TXT record set needs a TTL and TXTRecords.", "BadRequest")
            new = []
            for r in records:
                parts = r.get("value") if isinstance(r, dict) else None
                if not isinstance(parts, list) or not parts or \
                        not all(isinstance(p, str) and len(p) <= 255 for p in parts):
                    raise ApiError(400, "Each TXT record needs 'value': strings of at most 255 "
                                        "characters.", "BadRequest")
                new.append("".join(parts))
            self.state.put(name, new, ttl)
            return (201 if current is None else 200), self.set_json(zone_name, relative, name), {}

    def set_json(self, zone_name, relative, name):
        values = self.state.values(name)
        with self.state.lock:
            ttl = self.state.records[name][0]["ttl"]
        return {"id": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/dnszones/"
                      "%s/TXT/%s" % (self.subscription, self.group, zone_name, relative),
                "name": relative, "type": "Microsoft.Network/dnszones/TXT",
                "etag": self.etag(values),
                "properties": {"TTL": ttl, "fqdn": name,
                               "TXTRecords": [{"value": [v]} for v in values]}}


if __name__ == "__main__":
    standin.main(Azure)
