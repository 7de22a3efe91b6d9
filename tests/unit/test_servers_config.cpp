// servers.json: the app's list of service connections. The service rewrites only its own "local"
// entry; what the user added, and which entry is the default, must survive that.

#include "TestSupport.h"
#include "config/ServersConfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sys/stat.h>

using namespace ck;
using cktest::writeFile;

namespace {
ServerEntry remoteEntry() {
    ServerEntry e;
    e.id = QStringLiteral("office");
    e.displayName = QStringLiteral("Office server");
    e.host = QStringLiteral("192.0.2.20");
    e.port = 9700;
    e.useHttps = true;
    e.tokenFile = QStringLiteral("/etc/certkeeper/office.token");
    e.isDefault = true;
    return e;
}

ServersConfig loadOk(const QString& path) {
    auto loaded = ServersConfig::load(path);
    if (auto* e = std::get_if<ConfigError>(&loaded))
        FAIL(e->message().toStdString());
    return std::get<ServersConfig>(loaded);
}
} // namespace

TEST_CASE("servers.json survives save and load", "[config][servers]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("servers.json"));

    ServersConfig cfg;
    ServerEntry local;
    local.isDefault = false;
    local.tokenFile = dir.filePath(QStringLiteral("api.token"));
    cfg.servers = {local, remoteEntry()};
    QString error;
    REQUIRE(cfg.save(path, &error));
    CHECK(error.isEmpty());

    const auto back = loadOk(path);
    REQUIRE(back.servers.size() == 2);
    CHECK(back.servers[0] == cfg.servers[0]);
    CHECK(back.servers[1] == cfg.servers[1]);
    REQUIRE(back.defaultServer() != nullptr);
    CHECK(back.defaultServer()->id == QStringLiteral("office"));
    REQUIRE(back.find(QStringLiteral("local")) != nullptr);
    CHECK(back.find(QStringLiteral("nope")) == nullptr);
    CHECK(back.servers[1].baseUrl() == QStringLiteral("https://192.0.2.20:9700"));

    // Readable by the desktop user's app; pretty-printed so a person can edit it.
    CHECK(QFileInfo(path).permissions().testFlag(QFileDevice::ReadOther));
    CHECK(cktest::readFile(path).count('\n') > 5);
}

TEST_CASE("Base URLs bracket IPv6 hosts", "[config][servers]") {
    ServerEntry e;
    e.host = QStringLiteral("::1");
    e.port = 9696;
    CHECK(e.baseUrl() == QStringLiteral("http://[::1]:9696"));
}

TEST_CASE("updateLocalEntry creates servers.json with a default local entry", "[config][servers]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("servers.json"));
    const QString token = dir.filePath(QStringLiteral("api.token"));
    QString error;
    REQUIRE(
        ServersConfig::updateLocalEntry(path, QStringLiteral("127.0.0.1"), 9697, token, &error));

    const auto cfg = loadOk(path);
    REQUIRE(cfg.servers.size() == 1);
    const auto& local = cfg.servers[0];
    CHECK(local.id == QStringLiteral("local"));
    CHECK(local.host == QStringLiteral("127.0.0.1"));
    CHECK(local.port == 9697);
    CHECK(local.tokenFile == token);
    CHECK(local.isDefault);
}

TEST_CASE("updateLocalEntry keeps other entries and the default flag", "[config][servers]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("servers.json"));
    const QString token = dir.filePath(QStringLiteral("api.token"));
    QString error;

    SECTION("no local entry yet, another entry is the default") {
        ServersConfig cfg;
        cfg.servers = {remoteEntry()};
        REQUIRE(cfg.save(path, &error));
        REQUIRE(ServersConfig::updateLocalEntry(path, QStringLiteral("127.0.0.1"), 9696, token,
                                                &error));
        const auto back = loadOk(path);
        REQUIRE(back.servers.size() == 2);
        CHECK(back.servers[0].id == QStringLiteral("local"));
        CHECK_FALSE(back.servers[0].isDefault);
        CHECK(back.servers[1] == remoteEntry());
        CHECK(back.defaultServer()->id == QStringLiteral("office"));
    }
    SECTION("an existing local entry: only host, port and token file change") {
        ServersConfig cfg;
        ServerEntry local;
        local.displayName = QStringLiteral("My laptop");
        local.isDefault = false;
        local.port = 9696;
        cfg.servers = {remoteEntry(), local};
        REQUIRE(cfg.save(path, &error));
        REQUIRE(ServersConfig::updateLocalEntry(path, QStringLiteral("::1"), 9701, token, &error));
        const auto back = loadOk(path);
        REQUIRE(back.servers.size() == 2);
        CHECK(back.servers[0] == remoteEntry());
        const auto& updated = back.servers[1];
        CHECK(updated.id == QStringLiteral("local"));
        CHECK(updated.displayName == QStringLiteral("My laptop"));
        CHECK(updated.host == QStringLiteral("::1"));
        CHECK(updated.port == 9701);
        CHECK(updated.tokenFile == token);
        CHECK_FALSE(updated.isDefault);
        CHECK(back.defaultServer()->id == QStringLiteral("office"));
    }
    SECTION("an existing default local entry stays the default") {
        ServersConfig cfg;
        ServerEntry local;
        auto remote = remoteEntry();
        remote.isDefault = false;
        cfg.servers = {local, remote};
        REQUIRE(cfg.save(path, &error));
        REQUIRE(ServersConfig::updateLocalEntry(path, QStringLiteral("127.0.0.1"), 9800, token,
                                                &error));
        const auto back = loadOk(path);
        REQUIRE(back.servers.size() == 2);
        CHECK(back.servers[0].isDefault);
        CHECK(back.servers[0].port == 9800);
        CHECK(back.servers[1] == remote);
    }
    SECTION("a damaged file is replaced by one with the local entry") {
        writeFile(path, "[ { \"id\": \"office\", ");
        REQUIRE(ServersConfig::updateLocalEntry(path, QStringLiteral("127.0.0.1"), 9696, token,
                                                &error));
        const auto back = loadOk(path);
        REQUIRE(back.servers.size() == 1);
        CHECK(back.servers[0].id == QStringLiteral("local"));
        CHECK(back.servers[0].isDefault);
    }
}

