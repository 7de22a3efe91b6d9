// The dns-01 provider catalogue as the service serves it: GET /api/challengeproviders describes
// every provider (its credential, its parameters, its wait, whether it lists zones) and
// GET /api/credentials/types serves the same credential descriptions, from one source, so the
// app and the CLI build their forms without knowing any provider. With lexicon installed (as
// packaging/bootstrap-debian.sh does), its providers follow the built-in ones.

#include "ApiFixture.h"

using namespace ck::test;

namespace {
QJsonObject byId(const QJsonArray& items, const QString& key, const QString& id) {
    for (const QJsonValue v : items)
        if (v[key].toString() == id)
            return v.toObject();
    return {};
}

// The hosted DNS providers with a native implementation, in the catalogue's order.
const QStringList kHosted{"cloudflare", "digitalocean", "hetzner",       "acme-dns",
                          "route53",    "azure",        "googleclouddns"};

QStringList keysOf(const QJsonArray& list, const char* key) {
    QStringList keys;
    for (const QJsonValue v : list)
        keys.append(v[QLatin1String(key)].toString());
    return keys;
}

// The built-in ones of a list: lexicon's ("lexicon:...") left out.
QStringList builtIn(const QStringList& ids) {
    QStringList kept;
    for (const QString& id : ids)
        if (!id.startsWith(QLatin1String("lexicon:")))
            kept << id;
    return kept;
}
} // namespace

TEST_CASE("The challenge providers are served with their credentials and parameters",
          "[api][dns]") {
    ApiFixture f;
    CHECK(f.http->send({"GET", "/api/challengeproviders", {}, {}}, false).status == 401);
    const auto answer = f.http->get("/api/challengeproviders");
    REQUIRE(answer.status == 200);
    const QJsonArray items = answer.json()["items"].toArray();
    CHECK(keysOf(items, "id").mid(0, 10) == QStringList{"rfc2136", "script", "powerdns"} + kHosted);
    CHECK(builtIn(keysOf(items, "id")) == QStringList{"rfc2136", "script", "powerdns"} + kHosted);
    for (const QJsonValue p : items) {
        INFO(p["id"].toString().toStdString());
        CHECK(p["challengeType"] == "dns-01");
        CHECK_FALSE(p["title"].toString().isEmpty());
        CHECK_FALSE(p["description"].toString().isEmpty());
        CHECK(p["propagationSeconds"].isDouble());
        CHECK(p["listsZones"].isBool());
        for (const QJsonValue param : p["parameters"].toArray())
            for (const char* key : {"key", "label", "kind", "required", "default", "description"})
                CHECK(param.toObject().contains(QLatin1String(key)));
    }

    const QJsonObject pdns = byId(items, "id", "powerdns");
    CHECK(pdns["listsZones"] == true);
    CHECK(pdns["propagationSeconds"] == 0);
    const QJsonObject credential = pdns["credential"].toObject();
    CHECK(credential["type"] == "powerdns");
    CHECK(credential["url"].toString().startsWith("https://doc.powerdns.com/"));
    CHECK(credential["help"].toString().contains("api-key"));
    const QJsonArray fields = credential["fields"].toArray();
    CHECK(keysOf(fields, "name") ==
          QStringList{"apiUrl", "apiKey", "serverId", "dnsServer", "trustedRootFile"});
    const QJsonObject apiKey = byId(fields, "name", "apiKey");
    CHECK(apiKey["secret"] == true);
    CHECK(apiKey["required"] == true);
    CHECK(byId(fields, "name", "serverId")["defaultValue"] == "localhost");
    CHECK(byId(fields, "name", "serverId")["required"] == false);
    CHECK(keysOf(pdns["parameters"].toArray(), "key") ==
          QStringList{"zone", "propagationDelaySeconds"});

    // A hosted provider: its public API by default, and the page where the token is made.
    const QJsonObject cloudflare = byId(items, "id", "cloudflare")["credential"].toObject();
    CHECK(cloudflare["url"] == "https://dash.cloudflare.com/profile/api-tokens");
    CHECK(keysOf(cloudflare["fields"].toArray(), "name") ==
          QStringList{"apiToken", "apiUrl", "trustedRootFile", "dnsServer"});
    CHECK(byId(cloudflare["fields"].toArray(), "name", "apiUrl")["defaultValue"] ==
          "https://api.cloudflare.com/client/v4");
    CHECK(byId(cloudflare["fields"].toArray(), "name", "apiUrl")["required"] == false);

    CHECK(byId(items, "id", "script")["credential"].isNull());
    CHECK(byId(items, "id", "rfc2136")["credential"].toObject()["type"] == "rfc2136");
    CHECK(byId(items, "id", "rfc2136")["listsZones"] == false);
}

