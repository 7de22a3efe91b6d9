// The export task: each format holds what its name says (read back by the openssl tool), the file
// is replaced atomically with its owner, group and mode already set, and bad destinations fail
// with a message that says what to do.

#include "DeployTestSupport.h"
#include "deploy/CertificateExport.h"

#include <QDir>
#include <QFileInfo>

#include <cstdlib>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace ck;
using namespace ck::deploy;
using namespace ck::test;

namespace {
const QString kLeaf = QStringLiteral("CN = shop.example.test");
const QString kIntermediate = QStringLiteral("CN = Certkeeper Test Intermediate");
const QString kRoot = QStringLiteral("CN = Certkeeper Test Root");

ExportSettings settingsFor(const QString& format, const QString& path, const QString& mode = {}) {
    ExportSettings s;
    s.format = format;
    s.path = path;
    s.modeText = mode;
    return s;
}

QByteArray openssl(const QStringList& args) {
    const auto r = crypto::test::runOpenssl(args);
    INFO(r.output.toStdString());
    REQUIRE(r.exitCode == 0);
    return r.output;
}

QByteArray publicKeyOfCertificate(const QString& pem) {
    return openssl({"x509", "-in", pem, "-noout", "-pubkey"});
}

QByteArray publicKeyOfKeyFile(const QString& pem) {
    return openssl({"pkey", "-in", pem, "-pubout"});
}

struct stat statOf(const QString& path) {
    struct stat st {};
    REQUIRE(::stat(QFile::encodeName(path).constData(), &st) == 0);
    return st;
}

// Restores an environment variable when the test ends.
struct EnvironmentOverride {
    QByteArray name;
    std::optional<QByteArray> previous;
    EnvironmentOverride(const char* n, const QByteArray& value) : name(n) {
        if (const char* old = std::getenv(n))
            previous = QByteArray(old);
        ::setenv(n, value.constData(), 1);
    }
    ~EnvironmentOverride() {
        if (previous)
            ::setenv(name.constData(), previous->constData(), 1);
        else
            ::unsetenv(name.constData());
    }
};
} // namespace

TEST_CASE("Each export format holds what its name says", "[deploy][export]") {
    IssuedItem issued;
    const auto exported = [&](const QString& format, const QString& password = {}) {
        const QString path = issued.path(QStringLiteral("out/") + format);
        QDir().mkpath(issued.path(QStringLiteral("out")));
        const TaskOutcome outcome = exportCertificateBlocking(
            settingsFor(format, path), issued.item, password, issued.dataDir());
        INFO(outcome.message.toStdString());
        REQUIRE(outcome.ok);
        CHECK(outcome.message.contains(path));
        return path;
    };
    const QByteArray leafKey = publicKeyOfCertificate(issued.item.certificatePath);

    SECTION("certificate, chain and intermediates; no key where none belongs") {
        CHECK(certificateSubjects(exported("pemcrt")) == QStringList{kLeaf});
        CHECK(certificateSubjects(exported("pemintermediates")) == QStringList{kIntermediate});
        // The CA sent no root and no trust store has this test root: the chain is what is known.
        CHECK(certificateSubjects(exported("pemchain")) == QStringList{kIntermediate});
        CHECK(certificateSubjects(exported("pemfullnokey")) == QStringList{kLeaf, kIntermediate});
        CHECK(certificateSubjects(exported("pemfullchain")) == QStringList{kLeaf, kIntermediate});
        for (const char* format :
             {"pemcrt", "pemchain", "pemintermediates", "pemfullnokey", "pemfullchain"}) {
            INFO(format);
            CHECK_FALSE(
                readAll(issued.path(QStringLiteral("out/") + format)).contains("PRIVATE KEY"));
            CHECK((statOf(issued.path(QStringLiteral("out/") + format)).st_mode & 07777) == 0644);
        }
    }
    SECTION("the key alone, and the key with the chain") {
        const QString key = exported("pemkey");
        CHECK(publicKeyOfKeyFile(key) == leafKey);
        CHECK(certificateSubjects(key).isEmpty());
        const QString full = exported("pemfull");
        CHECK(publicKeyOfKeyFile(full) == leafKey);
        CHECK(certificateSubjects(full) == QStringList{kLeaf, kIntermediate});
        CHECK(readAll(full).startsWith("-----BEGIN PRIVATE KEY-----"));
        CHECK((statOf(key).st_mode & 07777) == 0600);
        CHECK((statOf(full).st_mode & 07777) == 0600);
    }
    SECTION("PKCS#12 opens with the item's PFX password and holds key and chain") {
        const QString pfx = exported("pfxfull", QStringLiteral("pfx-secret"));
        const QByteArray pem =
            openssl({"pkcs12", "-in", pfx, "-passin", "pass:pfx-secret", "-nodes"});
        crypto::test::writeFile(issued.path(QStringLiteral("pfx.pem")), pem);
        CHECK(publicKeyOfKeyFile(issued.path(QStringLiteral("pfx.pem"))) == leafKey);
        CHECK(certificateSubjects(issued.path(QStringLiteral("pfx.pem"))) ==
              QStringList{kLeaf, kIntermediate});
        CHECK(crypto::test::runOpenssl({"pkcs12", "-in", pfx, "-passin", "pass:wrong", "-nodes"})
                  .exitCode != 0);
        CHECK((statOf(pfx).st_mode & 07777) == 0600);
    }
    SECTION("a root the CA sent, or the system trusts, completes pemchain and pemfull") {
        crypto::test::writeFile(issued.item.certificateChainPath,
                                issued.chain.intermediatePem + issued.chain.rootPem);
        CHECK(certificateSubjects(exported("pemintermediates")) == QStringList{kIntermediate});
        CHECK(certificateSubjects(exported("pemchain")) == QStringList{kIntermediate, kRoot});
        CHECK(certificateSubjects(exported("pemfullnokey")) ==
              QStringList{kLeaf, kIntermediate, kRoot});
        // certbot's fullchain.pem: what the CA sent, never a root added.
        CHECK(certificateSubjects(exported("pemfullchain")) == QStringList{kLeaf, kIntermediate});

        crypto::test::writeFile(issued.item.certificateChainPath, issued.chain.intermediatePem);
        const QString trusted = issued.path(QStringLiteral("trusted-roots.pem"));
        crypto::test::writeFile(trusted, issued.chain.rootPem);
        QDir().mkpath(issued.path(QStringLiteral("empty-ca-dir")));
        const EnvironmentOverride file("SSL_CERT_FILE", QFile::encodeName(trusted));
        const EnvironmentOverride dir(
            "SSL_CERT_DIR", QFile::encodeName(issued.path(QStringLiteral("empty-ca-dir"))));
        CHECK(certificateSubjects(exported("pemchain")) == QStringList{kIntermediate, kRoot});
        CHECK(certificateSubjects(exported("pemfull")) == QStringList{kLeaf, kIntermediate, kRoot});
    }
}

