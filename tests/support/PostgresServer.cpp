#include "PostgresServer.h"

#include "PeerStart.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <csignal>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ck::test {

namespace {
// The newest PostgreSQL installed by the Debian packages.
QString postgresBinDir() {
    const QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
              [](const QString& a, const QString& b) { return a.toInt() > b.toInt(); });
    for (const QString& version : versions) {
        const QString bin = root.filePath(version + QStringLiteral("/bin"));
        if (QFile::exists(bin + QStringLiteral("/initdb")))
            return bin;
    }
    return {};
}

// As root: the user the server runs as, and the setpriv words that switch to it.
struct RunAs {
    uid_t uid = 0;
    gid_t gid = 0;
    QStringList prefix; // empty when not root
};

RunAs runAs() {
    RunAs who{::getuid(), ::getgid(), {}};
    if (who.uid != 0)
        return who;
    const passwd* user = ::getpwnam("postgres");
    if (!user)
        user = ::getpwnam("nobody");
    if (!user)
        return who;
    who.uid = user->pw_uid;
    who.gid = user->pw_gid;
    who.prefix = {QStringLiteral("--reuid=%1").arg(who.uid),
                  QStringLiteral("--regid=%1").arg(who.gid), QStringLiteral("--clear-groups"),
                  QStringLiteral("--")};
    return who;
}

bool writePrivate(const QString& path, const QByteArray& data, uid_t owner, gid_t group) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size())
        return false;
    file.close();
    return ::chmod(QFile::encodeName(path).constData(), 0600) == 0 &&
           ::chown(QFile::encodeName(path).constData(), owner, group) == 0;
}
} // namespace

PostgresServer::PostgresServer() : m_binDir(postgresBinDir()) {
    m_password = QString::number(QRandomGenerator::system()->generate64(), 36);
}

PostgresServer::~PostgresServer() {
    stop();
}

QString PostgresServer::passwordFile() const {
    return m_dir.filePath(QStringLiteral("password"));
}

bool PostgresServer::initialise(QString& error) {
    if (m_binDir.isEmpty()) {
        error = QStringLiteral("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb; "
                               "Debian package postgresql)");
        return false;
    }
    if (!m_dir.isValid()) {
        error = QStringLiteral("no temporary folder");
        return false;
    }
    const RunAs who = runAs();
    const QString cluster = m_dir.filePath(QStringLiteral("cluster"));
    QDir().mkpath(cluster + QStringLiteral("/sockets"));
    // The server's user must reach its folder; nothing in it is secret beyond the test.
    ::chmod(QFile::encodeName(m_dir.path()).constData(), 0755);
    for (const QString& path : {cluster, cluster + QStringLiteral("/sockets")})
        if (::chown(QFile::encodeName(path).constData(), who.uid, who.gid) != 0) {
            error = QStringLiteral("cannot give %1 to uid %2").arg(path).arg(who.uid);
            return false;
        }
    const QString initPassword = cluster + QStringLiteral("/initdb-password");
    if (!writePrivate(initPassword, m_password.toUtf8(), who.uid, who.gid) ||
        !writePrivate(passwordFile(), m_password.toUtf8() + '\n', ::getuid(), ::getgid())) {
        error = QStringLiteral("cannot write the password files");
        return false;
    }
    const ToolResult init = runTool(
        QStringLiteral("/usr/bin/setpriv"),
        who.prefix + QStringList{m_binDir + QStringLiteral("/initdb"),
                                 QStringLiteral("--pgdata=%1/data").arg(cluster),
                                 QStringLiteral("--username=%1").arg(superuser()),
                                 QStringLiteral("--pwfile=%1").arg(initPassword),
                                 QStringLiteral("--auth=scram-sha-256"),
                                 QStringLiteral("--encoding=UTF8"),
                                 QStringLiteral("--locale=C.UTF-8"), QStringLiteral("--no-sync"),
                                 QStringLiteral("--no-instructions")},
        {}, 120000, {}, cluster);
    QFile::remove(initPassword);
    if (!init.ok()) {
        error = QStringLiteral("initdb failed: %1").arg(init.describe());
        return false;
    }
    m_initialised = true;
    return true;
}

bool PostgresServer::start(QString& error) {
    if (isRunning())
        return true;
    if (!m_initialised && !initialise(error))
        return false;
    const RunAs who = runAs();
    const QString cluster = m_dir.filePath(QStringLiteral("cluster"));
    PeerLaunch launch;
    launch.name = QStringLiteral("postgres");
    launch.program = QStringLiteral("/usr/bin/setpriv");
    launch.logFile = m_dir.filePath(QStringLiteral("postgres.log"));
    launch.workDir = cluster;
    launch.configure = [&](const std::vector<int>& ports, QString&) -> std::optional<QStringList> {
        // A restart keeps the port: the services under test were told it.
        if (m_port == 0)
            m_port = ports[0];
        return who.prefix +
               QStringList{m_binDir + QStringLiteral("/postgres"), QStringLiteral("-D"),
                           cluster + QStringLiteral("/data"), QStringLiteral("-p"),
                           QString::number(m_port), QStringLiteral("-k"),
                           cluster + QStringLiteral("/sockets"), QStringLiteral("-c"),
                           QStringLiteral("listen_addresses=127.0.0.1"), QStringLiteral("-c"),
                           QStringLiteral("max_connections=200"),
                           // Test data need not outlive a power cut; the tests' speed matters.
                           QStringLiteral("-c"), QStringLiteral("fsync=off")};
    };
    launch.ready = [&] {
        return m_process.output().contains(
            QStringLiteral("database system is ready to accept connections"));
    };
    launch.awaited = QStringLiteral("accept connections");
    launch.portTakenSigns = {QStringLiteral("Address already in use")};
    return startOnFreePorts(m_process, launch, 60000, error);
}

void PostgresServer::stop(bool kill) {
    if (!m_process.isRunning())
        return;
    if (kill)
        m_process.sendSignal(SIGKILL);
    // SIGTERM to the group is PostgreSQL's smart shutdown; SIGINT its fast one.
    else
        m_process.sendSignal(SIGINT);
    m_process.waitForExit(30000);
    m_process.stop();
}

bool PostgresServer::isRunning() const {
    return m_process.isRunning();
}

bool PostgresServer::execute(const QString& database, const QString& sql, QString& error) {
    const QString name = QUuid::createUuid().toString(QUuid::WithoutBraces);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(QStringLiteral("127.0.0.1"));
        db.setPort(m_port);
        db.setDatabaseName(database);
        db.setUserName(superuser());
        db.setPassword(m_password);
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            ok = query.exec(sql);
            if (!ok)
                error = query.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

StoreSettings PostgresServer::createDatabase(const QString& name, QString& error) {
    if (!execute(QStringLiteral("postgres"), QStringLiteral("CREATE DATABASE \"%1\"").arg(name),
                 error))
        return {};
    StoreSettings settings;
    settings.engine = StoreSettings::Engine::Postgres;
    settings.host = QStringLiteral("127.0.0.1");
    settings.port = m_port;
    settings.database = name;
    settings.user = superuser();
    settings.url =
        QStringLiteral("postgresql://%1@127.0.0.1:%2/%3").arg(superuser()).arg(m_port).arg(name);
    settings.passwordFile = passwordFile();
    return settings;
}

PostgresServer* PostgresServer::shared(QString& error) {
    static PostgresServer server; // stopped and removed when the test process exits
    if (!server.start(error))
        return nullptr;
    return &server;
}

} // namespace ck::test
