"""Stand-in for the Amazon Route 53 API, version 2013-04-01 (tests only).

Follows https://docs.aws.amazon.com/Route53/latest/APIReference/ : ListHostedZones,
ListHostedZonesByName, GetHostedZone, ListResourceRecordSets, ChangeResourceRecordSets (the
batch is applied atomically; DELETE must name the set exactly as it is, CREATE fails when it
exists, TXT values must be quoted) and GetChange (PENDING, then INSYNC). Every request must carry
a Signature Version 4 signature
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
which is recomputed here from the request as received: canonical URI, sorted query, the signed
headers, the payload's hash, scope (date, region, "route53") and the key's secret. Errors are
<ErrorResponse><Error><Type/><Code/><Message/></Error></ErrorResponse>, InvalidChangeBatch is
<InvalidChangeBatch><Messages><Message/></Messages></InvalidChangeBatch>, throttling is 400
"Throttling" (https://docs.aws.amazon.com/Route53/latest/APIReference/CommonErrors.html).

Config: "region" (the signing region, default us-east-1), "pendingPolls" (GetChange answers
PENDING that many times first, default 1); principals are IAM keys ({"accessKeyId", "secret"}),
allowed to change the zones in "edit".
"""

import datetime
import hashlib
import hmac
import re
import urllib.parse
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import standin
from standin import ApiError, absolute

NS = "https://route53.amazonaws.com/doc/2013-04-01/"
NAME_SERVERS = ["ns-2048.awsdns-64.com", "ns-2049.awsdns-65.net"]
AUTH = re.compile(r"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                  r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$")


def zone_id(zone):
    return "Z" + hashlib.sha1(zone.encode()).hexdigest()[:12].upper()


def order(name):
    return list(reversed(absolute(name).rstrip(".").split(".")))


