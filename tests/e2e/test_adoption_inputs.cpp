// Adoption's bad inputs and acme.sh's layout, against the real service. A folder that is
// missing or not the tool's, a lineage whose key does not match its certificate, one whose
// certificate expired, one whose files cannot be read, one adopted already: each is a row of the
// plan saying why, and nothing of it is created. acme.sh is not in Debian 12: its layout is
// written here file by file as acme.sh documents it (its wiki: the <domain>[_ecc]/ folder with
// <domain>.conf, <domain>.cer, <domain>.key, ca.cer and fullchain.cer; ca/<host>/<path>/ with
// account.key and ca.conf; account.conf), around a certificate and account lego got from Pebble.

#include "AdoptionTools.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace ck::test;

namespace {

void write(const QString& path, const QByteArray& content) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

QJsonObject adoption(IssuanceFixture& f, const char* step, const QJsonObject& body) {
    const auto answer = f.http->post(std::string("/api/adoption/") + step, body);
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    return answer.json();
}

QJsonObject rowOf(const QJsonObject& plan, const QString& lineage) {
    for (const auto& row : plan.value("rows").toArray())
        if (row.toObject().value("lineage").toString() == lineage)
            return row.toObject();
    FAIL("no row for " << lineage.toStdString() << " in "
                       << QJsonDocument(plan).toJson().toStdString());
    return {};
}

int itemCount(const IssuanceFixture& f) {
    return f.http->get("/api/managedcertificates").json().value("total").toInt();
}

// A self-signed certificate for `name` and its key, valid from `fromDays` to `toDays` around
// now (negative: in the past), by Debian's python3-cryptography (certbot's own dependency).
void selfSigned(const QString& name, int fromDays, int toDays, const QString& certFile,
                const QString& keyFile) {
    const QByteArray script = R"(
import datetime, sys
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
name, start, end, cert_file, key_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
key = ec.generate_private_key(ec.SECP256R1())
now = datetime.datetime.utcnow()
subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=start))
        .not_valid_after(now + datetime.timedelta(days=end))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256()))
open(cert_file, "wb").write(cert.public_bytes(serialization.Encoding.PEM))
open(key_file, "wb").write(key.private_bytes(serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
)";
    QDir().mkpath(QFileInfo(certFile).absolutePath());
    const ToolResult run =
        runTool(QStringLiteral("/usr/bin/python3"),
                {QStringLiteral("-c"), QString::fromUtf8(script), name, QString::number(fromDays),
                 QString::number(toDays), certFile, keyFile});
    INFO(run.stdOut.toStdString() << run.stdErr.toStdString());
    REQUIRE(run.exitCode == 0);
}

// A certbot lineage named `name` whose renewal file names the files in `dir` (plain files, as
// certbot's live/ links resolve to), with certbot's account `account` on Pebble.
void certbotLineage(const IssuanceFixture& f, const QString& config, const QString& name,
                    const QString& dir, const QString& account) {
    write(config + QStringLiteral("/renewal/%1.conf").arg(name),
          QStringLiteral("version = 2.1.0\n"
                         "archive_dir = %1\ncert = %1/cert.pem\nprivkey = %1/privkey.pem\n"
                         "chain = %1/chain.pem\nfullchain = %1/fullchain.pem\n\n"
                         "[renewalparams]\naccount = %2\nserver = %3\nauthenticator = standalone\n")
              .arg(dir, account, f.pebble->directoryUrl())
              .toUtf8());
}

QString certbotAccountId(const QString& config) {
    QDirIterator it(config + QStringLiteral("/accounts"), {QStringLiteral("regr.json")},
                    QDir::Files, QDirIterator::Subdirectories);
    REQUIRE(it.hasNext());
    return QFileInfo(it.next()).absolutePath().section(QLatin1Char('/'), -1);
}

} // namespace

TEST_CASE("a folder that is missing or not the tool's is said in the plan; nothing is created",
          "[e2e][adopt]") {
    IssuanceFixture f(adoptionOptions());
    QTemporaryDir work;
    const QString missing = work.filePath(QStringLiteral("no-such-folder"));
    for (const QString& tool :
         {QStringLiteral("certbot"), QStringLiteral("lego"), QStringLiteral("acme.sh")}) {
        INFO(tool.toStdString());
        const QJsonObject plan = adoption(f, "apply", {{"tool", tool}, {"path", missing}});
        CHECK(plan.value("adopted").toInt() == 0);
        CHECK(plan.value("refused").toInt() == 1);
        CHECK(rowOf(plan, missing).value("reason").toString().contains("does not exist"));
        // A folder that exists but is not the tool's.
        const QJsonObject other = adoption(f, "plan", {{"tool", tool}, {"path", work.path()}});
        CHECK(rowOf(other, work.path()).value("reason").toString().contains("is not"));
    }
    const auto unknown = f.http->post("/api/adoption/plan", {{"tool", "caddy"}, {"path", "/"}});
    CHECK(unknown.status == 422);
    CHECK(unknown.detail().contains("certbot, lego, acme.sh"));
    CHECK(itemCount(f) == 0);
}

