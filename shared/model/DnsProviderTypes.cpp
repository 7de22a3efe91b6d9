#include "model/DnsProviderTypes.h"

#include "model/DnsProviderSpec.h"

#include <QJsonArray>

namespace ck {

namespace dnsspec {

CredentialField field(const char* name, const char* title, bool required, const char* help,
                      const char* defaultValue) {
    CredentialField f;
    f.name = QString::fromLatin1(name);
    f.title = QString::fromLatin1(title);
    f.required = required;
    f.defaultValue = QString::fromLatin1(defaultValue);
    f.help = QString::fromUtf8(help);
    return f;
}

CredentialField secretField(const char* name, const char* title, const char* help) {
    CredentialField f = field(name, title, true, help);
    f.secret = true;
    return f;
}

TaskParameterSpec parameter(const char* key, const char* label, TaskParameterKind kind,
                            const char* description, QJsonValue defaultValue) {
    TaskParameterSpec p;
    p.key = QLatin1String(key);
    p.label = QLatin1String(label);
    p.kind = kind;
    p.defaultValue = std::move(defaultValue);
    p.description = QString::fromLatin1(description);
    return p;
}

TaskParameterSpec seconds(const char* key, const char* label, int defaultValue, int maximum,
                          const char* description) {
    TaskParameterSpec p = parameter(key, label, TaskParameterKind::Int, description, defaultValue);
    p.maximum = maximum;
    return p;
}

// Every provider with an HTTP API takes these: the zone when the user knows it better, and a
// longer wait for hosts that publish slowly.
QList<TaskParameterSpec> apiParameters(int propagationSeconds) {
    return {parameter("zone", "Zone", TaskParameterKind::String,
                      "The zone to change, e.g. example.com; empty: the longest zone the "
                      "credential can see that holds the name"),
            seconds("propagationDelaySeconds", "Wait after adding (seconds)", propagationSeconds,
                    3600,
                    "Waited after the record is created before its servers are asked for it")};
}

QList<CredentialField> endpointFields(const QString& defaultUrl, const QString& checkedByDefault) {
    CredentialField url = field("apiUrl", "API address", false, "");
    url.defaultValue = defaultUrl;
    url.help =
        QStringLiteral("Where the API is; empty: %1, the provider's public API. Change it only to "
                       "reach the same API another way: a gateway or proxy that speaks it, a "
                       "regional or private endpoint, or a local stand-in of the API for testing.")
            .arg(defaultUrl);
    CredentialField roots = field(
        "trustedRootFile", "Extra trusted CA certificates", false,
        "A PEM file on the service's machine with CA certificates trusted for the API's HTTPS "
        "besides the system's: for a TLS-inspecting proxy, a private endpoint or a test "
        "stand-in. Empty: the system's trust store only.");
    CredentialField dns = field("dnsServer", "DNS server to check", false, "");
    dns.help = QStringLiteral("host or host:port asked until it serves the new record; empty: ") +
               checkedByDefault;
    return {url, roots, dns};
}

} // namespace dnsspec

namespace {
using K = TaskParameterKind;
using namespace dnsspec;

DnsProviderType rfc2136() {
    DnsProviderType t;
    t.id = QStringLiteral("rfc2136");
    t.title = QStringLiteral("DNS update (RFC 2136) with a TSIG key");
    t.description = QStringLiteral(
        "Signed dynamic updates to your own DNS server (BIND, Knot, PowerDNS, Windows DNS): the "
        "value is added beside any others at the name and exactly that value is removed.");
    t.credentialType = t.id;
    t.credentialTitle = t.title;
    t.credentialFields = {
        field("server", "DNS server (primary) address", true,
              "IP address or host name of the server that accepts updates"),
        field("port", "Port", false, "", "53"),
        field("zone", "Zone", false, "Leave empty to find the zone from the name"),
        field("keyName", "TSIG key name", true, ""),
        field("algorithm", "TSIG algorithm", false,
              "hmac-sha256, hmac-sha512, hmac-sha1 or hmac-md5", "hmac-sha256"),
        secretField("secret", "TSIG secret (base64)", "")};
    t.credentialHelp = QStringLiteral(
        "Make a key with tsig-keygen and let the server accept it for the zone (allow-update or "
        "update-policy in BIND); the key needs to add and delete TXT records under "
        "_acme-challenge.");
    t.parameters = {parameter("zone", "Zone", K::String,
                              "Overrides the credential's zone; empty: found with SOA queries"),
                    parameter("checkNameservers", "Check every name server", K::Bool,
                              "Also wait until every NS of the zone serves the record, not only "
                              "the server the update went to",
                              false)};
    return t;
}

DnsProviderType script() {
    DnsProviderType t;
    t.id = QStringLiteral("script");
    t.title = QStringLiteral("My script adds and removes the record");
    t.description = QStringLiteral(
        "Your own commands, run without a shell, with CERTKEEPER_ACTION, CERTKEEPER_RECORD_NAME, "
        "CERTKEEPER_RECORD_VALUE and CERTKEEPER_DOMAIN in their environment.");
    t.parameters = {
        parameter("presentCommand", "Add command", K::Command,
                  "It must add the value without removing other values at the name"),
        parameter("cleanupCommand", "Remove command", K::Command,
                  "It must remove only that value and succeed when it is gone; empty: nothing "
                  "removes the record"),
        seconds("timeoutSeconds", "Time limit per run (seconds)", 120, 3600,
                "A command still running then is stopped"),
        seconds("propagationDelaySeconds", "Wait after adding (seconds)", 0, 3600,
                "Waited after the add command before any check"),
        parameter("checkServer", "DNS server to check", K::String,
                  "Asked directly until it shows the value; empty: no check"),
        parameter("checkPort", "Its port", K::Int, "The DNS port of that server", 53)};
    t.parameters[0].required = true;
    t.parameters.last().minimum = 1;
    t.parameters.last().maximum = 65535;
    return t;
}

DnsProviderType powerDns() {
    DnsProviderType t;
    t.id = QStringLiteral("powerdns");
    t.title = QStringLiteral("PowerDNS Authoritative (HTTP API)");
    t.description = QStringLiteral(
        "The PowerDNS server's own HTTP API: the TXT record set is read and written back with "
        "the value added or removed, keeping every other value at the name.");
    t.credentialType = t.id;
    t.credentialTitle = QStringLiteral("PowerDNS API key");
    t.credentialFields = {
        field("apiUrl", "API address", true,
              "The PowerDNS web server, e.g. http://ns1.example.com:8081"),
        secretField("apiKey", "API key", "The api-key from pdns.conf"),
        field("serverId", "Server id", false,
              "The server in the API's paths; localhost unless you run several", "localhost"),
        field("dnsServer", "DNS server to check", false,
              "host or host:port asked until it serves the record; empty: the API's host on "
              "port 53"),
        field("trustedRootFile", "Extra trusted CA certificates", false,
              "For an https API address with a private CA: a PEM file on the service's machine "
              "with CA certificates trusted besides the system's")};
    t.credentialHelp = QStringLiteral(
        "Turn the API on in pdns.conf (api=yes, api-key=..., webserver=yes, webserver-address "
        "and webserver-allow-from so this machine may connect) and restart PowerDNS. The key may "
        "read and change every zone on that server.");
    t.credentialUrl = QStringLiteral("https://doc.powerdns.com/authoritative/http-api/");
    t.parameters = apiParameters(0);
    t.listsZones = true;
    return t;
}
} // namespace

QJsonObject DnsProviderType::toJson() const {
    QJsonArray fields;
    for (const auto& f : credentialFields)
        fields.append(QJsonObject{{"name", f.name},
                                  {"title", f.title},
                                  {"secret", f.secret},
                                  {"required", f.required},
                                  {"defaultValue", f.defaultValue},
                                  {"help", f.help}});
    QJsonArray params;
    for (const auto& p : parameters)
        params.append(p.toJson());
    return {{"id", id},
            {"challengeType", QStringLiteral("dns-01")},
            {"title", title},
            {"description", description},
            {"credential", credentialType.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                    : QJsonObject{{"type", credentialType},
                                                                  {"title", credentialTitle},
                                                                  {"fields", fields},
                                                                  {"help", credentialHelp},
                                                                  {"url", credentialUrl}}},
            {"parameters", params},
            {"propagationSeconds", propagationSeconds},
            {"listsZones", listsZones},
            {"nativeProvider", nativeProvider}};
}

DnsProviderType DnsProviderType::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    DnsProviderType t;
    t.id = o.value("id").toString();
    t.title = o.value("title").toString();
    t.description = o.value("description").toString();
    const QJsonObject credential = o.value("credential").toObject();
    t.credentialType = credential.value("type").toString();
    t.credentialTitle = credential.value("title").toString();
    for (const auto& v : credential.value("fields").toArray()) {
        const QJsonObject f = v.toObject();
        CredentialField cf;
        cf.name = f.value("name").toString();
        cf.title = f.value("title").toString();
        cf.secret = f.value("secret").toBool();
        cf.required = f.value("required").toBool(true);
        cf.defaultValue = f.value("defaultValue").toString();
        cf.help = f.value("help").toString();
        t.credentialFields.append(cf);
    }
    t.credentialHelp = credential.value("help").toString();
    t.credentialUrl = credential.value("url").toString();
    for (const auto& p : o.value("parameters").toArray())
        t.parameters.append(TaskParameterSpec::fromJson(p.toObject(), errors));
    t.propagationSeconds = o.value("propagationSeconds").toInt();
    t.listsZones = o.value("listsZones").toBool();
    t.nativeProvider = o.value("nativeProvider").toString();
    return t;
}

CredentialType DnsProviderType::credentialTypeSpec() const {
    CredentialType c;
    c.id = credentialType;
    c.title = credentialTitle;
    c.fields = credentialFields;
    c.help = credentialHelp;
    c.url = credentialUrl;
    c.dnsProvider = id;
    c.nativeProvider = nativeProvider;
    return c;
}

const QList<DnsProviderType>& dnsProviderTypes() {
    static const QList<DnsProviderType> types = [] {
        QList<DnsProviderType> all{rfc2136(), script(), powerDns()};
        all.append(dnsspec::cloudProviderTypes());
        return all;
    }();
    return types;
}

const DnsProviderType* findDnsProviderType(const QString& id) {
    for (const auto& t : dnsProviderTypes())
        if (t.id == id)
            return &t;
    return nullptr;
}

const DnsProviderType* dnsProviderForCredential(const QString& credentialType) {
    for (const auto& t : dnsProviderTypes())
        if (!t.credentialType.isEmpty() && t.credentialType == credentialType)
            return &t;
    return nullptr;
}

} // namespace ck