def xml(root, inner):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<%s xmlns="%s">%s</%s>'
            % (root, NS, inner, root)).encode(), {"Content-Type": "text/xml"}


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def hmac256(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


class Route53(standin.Provider):
    def __init__(self, state, config):
        super().__init__(state, config)
        self.region = config.get("region", "us-east-1")
        self.pending = config.get("pendingPolls", 1)
        self.changes = {}

    def error(self, error):
        if error.code == "InvalidChangeBatch":
            body, _ = xml("InvalidChangeBatch", "<Messages><Message>%s</Message></Messages>"
                          "<RequestId>stand-in</RequestId>" % escape(error.message))
        else:
            code = error.code or {400: "InvalidInput", 403: "AccessDenied", 404: "NoSuchHostedZone",
                                  429: "Throttling"}.get(error.status, "InternalFailure")
            body, _ = xml("ErrorResponse", "<Error><Type>Sender</Type><Code>%s</Code><Message>%s"
                          "</Message></Error><RequestId>stand-in</RequestId>"
                          % (code, escape(error.message)))
        return body, "text/xml"

    # -- Signature Version 4, recomputed from the request as received ---------------------------
    def principal(self, request):
        auth = request.headers.get("Authorization", "")
        m = AUTH.match(auth)
        if not m:
            raise ApiError(403, "Authorization header requires 'Credential', 'SignedHeaders' and "
                                "'Signature' parameters.", "IncompleteSignature")
        key_id, date, region, service, signed, signature = m.groups()
        who = next((p for p in self.state.principals.values()
                    if p.spec.get("accessKeyId") == key_id), None)
        if who is None:
            raise ApiError(403, "The security token included in the request is invalid.",
                           "InvalidClientTokenId")
        stamp = request.headers.get("X-Amz-Date", "")
        try:
            when = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=datetime.timezone.utc)
        except ValueError:
            raise ApiError(403, "X-Amz-Date is missing or malformed", "IncompleteSignature")
        now = datetime.datetime.now(datetime.timezone.utc)
        if abs((now - when).total_seconds()) > 300:
            raise ApiError(403, "Signature expired: %s is now earlier than %s" % (stamp, now),
                           "SignatureDoesNotMatch")
        if stamp[:8] != date or region != self.region or service != "route53":
            raise ApiError(403, "Credential should be scoped to a valid region, service "
                                "'route53' and the request's date.", "SignatureDoesNotMatch")
        names = signed.split(";")
        if "host" not in names or "x-amz-date" not in names or names != sorted(names):
            raise ApiError(403, "host and x-amz-date must be signed", "SignatureDoesNotMatch")
        headers = "".join("%s:%s\n" % (n, " ".join((request.headers.get(n) or "").split()))
                          for n in names)
        query = sorted((urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                       for k, v in urllib.parse.parse_qsl(request.raw_query,
                                                          keep_blank_values=True))
        canonical = "\n".join([request.method, urllib.parse.quote(request.raw_path, safe="/-_.~"),
                               "&".join("%s=%s" % kv for kv in query), headers, signed,
                               sha256(request.body)])
        scope = "%s/%s/%s/aws4_request" % (date, region, service)
        to_sign = "AWS4-HMAC-SHA256\n%s\n%s\n%s" % (stamp, scope, sha256(canonical.encode()))
        key = hmac256(("AWS4" + who.secret).encode(), date)
        for part in (region, service, "aws4_request"):
            key = hmac256(key, part)
        if not hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(),
                                   signature):
            raise ApiError(403, "The request signature we calculated does not match the "
                                "signature you provided. Check your AWS Secret Access Key and "
                                "signing method.", "SignatureDoesNotMatch")
        if who.spec.get("sessionToken") and \
                request.headers.get("X-Amz-Security-Token") != who.spec["sessionToken"]:
            raise ApiError(403, "The security token included in the request is invalid.",
                           "InvalidClientTokenId")
        return who

    # -- the API ------------------------------------------------------------------------------
    def handle(self, request):
        who = self.principal(request)
        parts = [p for p in request.raw_path.split("/") if p]
        if parts[:1] != ["2013-04-01"]:
            raise ApiError(404, "Unknown operation", "UnknownOperationException")
        parts = parts[1:]
        if parts == ["hostedzone"] and request.method == "GET":
            return self.list_zones(request)
        if parts == ["hostedzonesbyname"] and request.method == "GET":
            return self.zones_by_name(request)
        if len(parts) == 2 and parts[0] == "hostedzone" and request.method == "GET":
            return self.get_zone(self.zone(parts[1]))
        if len(parts) == 3 and parts[0] == "hostedzone" and parts[2] == "rrset":
            zone = self.zone(parts[1])
            if request.method == "GET":
                return self.list_sets(request, zone)
            if request.method == "POST" and request.raw_path.endswith("/"):
                return self.change(request, zone, who)
        if len(parts) == 2 and parts[0] == "change" and request.method == "GET":
            return self.get_change(parts[1])
        raise ApiError(404, "Unknown operation", "UnknownOperationException")

    def zone(self, zid):
        for z in self.state.zones:
            if zone_id(z) == zid:
                return z
        raise ApiError(404, "No hosted zone found with ID: %s" % zid, "NoSuchHostedZone")

    def zone_xml(self, z):
        return ("<HostedZone><Id>/hostedzone/%s</Id><Name>%s</Name><CallerReference>stand-in"
                "</CallerReference><Config><PrivateZone>false</PrivateZone></Config>"
                "<ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone>"
                % (zone_id(z), z))

    def list_zones(self, request):
        zones = sorted(self.state.zones, key=zone_id)
        marker = request.arg("marker")
        if marker:
            zones = [z for z in zones if zone_id(z) >= marker]
        limit = int(request.arg("maxitems", "100"))
        shown, rest = zones[:limit], zones[limit:]
        tail = "<IsTruncated>%s</IsTruncated><MaxItems>%d</MaxItems>" % (
            "true" if rest else "false", limit)
        if rest:
            tail += "<NextMarker>%s</NextMarker>" % zone_id(rest[0])
        return (200,) + xml("ListHostedZonesResponse", "<HostedZones>%s</HostedZones>%s" % (
            "".join(self.zone_xml(z) for z in shown), tail))

    def zones_by_name(self, request):
        start = order(request.arg("dnsname", "."))
        zones = [z for z in sorted(self.state.zones, key=order) if order(z) >= start]
        limit = int(request.arg("maxitems", "100"))
        return (200,) + xml("ListHostedZonesByNameResponse",
                            "<HostedZones>%s</HostedZones><DNSName>%s</DNSName><IsTruncated>false"
                            "</IsTruncated><MaxItems>%d</MaxItems>"
                            % ("".join(self.zone_xml(z) for z in zones[:limit]),
                               escape(request.arg("dnsname", "")), limit))

    def get_zone(self, z):
        servers = "".join("<NameServer>%s</NameServer>" % ns for ns in NAME_SERVERS)
        return (200,) + xml("GetHostedZoneResponse", "%s<DelegationSet><NameServers>%s"
                            "</NameServers></DelegationSet>" % (self.zone_xml(z), servers))

    def set_xml(self, name, records):
        values = "".join("<ResourceRecord><Value>&quot;%s&quot;</Value></ResourceRecord>"
                         % escape(r["value"]) for r in records)
        return ("<ResourceRecordSet><Name>%s</Name><Type>TXT</Type><TTL>%d</TTL>"
                "<ResourceRecords>%s</ResourceRecords></ResourceRecordSet>"
                % (name, records[0]["ttl"], values))

    def list_sets(self, request, zone):
        if request.arg("type") and not request.arg("name"):
            raise ApiError(400, "type requires name", "InvalidInput")
        with self.state.lock:
            sets = sorted(((n, rs) for n, rs in self.state.records.items()
                           if self.state.zone_of(n) == zone and rs), key=lambda s: order(s[0]))
        if request.arg("name"):
            sets = [s for s in sets if order(s[0]) >= order(request.arg("name"))]
        limit = int(request.arg("maxitems", "300"))
        return (200,) + xml("ListResourceRecordSetsResponse",
                            "<ResourceRecordSets>%s</ResourceRecordSets><IsTruncated>%s"
                            "</IsTruncated><MaxItems>%d</MaxItems>"
                            % ("".join(self.set_xml(n, rs) for n, rs in sets[:limit]),
                               "true" if len(sets) > limit else "false", limit))

    def parse_set(self, element, zone):
        name = absolute(element.findtext("{%s}Name" % NS) or "")
        kind = element.findtext("{%s}Type" % NS)
        ttl = element.findtext("{%s}TTL" % NS)
        if kind != "TXT" or not ttl or not ttl.isdigit():
            raise ApiError(400, "This stand-in takes TXT sets with a TTL", "InvalidInput")
        if self.state.zone_of(name) != zone:
            raise ApiError(400, "RRSet with DNS name %s is not permitted in zone %s"
                           % (name, zone), "InvalidChangeBatch")
        values = []
        for v in element.iter("{%s}Value" % NS):
            text = v.text or ""
            if len(text) < 2 or text[0] != '"' or text[-1] != '"' or '"' in text[1:-1]:
                raise ApiError(400, "Invalid Resource Record: 'FATAL problem: "
                                    "InvalidCharacterString (Value should be enclosed in quotation "
                                    "marks) encountered with '%s''" % text, "InvalidChangeBatch")
            values.append(text[1:-1])
        if not values:
            raise ApiError(400, "A set needs ResourceRecords", "InvalidInput")
        return name, int(ttl), values

    def change(self, request, zone, who):
        if not who.can_edit(zone):
            raise ApiError(403, "User: arn:aws:iam::123456789012:user/%s is not authorized to "
                                "perform: route53:ChangeResourceRecordSets on resource: "
                                "arn:aws:route53:::hostedzone/%s because no identity-based "
                                "policy allows the route53:ChangeResourceRecordSets action"
                           % (who.id, zone_id(zone)), "AccessDenied")
        try:
            root = ET.fromstring(request.body)
        except ET.ParseError as e:
            raise ApiError(400, "Could not parse the request: %s" % e, "InvalidInput")
        if root.tag != "{%s}ChangeResourceRecordSetsRequest" % NS:
            raise ApiError(400, "Expected ChangeResourceRecordSetsRequest in %s" % NS,
                           "InvalidInput")
        with self.state.lock:
            current = {n: ([r["value"] for r in rs], rs[0]["ttl"] if rs else 0)
                       for n, rs in self.state.records.items() if rs}
            after = dict(current)
            for change in root.iter("{%s}Change" % NS):
                action = change.findtext("{%s}Action" % NS)
                name, ttl, values = self.parse_set(change.find("{%s}ResourceRecordSet" % NS), zone)
                where = "[name='%s', type='TXT']" % name
                if action == "DELETE":
                    if name not in after:
                        raise ApiError(400, "Tried to delete resource record set %s but it was "
                                            "not found" % where, "InvalidChangeBatch")
                    if sorted(after[name][0]) != sorted(values) or after[name][1] != ttl:
                        raise ApiError(400, "Tried to delete resource record set %s but the "
                                            "values provided do not match the current values"
                                       % where, "InvalidChangeBatch")
                    del after[name]
                elif action == "CREATE":
                    if name in after:
                        raise ApiError(400, "Tried to create resource record set %s but it "
                                            "already exists" % where, "InvalidChangeBatch")
                    after[name] = (values, ttl)
                elif action == "UPSERT":
                    after[name] = (values, ttl)
                else:
                    raise ApiError(400, "Unknown action %s" % action, "InvalidInput")
            for name in set(current) | set(after):
                if current.get(name) != after.get(name):
                    values, ttl = after.get(name, ([], 60))
                    self.state.put(name, values, ttl)
            cid = "C%010d" % (len(self.changes) + 1)
            self.changes[cid] = self.pending
        return (200,) + xml("ChangeResourceRecordSetsResponse", self.change_xml(cid, "PENDING"))

    def change_xml(self, cid, status):
        return ("<ChangeInfo><Id>/change/%s</Id><Status>%s</Status><SubmittedAt>"
                "2026-01-01T00:00:00.000Z</SubmittedAt></ChangeInfo>" % (cid, status))

    def get_change(self, cid):
        with self.state.lock:
            if cid not in self.changes:
                raise ApiError(404, "Could not find resource with ID: %s" % cid, "NoSuchChange")
            left = self.changes[cid]
            self.changes[cid] = max(0, left - 1)
        return (200,) + xml("GetChangeResponse",
                            self.change_xml(cid, "PENDING" if left > 0 else "INSYNC"))


if __name__ == "__main__":
    standin.main(Route53)
