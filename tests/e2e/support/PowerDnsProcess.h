#pragma once
// PowerDNS Authoritative (`pdns_server`, foreground, no guardian) with the gsqlite3 backend,
// authoritative for one test zone on a free loopback port (UDP and TCP), its HTTP API on on
// another free loopback port with a generated API key. Debian 12's pdns-server and
// pdns-backend-sqlite3; the database is made with the schema the package ships and the sqlite3
// tool.
//
// The zone has SOA, NS (ns.<zone> A 127.0.0.1), an apex A 127.0.0.1, a wildcard
// `*.<zone> A 127.0.0.1` and `_certkeeper-instance.<zone> TXT <random>` (how start() knows it
// talks to this server), so Pebble can use it as `-dnsserver`. Every cache is off, so what the
// API writes is served at once.

#include "ManagedProcess.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace ck::test {

class PowerDnsProcess {
public:
    // `zones`: absolute or not; the first is zone(). An empty workDir: a temporary directory.
    explicit PowerDnsProcess(QStringList zones = {QStringLiteral("example.test.")},
                             QString workDir = {});
    ~PowerDnsProcess();
    PowerDnsProcess(const PowerDnsProcess&) = delete;
    PowerDnsProcess& operator=(const PowerDnsProcess&) = delete;

    // Makes the database, starts pdns_server (on new ports when one is taken) and waits until
    // it holds both ports and answers for the zone. False on failure; errorString() says why.
    bool start(int timeoutMs = 20000);
    void stop();
    bool isRunning() const { return m_process.isRunning(); }
    QString errorString() const { return m_error; }

    QString address() const { return QStringLiteral("127.0.0.1"); }
    int dnsPort() const { return m_dnsPort; }
    QString dnsServer() const; // "127.0.0.1:PORT", for Pebble's -dnsserver
    QString apiUrl() const;    // "http://127.0.0.1:PORT"
    QString apiKey() const { return m_apiKey; }
    QString zone() const { return m_zones.first(); } // with the trailing dot

    // TXT values at `name` as the server answers them over DNS.
    QStringList txtRecords(const QString& name) const;
    // Every TXT record in the database whose name starts with `prefix` ("_acme-challenge"), as
    // "name content": what is left in the zones, read past the server.
    QStringList storedTxt(const QString& prefix) const;

    qint64 pid() const { return m_process.pid(); }
    QString log() const { return m_process.output(); }

private:
    bool writeFiles();
    bool answersForZone() const;

    QStringList m_zones;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_workDir;
    QString m_apiKey;
    QString m_instance;
    int m_dnsPort = 0;
    int m_apiPort = 0;
    ManagedProcess m_process;
    QString m_error;
};

} // namespace ck::test
