#pragma once
// A stand-in for a hosted DNS API (tests/standins/<provider>.py, Python's http.server over TLS,
// run with /usr/bin/python3): a local HTTPS server implementing the documented subset of one
// provider's API strictly, as its module says at its top. The TXT values it holds are published
// to a pebble-challtestsrv (when given one), so Pebble and the propagation check see them.
//
// The stand-in makes its own test CA; caFile() is what the service's credential names in its
// "trustedRootFile" field, as a user does for a private endpoint.

#include "ManagedProcess.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace ck::test {

class DnsApiStandIn {
public:
    // `provider`: the module's name ("cloudflare"); `config`: see tests/standins/standin.py.
    DnsApiStandIn(QString provider, QJsonObject config);
    ~DnsApiStandIn();
    DnsApiStandIn(const DnsApiStandIn&) = delete;
    DnsApiStandIn& operator=(const DnsApiStandIn&) = delete;

    // Starts it and waits until it listens. False on failure; errorString() says why.
    bool start(int timeoutMs = 20000);
    QString errorString() const { return m_error; }

    QString origin() const; // "https://127.0.0.1:PORT"
    QString caFile() const; // the PEM of its test CA
    QString log() const { return m_process.output(); }

    // Every TXT value it holds, by absolute name.
    QMap<QString, QStringList> records() const;
    QStringList values(const QString& name) const;
    // Values put at a name by someone else (a record set written whole).
    void putValues(const QString& name, const QStringList& values);
    // The next requests matching `fault`'s "method" and "path" (a substring) are answered with
    // its "status", "message", "code" and "headers" in the provider's error shape, or hang
    // ("hang": true), "count" times (-1: always). See standin.py.
    void addFault(const QJsonObject& fault);
    // "METHOD /path?query -> status" of every API request, in order.
    QStringList requests() const;

private:
    QJsonObject control(const QByteArray& method, const QString& path,
                        const QJsonObject& body = {}) const;

    QString m_provider;
    QJsonObject m_config;
    QTemporaryDir m_dir;
    ManagedProcess m_process;
    int m_port = 0;
    QString m_error;
};

} // namespace ck::test
