// The service's data files as the service meets them: written without following a link planted
// at their path (the link is replaced, its target left alone), and read only when they are
// regular files of sane size, so that a FIFO, a device or a huge file stops the start with a
// message naming the file instead of hanging it, eating memory or replacing the database.

#include "ApiFixture.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sys/stat.h>

using namespace ck::test;

namespace {
void writeFile(const QString& path, const QByteArray& content, mode_t mode) {
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(f.write(content) == content.size());
    f.close();
    REQUIRE(::chmod(QFile::encodeName(path).constData(), mode) == 0);
}

QByteArray contentOf(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

mode_t modeOf(const QString& path) {
    struct stat st {};
    REQUIRE(::lstat(QFile::encodeName(path).constData(), &st) == 0);
    return st.st_mode;
}

void makeFifo(const QString& path) {
    REQUIRE(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
}

// A file elsewhere that a link at `linkPath` points to, and what it held.
struct LinkedTarget {
    QTemporaryDir dir;
    QString path;
    QByteArray content;
    LinkedTarget(const QString& linkPath, const QByteArray& bytes) : content(bytes) {
        path = dir.filePath("target.json");
        writeFile(path, content, 0600);
        REQUIRE(QFile::link(path, linkPath));
    }
    void checkUntouched() const {
        CHECK(contentOf(path) == content);
        CHECK((modeOf(path) & 07777) == 0600);
    }
};

void checkReplacedByFile(const QString& path, mode_t mode) {
    const mode_t st = modeOf(path);
    CHECK(S_ISREG(st));
    CHECK((st & 07777) == mode);
}
} // namespace

TEST_CASE("servers.json written through a planted link replaces the link, not its target",
          "[api][datafiles]") {
    ServiceProcess service;
    const QString servers = service.dataDir() + "/servers.json";
    const LinkedTarget target(servers, "[]\n");
    REQUIRE(service.start());
    checkReplacedByFile(servers, 0644);
    CHECK(contentOf(servers).contains("\"local\""));
    target.checkUntouched();
}

TEST_CASE("settings.json saved through a planted link replaces the link, not its target",
          "[api][datafiles]") {
    ServiceProcess service;
    const QString settings = service.dataDir() + "/settings.json";
    const LinkedTarget target(settings, "{}\n");
    REQUIRE(service.start());
    RawHttp http(service.port(), service.token().toStdString());
    const auto saved = http.put("/api/settings", QJsonObject{{"maxParallelRenewals", 3}});
    REQUIRE(saved.status == 200);
    checkReplacedByFile(settings, 0600);
    CHECK(contentOf(settings).contains("\"maxParallelRenewals\": 3"));
    target.checkUntouched();
}

TEST_CASE("A serviceconfig.json that is not a regular file of sane size stops the start",
          "[api][datafiles][startup]") {
    ServiceProcess service;
    const QString config = service.dataDir() + "/serviceconfig.json";
    QString expected;
    SECTION("a FIFO") {
        makeFifo(config);
        expected = "is a FIFO (named pipe), not a regular file";
    }
    SECTION("a link to /dev/zero") {
        REQUIRE(QFile::link("/dev/zero", config));
        expected = "is a character device, not a regular file";
    }
    SECTION("two megabytes") {
        writeFile(config, QByteArray(2 * 1024 * 1024, ' ') + "{}", 0644);
        expected = "is 2097154 bytes long, more than the 1048576 bytes";
    }
    CHECK(service.runToExit({}, 10000) == 1);
    const QString out = service.output();
    INFO(out.toStdString());
    CHECK(out.contains(config + ": " + expected));
    CHECK(contentOf(service.dataDir() + "/service.fault.json").contains("serviceconfig.json"));
}

TEST_CASE("A manageditems.db that is not a regular file is a start-up fault, not replaced",
          "[api][datafiles][startup]") {
    ServiceProcess service;
    const QString db = service.dataDir() + "/manageditems.db";
    SECTION("a FIFO, first start") {
        makeFifo(db);
    }
    SECTION("a FIFO where a database with a backup was") {
        REQUIRE(service.start());
        REQUIRE(service.stop());
        REQUIRE(QFile::remove(db));
        makeFifo(db);
    }
    CHECK(service.runToExit({}, 10000) == 1);
    const QString out = service.output();
    INFO(out.toStdString());
    CHECK(out.contains(db + " is a FIFO (named pipe), not a regular file"));
    CHECK(out.contains("does not replace it"));
    CHECK(S_ISFIFO(modeOf(db)));
}