TEST_CASE("bad lineages are refused, each with its reason, and the good one adopted",
          "[e2e][adopt]") {
    IssuanceFixture f(adoptionOptions());
    QTemporaryDir work;
    const QString config = work.filePath(QStringLiteral("letsencrypt"));
    runCertbot(f, config, {QStringLiteral("good.example.test")});
    const QString account = certbotAccountId(config);
    const QString good = config + QStringLiteral("/live/good.example.test/");

    // A key from another request beside a good certificate.
    const QString mismatch = work.filePath(QStringLiteral("mismatch"));
    QDir().mkpath(mismatch);
    for (const char* file : {"cert.pem", "chain.pem", "fullchain.pem"})
        QFile::copy(good + file, mismatch + "/" + file);
    selfSigned(QStringLiteral("other.example.test"), -1, 30, work.filePath("other.pem"),
               mismatch + QStringLiteral("/privkey.pem"));
    certbotLineage(f, config, QStringLiteral("mismatch.example.test"), mismatch, account);
    // A certificate that expired yesterday, with its own key.
    const QString expired = work.filePath(QStringLiteral("expired"));
    selfSigned(QStringLiteral("expired.example.test"), -90, -1, expired + "/cert.pem",
               expired + "/privkey.pem");
    write(expired + "/chain.pem", {});
    QFile::copy(expired + "/cert.pem", expired + "/fullchain.pem");
    certbotLineage(f, config, QStringLiteral("expired.example.test"), expired, account);
    // Files that are not there (a link into an archive someone removed).
    const QString gone = work.filePath(QStringLiteral("gone"));
    QDir().mkpath(gone);
    QFile::link(work.filePath(QStringLiteral("archive/cert1.pem")), gone + "/cert.pem");
    certbotLineage(f, config, QStringLiteral("gone.example.test"), gone, account);

    const QJsonObject plan = adoption(f, "apply", {{"tool", "certbot"}, {"path", config}});
    INFO(QJsonDocument(plan).toJson().toStdString());
    CHECK(plan.value("adopted").toInt() == 1);
    CHECK(plan.value("refused").toInt() == 3);
    CHECK(rowOf(plan, "good.example.test").value("status").toString() == "adopted");
    const QJsonObject wrongKey = rowOf(plan, "mismatch.example.test");
    CHECK(wrongKey.value("status").toString() == "refused");
    CHECK(wrongKey.value("reason").toString().contains("does not match its certificate"));
    CHECK(rowOf(plan, "expired.example.test").value("reason").toString().contains("expired on"));
    const QString unreadable = rowOf(plan, "gone.example.test").value("reason").toString();
    CHECK(unreadable.contains("cannot be read"));
    CHECK(unreadable.contains(gone + "/cert.pem"));
    CHECK(itemCount(f) == 1);
    // Nothing of the refused ones on disk: one item's files only.
    CHECK(QDir(f.dataDir.filePath(QStringLiteral("assets")))
              .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
              .size() == 1);

    // Asked again: the good one is adopted already, and nothing is created twice.
    const QJsonObject again = adoption(f, "apply", {{"tool", "certbot"}, {"path", config}});
    CHECK(again.value("adopted").toInt() == 0);
    CHECK(rowOf(again, "good.example.test").value("reason").toString().contains("Already adopted"));
    CHECK(itemCount(f) == 1);
}