TEST_CASE("The credential types carry the providers' descriptions", "[api][dns][credentials]") {
    ApiFixture f;
    const auto providers = f.http->get("/api/challengeproviders").json()["items"].toArray();
    const auto types = f.http->get("/api/credentials/types").json()["items"].toArray();
    CHECK(builtIn(keysOf(types, "id")) ==
          QStringList{"rfc2136", "powerdns"} + kHosted +
              QStringList{"eab", "pfx-password", "smtp-password", "ssh-key", "proxy"});
    for (const QString& id : QStringList{"rfc2136", "powerdns"} + kHosted) {
        INFO(id.toStdString());
        const QJsonObject type = byId(types, "id", id);
        const QJsonObject credential = byId(providers, "id", id)["credential"].toObject();
        CHECK(type["dnsProvider"] == id);
        CHECK(type["title"] == credential["title"]);
        CHECK(type["fields"] == credential["fields"]);
        CHECK(type["help"] == credential["help"]);
        CHECK(type["url"] == credential["url"]);
    }
    CHECK(byId(types, "id", "eab")["dnsProvider"] == "");

    // Stored against that description: the secret is required, unknown fields are refused.
    const auto missing = f.http->post(
        "/api/credentials",
        QJsonObject{{"type", "powerdns"},
                    {"title", "pdns"},
                    {"values", QJsonObject{{"apiUrl", "http://127.0.0.1:1"}, {"zone", "x"}}}});
    CHECK(missing.status == 422);
    CHECK(missing.body.find("values.apiKey") != std::string::npos);
    CHECK(missing.body.find("values.zone") != std::string::npos);
    const auto stored = f.http->post(
        "/api/credentials",
        QJsonObject{{"type", "powerdns"},
                    {"title", "pdns"},
                    {"values", QJsonObject{{"apiUrl", "http://127.0.0.1:1"}, {"apiKey", "k3y"}}}});
    REQUIRE(stored.status == 201);
    CHECK(stored.json()["secretFields"] == QJsonArray{"apiKey"});
    CHECK(stored.body.find("k3y") == std::string::npos);
}

TEST_CASE("With lexicon, more than 70 providers are offered, each with its credential",
          "[api][dns][lexicon]") {
    ApiFixture f;
    const auto answer = f.http->get("/api/challengeproviders");
    REQUIRE(answer.status == 200);
    const QJsonArray items = answer.json()["items"].toArray();
    const QJsonObject lexicon = answer.json()["lexicon"].toObject();
    INFO(lexicon["note"].toString().toStdString());
    int offered = 0;
    for (const QJsonValue p : items)
        offered += p["nativeProvider"].toString().isEmpty() ? 1 : 0;
    CHECK(offered >= 70);
    CHECK(lexicon["providers"].toInt() >= 60);
    CHECK(lexicon["note"].toString().startsWith("lexicon 3."));

    // A native twin stays usable by id but names the built-in one menus offer instead.
    CHECK(byId(items, "id", "lexicon:powerdns")["nativeProvider"] == "powerdns");
    const QJsonObject gandi = byId(items, "id", "lexicon:gandi");
    CHECK(gandi["title"] == "Gandi (via lexicon)");
    CHECK(gandi["nativeProvider"] == "");
    const QJsonArray fields = gandi["credential"].toObject()["fields"].toArray();
    CHECK(byId(fields, "name", "auth_token")["secret"] == true);
    CHECK(byId(fields, "name", "zone")["required"] == false);
    CHECK(keysOf(gandi["parameters"].toArray(), "key") ==
          QStringList{"zone", "propagationDelaySeconds", "timeoutSeconds"});

    // Its credential type is served and stored like the built-in ones.
    const auto types = f.http->get("/api/credentials/types").json()["items"].toArray();
    CHECK(byId(types, "id", "lexicon:gandi")["fields"] == gandi["credential"].toObject()["fields"]);
    CHECK(byId(types, "id", "lexicon:powerdns")["nativeProvider"] == "powerdns");
    const auto unknown = f.http->post(
        "/api/credentials", QJsonObject{{"type", "lexicon:gandi"},
                                        {"title", "gandi"},
                                        {"values", QJsonObject{{"auth_tokn", "t0k3n-gandi"}}}});
    CHECK(unknown.status == 422);
    CHECK(unknown.body.find("values.auth_tokn") != std::string::npos);
    const auto stored = f.http->post(
        "/api/credentials", QJsonObject{{"type", "lexicon:gandi"},
                                        {"title", "gandi"},
                                        {"values", QJsonObject{{"auth_token", "t0k3n-gandi"},
                                                               {"zone", "example.com"}}}});
    REQUIRE(stored.status == 201);
    CHECK(stored.json()["secretFields"] == QJsonArray{"auth_token"});
    CHECK(stored.json()["fields"].toObject()["zone"] == "example.com");
    CHECK(stored.body.find("t0k3n-gandi") == std::string::npos);
}
