#pragma once
// BIND9 (`named -g`, foreground, no rndc) authoritative for one test zone on a free loopback
// port (UDP and TCP), accepting RFC 2136 updates signed with a generated TSIG key.
//
// The zone has SOA, NS (ns.<zone> A 127.0.0.1), an apex A 127.0.0.1 and a wildcard
// `*.<zone> A 127.0.0.1`, so Pebble can use it as `-dnsserver` for any name under the zone;
// plus `_certkeeper-instance.<zone> TXT <random>`, how start() knows it talks to this named.
// Mind RFC 4592: once a record exists below a name (e.g. _acme-challenge.x.<zone> TXT), that
// name is an empty non-terminal and the wildcard no longer gives it an A record; a test that
// mixes dns-01 with http-01 for one name must delete its TXT records first.

#include "ManagedProcess.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace ck::test {

// Outside the class: a nested struct with member initializers cannot be a default
// argument of its enclosing class's constructor (CWG 1397).
struct Bind9Options {
    QString zone = QStringLiteral("example.test."); // trailing dot optional
    // Extra zone-file lines, relative to the zone, e.g. `static IN TXT "hello"`.
    QStringList extraRecords{};
    // More zones served and updatable the same way (SOA, NS and apex A only): where a CNAME
    // delegates a challenge to.
    QStringList moreZones{};
    // Zones whose questions go to another server: zone -> "127.0.0.1 port 5300".
    QMap<QString, QString> forwardedZones{};
    // Answer questions that ask for recursion as a resolver does (a CA's resolver follows a
    // CNAME into another zone; an authoritative answer stops at the CNAME). Only the zones above
    // can be reached: there is no internet here.
    bool resolver = false;
};

class Bind9Process {
public:
    using Options = Bind9Options;

    // An empty workDir means a new temporary directory, removed with this object.
    explicit Bind9Process(Options options = {}, QString workDir = {});
    ~Bind9Process();
    Bind9Process(const Bind9Process&) = delete;
    Bind9Process& operator=(const Bind9Process&) = delete;

    // Writes the config, zone and key, starts named (on a new port when the port is taken)
    // and waits until it holds the port (UDP and TCP) and answers a SOA query for the zone.
    // False on failure; errorString() has the reason and named's log.
    bool start(int timeoutMs = 20000);
    void stop();
    bool isRunning() const { return m_process.isRunning(); }
    QString errorString() const { return m_error; }

    QString address() const { return QStringLiteral("127.0.0.1"); }
    int port() const { return m_port; }
    QString dnsServer() const;              // "127.0.0.1:PORT", for Pebble's -dnsserver
    QString zone() const { return m_zone; } // with the trailing dot

    // The TSIG key allowed to update the zone.
    QString keyName() const { return QStringLiteral("certkeeper-test."); }
    QString keySecretBase64() const { return m_secret; }
    QString algorithm() const { return QStringLiteral("hmac-sha256"); }

    // TXT values at `name` (absolute; trailing dot optional), each record's strings joined.
    // Empty when there are none or named does not answer.
    QStringList txtRecords(const QString& name) const;

    qint64 pid() const { return m_process.pid(); }
    QString log() const { return m_process.output(); }
    QString workDir() const { return m_workDir; }

private:
    bool writeFiles();
    QString moreZonesConf() const; // named.conf's lines for moreZones and forwardedZones
    bool answersSoa() const;

    Options m_options;
    QString m_zone;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_workDir;
    QString m_secret;
    QString m_instance; // served as _certkeeper-instance.<zone> TXT
    int m_port = 0;
    ManagedProcess m_process;
    QString m_error;
};

} // namespace ck::test