TEST_CASE("Loading servers.json reports what is wrong", "[config][servers]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("servers.json"));

    SECTION("missing file") {
        auto loaded = ServersConfig::load(path);
        REQUIRE(std::holds_alternative<ConfigError>(loaded));
        CHECK(std::get<ConfigError>(loaded).file == path);
    }
    SECTION("not an array") {
        writeFile(path, R"({"id": "local"})");
        auto loaded = ServersConfig::load(path);
        REQUIRE(std::holds_alternative<ConfigError>(loaded));
        CHECK(std::get<ConfigError>(loaded).detail.contains(QStringLiteral("array")));
    }
    SECTION("an entry that is not an object") {
        writeFile(path, R"([{"id": "local"}, "office"])");
        auto loaded = ServersConfig::load(path);
        REQUIRE(std::holds_alternative<ConfigError>(loaded));
        CHECK(std::get<ConfigError>(loaded).field == QStringLiteral("[1]"));
    }
    SECTION("a bad port names the entry and the field") {
        writeFile(path, "[\n  {\n    \"id\": \"local\",\n    \"port\": \"9696\"\n  }\n]\n");
        auto loaded = ServersConfig::load(path);
        REQUIRE(std::holds_alternative<ConfigError>(loaded));
        const auto e = std::get<ConfigError>(loaded);
        CHECK(e.field == QStringLiteral("[0].port"));
        CHECK(e.line == 4);
    }
    SECTION("out-of-range ports") {
        const QByteArray json =
            GENERATE(QByteArray(R"([{"port": 0}])"), QByteArray(R"([{"port": 65536}])"),
                     QByteArray(R"([{"port": 96.5}])"));
        writeFile(path, json);
        auto loaded = ServersConfig::load(path);
        REQUIRE(std::holds_alternative<ConfigError>(loaded));
        CHECK(std::get<ConfigError>(loaded).field == QStringLiteral("[0].port"));
    }
}

// ServersConfig::load finds the line with lineOfKey(text, "port"), the first "port" key in the
// whole file, so an error in the second entry points at the first entry's port line.
TEST_CASE("A bad port in a later entry reports that entry's line", "[config][servers]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("servers.json"));
    writeFile(path, "[\n"
                    "  {\n"
                    "    \"id\": \"local\",\n"
                    "    \"port\": 9696\n"
                    "  },\n"
                    "  {\n"
                    "    \"id\": \"office\",\n"
                    "    \"port\": \"x\"\n"
                    "  }\n"
                    "]\n");
    auto loaded = ServersConfig::load(path);
    REQUIRE(std::holds_alternative<ConfigError>(loaded));
    const auto e = std::get<ConfigError>(loaded);
    CHECK(e.field == QStringLiteral("[1].port"));
    CHECK(e.line == 8);
}

// servers.json written by hand, or by someone else: whatever it holds, loading ends at once with
// an error that names the file, and nothing is read past the size bound.
TEST_CASE("A hostile servers.json is refused in words, never read without end",
          "[config][servers][hostile]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("servers.json"));
    const auto refused = [&](const char* why) {
        INFO(why);
        auto loaded = ServersConfig::load(path);
        REQUIRE(std::holds_alternative<ConfigError>(loaded));
        const ConfigError e = std::get<ConfigError>(loaded);
        CHECK(e.file == path);
        CHECK_FALSE(e.detail.isEmpty());
        return e;
    };

    SECTION("a FIFO (a read would wait for a writer forever)") {
        REQUIRE(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
        CHECK(refused("fifo").detail.contains(QStringLiteral("FIFO")));
    }
    SECTION("a link to /dev/zero (a read would never end)") {
        REQUIRE(QFile::link(QStringLiteral("/dev/zero"), path));
        refused("/dev/zero");
    }
    SECTION("a directory") {
        REQUIRE(QDir().mkpath(path));
        refused("directory");
    }
    SECTION("binary garbage, cut-off JSON, and nesting a parser could drown in") {
        const QByteArray text =
            GENERATE(QByteArray("\x00\xff\xfe garbage \x01", 13),
                     QByteArray(R"([{"id": "local", "port": 96)"), QByteArray(100000, '['));
        writeFile(path, text);
        refused("bad text");
    }
    SECTION("entries of the wrong types") {
        writeFile(path, R"([{"id": 7, "port": 9696}])");
        CHECK(refused("id").field == QStringLiteral("[0].id"));
        writeFile(path, R"([{"id": "office", "host": ["a"]}])");
        CHECK(refused("host").field == QStringLiteral("[0].host"));
        writeFile(path, R"([{"id": "office", "useHttps": "yes"}])");
        const ConfigError https = refused("useHttps");
        CHECK(https.field == QStringLiteral("[0].useHttps"));
        CHECK(https.detail == QStringLiteral("must be true or false"));
    }
}