TEST_CASE("acme.sh's layout: its account imported, five adopted within the edition's limit, "
          "and a renewal writes the --install-cert paths",
          "[e2e][adopt]") {
    IssuanceFixture f(adoptionOptions());
    QTemporaryDir work;
    // A certificate and an account from Pebble (by lego), laid out as acme.sh keeps them.
    const QString lego = work.filePath(QStringLiteral("lego"));
    runLego(f, lego, {QStringLiteral("a-real.example.test")});
    const QString home = work.filePath(QStringLiteral("acme.sh"));
    const QString installed = work.filePath(QStringLiteral("installed/"));
    QDir().mkpath(installed);
    const QString legoCert = lego + QStringLiteral("/certificates/a-real.example.test");
    const QByteArray bundle = IssuanceFixture::fileContents(legoCert + ".crt");
    const QByteArray issuer = IssuanceFixture::fileContents(legoCert + ".issuer.crt");
    const QString real = home + QStringLiteral("/a-real.example.test_ecc/");
    write(real + "a-real.example.test.cer",
          bundle.left(bundle.indexOf("-----END CERTIFICATE-----") + 26));
    write(real + "a-real.example.test.key", IssuanceFixture::fileContents(legoCert + ".key"));
    write(real + "ca.cer", issuer);
    write(real + "fullchain.cer", bundle);
    write(real + "a-real.example.test.conf",
          QStringLiteral("Le_Domain='a-real.example.test'\nLe_Alt='no'\nLe_Webroot='no'\n"
                         "Le_PreHook=''\nLe_PostHook=''\nLe_RenewHook=''\n"
                         "Le_API='%1'\nLe_Keylength='ec-256'\n"
                         "Le_RealCertPath='%2cert.pem'\nLe_RealCACertPath='%2ca.pem'\n"
                         "Le_RealKeyPath='%2key.pem'\nLe_ReloadCmd=''\n"
                         "Le_RealFullChainPath='%2fullchain.pem'\n")
              .arg(f.pebble->directoryUrl(), installed)
              .toUtf8());
    // ca/<host>/<directory path>/: the account lego registered, as acme.sh would hold it.
    QDirIterator keys(lego + QStringLiteral("/accounts"), {QStringLiteral("*.key")}, QDir::Files,
                      QDirIterator::Subdirectories);
    REQUIRE(keys.hasNext());
    const QString accountKey = keys.next();
    const QString caDir = home + QStringLiteral("/ca/127.0.0.1/dir/");
    write(caDir + "account.key", IssuanceFixture::fileContents(accountKey));
    const QJsonObject legoAccount =
        QJsonDocument::fromJson(IssuanceFixture::fileContents(QFileInfo(accountKey).absolutePath() +
                                                              "/../account.json"))
            .object();
    const QString accountUrl = legoAccount.value("registration").toObject().value("uri").toString();
    write(caDir + "ca.conf", QStringLiteral("ACCOUNT_URL='%1'\n").arg(accountUrl).toUtf8());
    write(home + "/account.conf", "ACCOUNT_EMAIL='acme.sh@example.test'\n");
    // Five more, made by openssl's peer here: valid, in date, with their own keys.
    for (int i = 1; i <= 5; ++i) {
        const QString name = QStringLiteral("more%1.example.test").arg(i);
        const QString dir = home + "/" + name + "/";
        selfSigned(name, -1, 60, dir + name + ".cer", dir + name + ".key");
        write(dir + "ca.cer", {});
        QFile::copy(dir + name + ".cer", dir + "fullchain.cer");
        write(dir + name + ".conf",
              QStringLiteral("Le_Domain='%1'\nLe_Alt='no'\nLe_Webroot='no'\nLe_API='%2'\n"
                             "Le_RealFullChainPath='%3%1.pem'\n")
                  .arg(name, f.pebble->directoryUrl(), installed)
                  .toUtf8());
    }

    const QJsonObject plan = adoption(f, "plan", {{"tool", "acme.sh"}, {"path", home}});
    INFO(QJsonDocument(plan).toJson().toStdString());
    CHECK(plan.value("adopted").toInt() == 6);
    const QJsonObject realRow = rowOf(plan, "a-real.example.test_ecc");
    CHECK(realRow.value("keyType").toString() == "ecdsa-p256");
    CHECK(realRow.value("targets").toArray().size() == 4);

    // The edition allows 5: the first five are created, the sixth refused with the reason.
    const QJsonObject applied = adoption(f, "apply", {{"tool", "acme.sh"}, {"path", home}});
    INFO(QJsonDocument(applied).toJson().toStdString());
    CHECK(applied.value("adopted").toInt() == 5);
    CHECK(applied.value("refused").toInt() == 1);
    const QJsonObject sixth = rowOf(applied, "more5.example.test");
    CHECK(sixth.value("limitReached").toBool());
    CHECK(sixth.value("reason").toString().contains("5"));
    CHECK(itemCount(f) == 5);
    const QJsonArray accounts = f.http->get("/api/accounts").json().value("items").toArray();
    REQUIRE(accounts.size() == 1);
    CHECK(accounts[0].toObject().value("accountUrl").toString() == accountUrl);

    const QString id = rowOf(applied, "a-real.example.test_ecc").value("itemId").toString();
    const QJsonObject item = f.item(id);
    const QJsonObject renewed = requireIssued(f, f.requestAndWait(id));
    CHECK(renewed.value("certificateThumbprint") != item.value("certificateThumbprint"));
    CHECK(thumbprintOf(installed + "cert.pem") ==
          renewed.value("certificateThumbprint").toString());
    CHECK(thumbprintOf(installed + "fullchain.pem") ==
          renewed.value("certificateThumbprint").toString());
    CHECK(pemBlocks(installed + "fullchain.pem") == 2);
    CHECK(pemBlocks(installed + "ca.pem") == 1);
    CHECK(publicKeyOf(installed + "key.pem", false) == publicKeyOf(installed + "cert.pem", true));
}
