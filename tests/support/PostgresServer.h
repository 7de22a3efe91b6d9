#pragma once
// A PostgreSQL server of the tests' own: `initdb` in a temporary folder and `postgres` on a free
// loopback port, stopped and removed when this goes away; never the machine's service. As root
// it runs as an unprivileged user (postgres, else nobody): PostgreSQL refuses to run as root.
// Logins over TCP need the password (scram-sha-256), so the service's passwordFile path is the
// one the tests take.

#include "ManagedProcess.h"

#include "config/StoreSettings.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace ck::test {

class PostgresServer {
public:
    PostgresServer();
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // Makes the cluster (first call only) and starts the server; false with `error` (its log
    // included) when it cannot.
    bool start(QString& error);
    // Stops it as an administrator would (fast shutdown); `kill`: SIGKILL, as a crash would.
    void stop(bool kill = false);
    bool isRunning() const;

    int port() const { return m_port; }
    static QString superuser() { return QStringLiteral("certkeeper_test"); }
    QString password() const { return m_password; }
    // A file holding the password, mode 0600, for serviceconfig.json's passwordFile.
    QString passwordFile() const;

    // Creates an empty database and returns the store settings that reach it as the superuser;
    // empty settings with `error` on failure.
    StoreSettings createDatabase(const QString& name, QString& error);
    // Runs one statement in `database` as the superuser; false with `error`.
    bool execute(const QString& database, const QString& sql, QString& error);

    // A server for the whole test process, started on first use; nullptr with `error`.
    static PostgresServer* shared(QString& error);

private:
    bool initialise(QString& error);

    QTemporaryDir m_dir;
    ManagedProcess m_process;
    QString m_binDir;
    QString m_password;
    int m_port = 0;
    bool m_initialised = false;
};

} // namespace ck::test
