// DataFile, the one reader and writer of data files: a write replaces a link planted at the path
// (never its target) and gives the new file its mode from the start; a read takes only regular
// files of bounded size and says what anything else is.

#include "TestSupport.h"
#include "config/DataFile.h"
#include "config/JsonFile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

#include <sys/stat.h>

using namespace ck;

namespace {
void writePlain(const QString& path, const QByteArray& content, mode_t mode) {
    cktest::writeFile(path, content);
    REQUIRE(::chmod(QFile::encodeName(path).constData(), mode) == 0);
}

struct stat lstatOf(const QString& path) {
    struct stat st {};
    REQUIRE(::lstat(QFile::encodeName(path).constData(), &st) == 0);
    return st;
}
} // namespace

TEST_CASE("A write replaces a link at the path and leaves its target alone", "[config][datafile]") {
    QTemporaryDir dir;
    const QString target = dir.filePath("elsewhere.json");
    const QString path = dir.filePath("servers.json");
    writePlain(target, "untouched\n", 0600);
    REQUIRE(QFile::link(target, path));

    SECTION("writeFileAtomic") {
        QString error;
        REQUIRE(writeFileAtomic(path, "new\n", 0644, &error));
        CHECK(cktest::readFile(path) == "new\n");
    }
    SECTION("writeJsonFileAtomic") {
        QString error;
        REQUIRE(writeJsonFileAtomic(path, QJsonDocument(QJsonArray{1, 2}), &error, 0644));
        CHECK(QJsonDocument::fromJson(cktest::readFile(path)).array() == QJsonArray{1, 2});
    }
    const struct stat written = lstatOf(path);
    CHECK(S_ISREG(written.st_mode));
    CHECK((written.st_mode & 07777) == 0644);
    CHECK(cktest::readFile(target) == "untouched\n");
    CHECK((lstatOf(target).st_mode & 07777) == 0600);
    // Nothing left behind but the two files.
    CHECK(QDir(dir.path()).entryList(QDir::Files | QDir::System).size() == 2);
}

TEST_CASE("A written file has its mode whatever the umask", "[config][datafile]") {
    QTemporaryDir dir;
    const mode_t previous = ::umask(0077);
    QString error;
    const bool written = writeFileAtomic(dir.filePath("servers.json"), "[]", 0644, &error);
    ::umask(previous);
    REQUIRE(written);
    CHECK((lstatOf(dir.filePath("servers.json")).st_mode & 07777) == 0644);
}

TEST_CASE("createFileExclusive never replaces what is there", "[config][datafile]") {
    QTemporaryDir dir;
    const QString path = dir.filePath("machine.key");
    QString error;
    CHECK(createFileExclusive(path, "first", 0600, &error) == CreateResult::Created);
    CHECK(createFileExclusive(path, "second", 0600, &error) == CreateResult::AlreadyExists);
    CHECK(cktest::readFile(path) == "first");
}

TEST_CASE("A read takes regular files of bounded size only", "[config][datafile]") {
    QTemporaryDir dir;
    SECTION("a regular file, also through a link") {
        writePlain(dir.filePath("a.json"), "{}", 0600);
        REQUIRE(QFile::link(dir.filePath("a.json"), dir.filePath("link.json")));
        CHECK(readDataFile(dir.filePath("a.json")).bytes == "{}");
        CHECK(readDataFile(dir.filePath("link.json")).bytes == "{}");
    }
    SECTION("nothing there") {
        const DataFileRead r = readDataFile(dir.filePath("none.json"));
        CHECK(r.missing);
        CHECK_FALSE(r.ok());
    }
    SECTION("a FIFO does not block") {
        REQUIRE(::mkfifo(QFile::encodeName(dir.filePath("fifo")).constData(), 0600) == 0);
        CHECK(readDataFile(dir.filePath("fifo")).problem ==
              "is a FIFO (named pipe), not a regular file");
        CHECK(irregularFileProblem(dir.filePath("fifo")) ==
              "is a FIFO (named pipe), not a regular file");
    }
    SECTION("a device, even through a link") {
        REQUIRE(QFile::link("/dev/zero", dir.filePath("zero")));
        CHECK(readDataFile(dir.filePath("zero")).problem ==
              "is a character device, not a regular file");
    }
    SECTION("a folder") {
        CHECK(readDataFile(dir.path()).problem == "is a folder, not a regular file");
    }
    SECTION("larger than the bound") {
        writePlain(dir.filePath("big"), QByteArray(2000, 'x'), 0600);
        const DataFileRead r = readDataFile(dir.filePath("big"), 1000);
        CHECK(r.bytes.isEmpty());
        CHECK(r.problem.contains("2000 bytes long"));
        CHECK(readDataFile(dir.filePath("big"), 2000).bytes.size() == 2000);
    }
    SECTION("a link to nothing") {
        REQUIRE(QFile::link(dir.filePath("gone"), dir.filePath("dangling")));
        CHECK(readDataFile(dir.filePath("dangling")).missing);
        CHECK(irregularFileProblem(dir.filePath("dangling")).contains("which does not exist"));
        CHECK(irregularFileProblem(dir.filePath("never")).isEmpty());
    }
}

TEST_CASE("readJsonFile names a FIFO instead of waiting on it", "[config][datafile]") {
    QTemporaryDir dir;
    const QString path = dir.filePath("serviceconfig.json");
    REQUIRE(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
    const JsonFileResult r = readJsonFile(path);
    REQUIRE(r.error);
    CHECK(r.error->message() == path + ": is a FIFO (named pipe), not a regular file");
}