TEST_CASE("An export replaces the file atomically: a reader sees the old or the new file",
          "[deploy][export]") {
    IssuedItem issued;
    const QString path = issued.path(QStringLiteral("live.pem"));
    const ExportSettings leafOnly = settingsFor(QStringLiteral("pemcrt"), path, "0640");
    const ExportSettings full = settingsFor(QStringLiteral("pemfullnokey"), path, "0640");
    REQUIRE(exportCertificateBlocking(full, issued.item, {}, issued.dataDir()).ok);
    const QByteArray fullContent = readAll(path);
    REQUIRE(exportCertificateBlocking(leafOnly, issued.item, {}, issued.dataDir()).ok);
    const QByteArray leafContent = readAll(path);
    REQUIRE(leafContent != fullContent);

    std::atomic<bool> stop{false};
    std::atomic<int> reads{0}, torn{0}, wrongMode{0};
    std::thread reader([&] {
        while (!stop) {
            struct stat st {};
            const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
            if (fd < 0) {
                ++torn; // the file must never be missing
                continue;
            }
            ::fstat(fd, &st);
            QByteArray content;
            char buffer[512]; // small reads: a half-written file would show
            ssize_t n;
            while ((n = ::read(fd, buffer, sizeof buffer)) > 0)
                content.append(buffer, n);
            ::close(fd);
            ++reads;
            if (content != leafContent && content != fullContent)
                ++torn;
            if ((st.st_mode & 07777) != 0640)
                ++wrongMode;
        }
    });
    for (int i = 0; i < 150; ++i)
        REQUIRE(
            exportCertificateBlocking(i % 2 ? leafOnly : full, issued.item, {}, issued.dataDir())
                .ok);
    stop = true;
    reader.join();
    CHECK(reads > 50);
    CHECK(torn == 0);
    CHECK(wrongMode == 0);
    const QStringList leftovers =
        QDir(issued.path(QString())).entryList({QStringLiteral("live.pem*")}, QDir::Files);
    CHECK(leftovers == QStringList{QStringLiteral("live.pem")});

    SECTION("a failed export leaves the previous file as it was") {
        const QByteArray before = readAll(path);
        ExportSettings unknownOwner = full;
        unknownOwner.owner = QStringLiteral("no-such-user-certkeeper");
        const TaskOutcome outcome =
            exportCertificateBlocking(unknownOwner, issued.item, {}, issued.dataDir());
        CHECK_FALSE(outcome.ok);
        CHECK(outcome.message.contains(QStringLiteral("no user 'no-such-user-certkeeper'")));
        CHECK(readAll(path) == before);
    }
}

