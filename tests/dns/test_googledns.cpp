// The Google Cloud DNS provider (service/dnsapi/GoogleCloudDnsProvider) against the Cloud DNS
// stand-in (tests/standins/googledns.py, after
// https://cloud.google.com/dns/docs/reference/rest/v1 and
// https://developers.google.com/identity/protocols/oauth2/service-account), which verifies the
// JWT's RS256 signature with the service account's public key before it issues a token: the
// cases every hosted provider passes (StandInCases.h), and the key file read strictly.

#include "StandInCases.h"

#include "crypto/PrivateKey.h"
#include "dnsapi/GoogleCloudDnsProvider.h"

#include <QJsonDocument>

using namespace ck;
using namespace ck::dnsapi;
using namespace ck::test;

namespace {
struct Account {
    QString email;
    QByteArray privatePem;
    QByteArray publicPem;
};

// RSA keys made once per run, as a service account's JSON key holds one.
const Account& account(const QString& who) {
    static QHash<QString, Account> made;
    if (!made.contains(who)) {
        const auto key = crypto::PrivateKey::generate(crypto::KeyType::Rsa2048);
        QByteArray pem = "-----BEGIN PUBLIC KEY-----\n";
        const QByteArray b64 = key.publicKeyDer().toBase64();
        for (qsizetype i = 0; i < b64.size(); i += 64)
            pem += b64.mid(i, 64) + '\n';
        pem += "-----END PUBLIC KEY-----\n";
        made.insert(who, {QStringLiteral("dns-%1@my-project.iam.gserviceaccount.com").arg(who),
                          key.toPem(), pem});
    }
    return made[who];
}

QByteArray keyFile(const Account& a, const QString& tokenUri) {
    return QJsonDocument(QJsonObject{{"type", "service_account"},
                                     {"project_id", "my-project"},
                                     {"private_key_id", "0123456789abcdef"},
                                     {"private_key", QString::fromUtf8(a.privatePem)},
                                     {"client_email", a.email},
                                     {"token_uri", tokenUri}})
        .toJson();
}

HostedProvider googleDns() {
    HostedProvider p;
    p.module = QStringLiteral("googledns");
    p.title = QStringLiteral("Google Cloud DNS");
    p.principals = {{"all", QJsonObject{{"clientEmail", account("all").email},
                                        {"publicKeyPem", QString(account("all").publicPem)}}},
                    {"limited", QJsonObject{{"clientEmail", account("limited").email},
                                            {"publicKeyPem", QString(account("limited").publicPem)},
                                            {"edit", QJsonArray{"deep.example.test"}}}}};
    p.extraConfig = {{"project", "my-project"}};
    p.make = [](process::ProcessRunner& runner, const DnsApiStandIn& api, const QString& who,
                HttpDnsOptions o) -> std::unique_ptr<HttpDnsProvider> {
        // "wrong": the account "all" named, signed with another key.
        Account a = account(who == QLatin1String("wrong") ? QStringLiteral("all") : who);
        if (who == QLatin1String("wrong"))
            a.privatePem = account(QStringLiteral("wrong")).privatePem;
        GoogleCloudDnsSettings s;
        s.serviceAccountKey = keyFile(a, api.origin() + QStringLiteral("/token"));
        s.apiUrl = api.origin() + QStringLiteral("/dns/v1");
        return makeGoogleCloudDnsProvider(runner, s, o);
    };
    p.wrongCredentialWords = {QStringLiteral("get an access token for dns-all@"),
                              QStringLiteral("HTTP 400 \"invalid_grant: Invalid JWT Signature.\""),
                              QStringLiteral("Google did not accept the service account")};
    p.noRightsWords = {QStringLiteral("HTTP 403 \"forbidden: Forbidden: dns-limited@"),
                       QStringLiteral("lacks the role DNS Administrator (roles/dns.admin) on the "
                                      "project my-project (zone example.test)")};
    p.writeMethod = QStringLiteral("POST");
    p.writePath = QStringLiteral("/changes");
    return p;
}
} // namespace

CK_STANDIN_CASES("Google Cloud DNS", "[dns][googledns]", googleDns)

TEST_CASE("Google Cloud DNS: the key file is read strictly, the project comes from it",
          "[dns][googledns]") {
    process::ProcessRunner runner{1};
    const auto notAKey = errorOf<InvalidInputError>([&]() -> awaitable<void> {
        const auto p =
            makeGoogleCloudDnsProvider(runner, {"{\"type\": \"authorized_user\"}", {}, {}}, {});
        co_return;
    }());
    CHECK(notAKey.field() == QStringLiteral("serviceAccountKey"));
    Account broken = account(QStringLiteral("all"));
    broken.privatePem = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n";
    const auto unreadable = errorOf<InvalidInputError>([&]() -> awaitable<void> {
        const auto p = makeGoogleCloudDnsProvider(
            runner, {keyFile(broken, "https://oauth2.googleapis.com/token"), {}, {}}, {});
        co_return;
    }());
    CHECK(unreadable.message().contains(QStringLiteral("cannot be read")));
    CHECK_FALSE(unreadable.message().contains(QStringLiteral("not a key")));

    StandInFixture f(googleDns());
    auto p = f.make();
    CHECK(p->credentialScope().contains(QStringLiteral("the project my-project")));
    const auto r = txtRecord(QStringLiteral("example.test"), QStringLiteral("v"));
    runSync(p->present(r));
    runSync(p->cleanup(r));
    const QStringList seen = f.api->requests();
    INFO(str(seen.join(u'\n')));
    CHECK(seen.filter(QStringLiteral("POST /token -> 200")).size() == 1);
    CHECK(seen.filter(QRegularExpression("^GET /dns/v1/projects/my-project/managedZones/"
                                         "example-test/changes/\\d+ -> 200$"))
              .size() == 4); // each change asked after until done (pending first)
    CHECK(f.api->records().isEmpty());
}

TEST_CASE("Google Cloud DNS: a token is renewed a minute before it expires", "[dns][googledns]") {
    tokenRenewedBeforeExpiry(googleDns(), QStringLiteral("POST /token -> 200"));
}
