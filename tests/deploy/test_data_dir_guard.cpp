// The service's own files are out of reach of exports: a destination that leads into the data
// directory (named outright, through a link, or through a link made after the item was saved)
// is refused when the task runs and flagged by the dry run Preview shows, and the files there
// stay as they were.

#include "DeployTestSupport.h"
#include "base/PathSafety.h"
#include "deploy/CertificateExport.h"
#include "deploy/TaskDryRun.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace ck;
using namespace ck::deploy;
using namespace ck::test;

namespace {
const QByteArray kKeyBytes = QByteArray(32, '\x42');

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(f.write(bytes) == bytes.size());
}

void link(const QString& target, const QString& at) {
    REQUIRE(QFile::link(target, at));
}

ExportSettings exportTo(const QString& path) {
    ExportSettings s;
    s.format = QStringLiteral("pemcrt");
    s.path = path;
    return s;
}
} // namespace

TEST_CASE("resolvesInto follows links, also for parts that do not exist yet", "[deploy][datadir]") {
    QTemporaryDir root;
    const QString data = root.filePath(QStringLiteral("data"));
    const QString outside = root.filePath(QStringLiteral("www"));
    REQUIRE(QDir().mkpath(data));
    REQUIRE(QDir().mkpath(outside));
    writeFile(data + QStringLiteral("/machine.key"), kKeyBytes);

    CHECK(resolvesInto(data, data));
    CHECK(resolvesInto(data + QStringLiteral("/machine.key"), data));
    CHECK(resolvesInto(data + QStringLiteral("/not/yet/there.pem"), data));
    CHECK(resolvesInto(outside + QStringLiteral("/../data/api.token"), data));
    CHECK_FALSE(resolvesInto(outside + QStringLiteral("/site.pem"), data));
    CHECK_FALSE(resolvesInto(data + QStringLiteral("/../www/site.pem"), data));
    // A sibling whose name starts like the data directory's is not inside it.
    REQUIRE(QDir().mkpath(data + QStringLiteral("-old")));
    CHECK_FALSE(resolvesInto(data + QStringLiteral("-old/site.pem"), data));

    link(data, root.filePath(QStringLiteral("tls")));
    CHECK(resolvesInto(root.filePath(QStringLiteral("tls/machine.key")), data));
    CHECK(resolvesInto(root.filePath(QStringLiteral("tls/new/folder/x.pem")), data));
    link(data + QStringLiteral("/assets-to-come"), root.filePath(QStringLiteral("dangling")));
    CHECK(resolvesInto(root.filePath(QStringLiteral("dangling/x.pem")), data));
    link(data + QStringLiteral("/manageditems.db"), outside + QStringLiteral("/db.pem"));
    CHECK(resolvesInto(outside + QStringLiteral("/db.pem"), data));
    // The data directory given through a link of its own.
    link(data, root.filePath(QStringLiteral("data-link")));
    CHECK(resolvesInto(data + QStringLiteral("/api.token"),
                       root.filePath(QStringLiteral("data-link"))));
}

TEST_CASE("An export into the service's data directory is refused and writes nothing",
          "[deploy][export][datadir]") {
    IssuedItem issued;
    const QString key = issued.dataDir() + QStringLiteral("/machine.key");
    writeFile(key, kKeyBytes);
    REQUIRE(QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner));

    SECTION("named outright") {
        const TaskOutcome outcome =
            exportCertificateBlocking(exportTo(key), issued.item, {}, issued.dataDir());
        CHECK_FALSE(outcome.ok);
        CHECK(outcome.message.contains(QStringLiteral("inside the service's data directory")));
    }
    SECTION("through a link made after the destination was checked and used") {
        const QString folder = issued.path(QStringLiteral("tls"));
        REQUIRE(QDir().mkpath(folder));
        const QString target = folder + QStringLiteral("/machine.key");
        REQUIRE(exportCertificateBlocking(exportTo(target), issued.item, {}, issued.dataDir()).ok);
        // Someone swaps the folder for a link into the data directory.
        REQUIRE(QDir(folder).removeRecursively());
        link(issued.dataDir(), folder);
        const TaskOutcome outcome =
            exportCertificateBlocking(exportTo(target), issued.item, {}, issued.dataDir());
        CHECK_FALSE(outcome.ok);
        CHECK(outcome.message.contains(target));
        CHECK(outcome.message.contains(QStringLiteral("inside the service's data directory")));
    }
    QFile read(key);
    REQUIRE(read.open(QIODevice::ReadOnly));
    CHECK(read.readAll() == kKeyBytes);
    CHECK((QFileInfo(key).permissions() & (QFile::ReadOther | QFile::ReadGroup)) == 0);
}

TEST_CASE("The dry run flags an export that leads into the data directory", "[deploy][dryrun]") {
    IssuedItem issued;
    const QString folder = issued.path(QStringLiteral("tls"));
    link(issued.dataDir(), folder);
    const DeploymentTask task =
        makeTask(QStringLiteral("export"),
                 {{"format", "pemkey"}, {"path", folder + QStringLiteral("/api.token")}});
    const DryRun run = dryRunBlocking(task, issued.item, issued.dataDir());
    QStringList errors;
    for (const auto& f : run.findings)
        if (f.severity == DryRunFinding::Severity::Error)
            errors << f.message;
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].contains(QStringLiteral("inside the service's data directory")));
    CHECK_FALSE(QFileInfo::exists(issued.dataDir() + QStringLiteral("/api.token")));
}
