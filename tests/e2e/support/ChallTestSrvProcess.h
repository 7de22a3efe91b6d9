#pragma once
// pebble-challtestsrv (from the Debian `pebble` 2.4 package) as a mock DNS server only: it
// answers every A query with 127.0.0.1 (AAAA with ::1) and TXT queries with what a test set
// through its management API. Its http-01 / https-01 / tls-alpn-01 responders are disabled
// (this version has no DoH server). Use dnsAddress() as Pebble's `-dnsserver`.

#include "ManagedProcess.h"

#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace ck::test {

class ChallTestSrvProcess {
public:
    // An empty workDir means a new temporary directory (for the log), removed with this object.
    explicit ChallTestSrvProcess(QString workDir = {});
    ~ChallTestSrvProcess();
    ChallTestSrvProcess(const ChallTestSrvProcess&) = delete;
    ChallTestSrvProcess& operator=(const ChallTestSrvProcess&) = delete;

    // Starts on free ports (new ones on "address already in use") and waits until a TXT
    // record set through the management API is served by the DNS server. False on failure;
    // errorString() has the log.
    bool start(int timeoutMs = 15000);
    void stop();
    bool isRunning() const { return m_process.isRunning(); }
    QString errorString() const { return m_error; }

    QString dnsAddress() const; // "127.0.0.1:PORT"
    int dnsPort() const { return m_dnsPort; }
    QString managementUrl() const; // http://127.0.0.1:PORT

    // TXT records for `host` ("_acme-challenge.x.example", trailing dot optional, lower-cased
    // as Pebble asks). setTxt adds a value (values for one name accumulate); clearTxt removes
    // all of them.
    bool setTxt(const QString& host, const QString& value);
    bool clearTxt(const QString& host);
    // A CNAME at `host` to `target`: queries for `host` are answered with it and the target's
    // records (a user's _acme-challenge CNAME into an acme-dns server's zone).
    bool setCname(const QString& host, const QString& target);
    // A records for `host` instead of the default address.
    bool addA(const QString& host, const QStringList& addresses);
    // The answers for names without records of their own; an empty address: no answer at all
    // (NOERROR, no records), so names do not resolve.
    bool setDefaultAddresses(const QString& ipv4, const QString& ipv6);

    qint64 pid() const { return m_process.pid(); }
    QString log() const { return m_process.output(); }

private:
    bool post(const QString& path, const QJsonObject& body);
    bool answersProbe();

    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_workDir;
    int m_dnsPort = 0;
    int m_managementPort = 0;
    ManagedProcess m_process;
    QString m_error;
};

} // namespace ck::test