TEST_CASE("Owner, group and mode are set before the file appears", "[deploy][export]") {
    IssuedItem issued;
    const QString path = issued.path(QStringLiteral("owned.key"));
    ExportSettings s = settingsFor(QStringLiteral("pemkey"), path, QStringLiteral("0640"));
    s.owner = QStringLiteral("nobody");
    s.group = QStringLiteral("nogroup");
    const passwd* nobody = ::getpwnam("nobody");
    const group* nogroup = ::getgrnam("nogroup");
    REQUIRE(nobody);
    REQUIRE(nogroup);
    const TaskOutcome outcome = exportCertificateBlocking(s, issued.item, {}, issued.dataDir());
    if (::geteuid() != 0) {
        // Only root may give a file away: the failure must say so, and leave nothing behind.
        CHECK_FALSE(outcome.ok);
        CHECK(outcome.message.contains(QStringLiteral("only root")));
        CHECK_FALSE(QFileInfo::exists(path));
        return;
    }
    INFO(outcome.message.toStdString());
    REQUIRE(outcome.ok);
    const struct stat st = statOf(path);
    CHECK(st.st_uid == nobody->pw_uid);
    CHECK(st.st_gid == nogroup->gr_gid);
    CHECK((st.st_mode & 07777) == 0640);
    CHECK(outcome.message.contains(QStringLiteral("mode 0640, owner nobody:nogroup")));

    SECTION("numeric ids work as well") {
        s.owner = QString::number(nobody->pw_uid);
        s.group = QStringLiteral("0");
        s.modeText = QStringLiteral("600");
        REQUIRE(exportCertificateBlocking(s, issued.item, {}, issued.dataDir()).ok);
        CHECK(statOf(path).st_uid == nobody->pw_uid);
        CHECK(statOf(path).st_gid == 0);
        CHECK((statOf(path).st_mode & 07777) == 0600);
    }
}

TEST_CASE("Bad export settings fail with a message that says what to do", "[deploy][export]") {
    IssuedItem issued;
    const auto failure = [&](const ExportSettings& s) {
        const TaskOutcome outcome = exportCertificateBlocking(s, issued.item, {}, issued.dataDir());
        CHECK_FALSE(outcome.ok);
        return outcome.message;
    };
    CHECK(failure(settingsFor("pemcrt", issued.path("missing/dir/cert.pem")))
              .contains(QStringLiteral("folder %1 does not exist; create it")
                            .arg(issued.path("missing/dir"))));
    CHECK(failure(settingsFor("der", issued.path("cert.der")))
              .contains(QStringLiteral("'der' is not an export format; use pemcrt")));
    CHECK(failure(settingsFor("pemcrt", issued.path("x.pem"), "rwx"))
              .contains(QStringLiteral("'rwx' is not a file mode")));
    CHECK(failure(settingsFor("pemcrt", QStringLiteral("relative/x.pem")))
              .contains(QStringLiteral("no absolute destination path")));
    QDir().mkpath(issued.path("a-folder"));
    CHECK(failure(settingsFor("pemcrt", issued.path("a-folder")))
              .contains(QStringLiteral("is a folder")));
    ExportSettings badGroup = settingsFor("pemcrt", issued.path("g.pem"));
    badGroup.group = QStringLiteral("no-such-group-certkeeper");
    CHECK(failure(badGroup).contains(QStringLiteral("no group 'no-such-group-certkeeper'")));

    ManagedCertificate notIssued = issued.item;
    notIssued.certificatePath.clear();
    const TaskOutcome none = exportCertificateBlocking(settingsFor("pemcrt", issued.path("n.pem")),
                                                       notIssued, {}, issued.dataDir());
    CHECK(none.message.contains(QStringLiteral("has no certificate yet; request one first")));
    ManagedCertificate filesGone = issued.item;
    filesGone.certificateKeyPath = issued.path("deleted-key.pem");
    const TaskOutcome gone = exportCertificateBlocking(settingsFor("pemkey", issued.path("k.pem")),
                                                       filesGone, {}, issued.dataDir());
    CHECK(gone.message.contains(QStringLiteral("files of 'Shop \"main\"' are missing")));
    CHECK_FALSE(QFileInfo::exists(issued.path("n.pem")));
    CHECK_FALSE(QFileInfo::exists(issued.path("k.pem")));
}
