#pragma once
// Pebble (Let's Encrypt's test ACME CA, Debian package `pebble` 2.4) on free loopback ports,
// with its own generated HTTPS certificate, for end-to-end tests.
//
// Pebble regenerates its issuing root and intermediate on every start: fetch them with
// rootCertificatePem() / intermediatePem() after start(), never cache them across runs.

#include "ManagedProcess.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace ck::test {

// Outside the class: a nested struct with member initializers cannot be a default
// argument of its enclosing class's constructor (CWG 1397).
struct PebbleOptions {
    // Where Pebble's validator connects for http-01 / tls-alpn-01 (on the address the
    // name resolves to). 0: a free port, picked by start() and exposed by httpPort().
    int httpPort = 0;
    int tlsPort = 0;
    // "127.0.0.1:PORT" for `-dnsserver` (ChallTestSrvProcess / Bind9Process); empty:
    // Pebble's default resolver.
    QString dnsServer;
    // The OCSP responder Pebble names in the certificates it issues (authorityInfoAccess);
    // empty: none. Pebble runs no responder itself: see OcspResponder.
    QString ocspResponderUrl;
    bool eabRequired = false;
    QMap<QString, QString> eabKeys; // kid -> base64url HMAC key
    // Environment knobs. Pebble's own defaults (5 % rejected nonces, 50 % authz reuse)
    // make tests flaky, so both are 0 unless a test asks for them.
    bool vaNoSleep = true;                   // PEBBLE_VA_NOSLEEP=1
    bool vaAlwaysValid = false;              // PEBBLE_VA_ALWAYS_VALID=1: no real validation
    int nonceRejectPercent = 0;              // PEBBLE_WFE_NONCEREJECT
    int authzReusePercent = 0;               // PEBBLE_AUTHZREUSE
    QMap<QString, QString> extraEnvironment; // e.g. PEBBLE_CHAIN_LENGTH
};

class PebbleProcess {
public:
    using Options = PebbleOptions;

    // An empty workDir means a new temporary directory, removed with this object. Two
    // Pebbles must not share a directory.
    explicit PebbleProcess(Options options = {}, QString workDir = {});
    ~PebbleProcess();
    PebbleProcess(const PebbleProcess&) = delete;
    PebbleProcess& operator=(const PebbleProcess&) = delete;

    // Generates the TLS certificate (first time), writes the config, starts Pebble (new ports
    // on "address already in use") and waits until GET /dir and /roots/0 answer, trusted
    // through tlsRootFile(), and Pebble holds both ports. False on failure, with
    // errorString() holding the reason and Pebble's log.
    bool start(int timeoutMs = 20000);
    void stop();
    bool isRunning() const { return m_process.isRunning(); }
    QString errorString() const { return m_error; }

    QString directoryUrl() const;  // https://127.0.0.1:PORT/dir
    QString managementUrl() const; // https://127.0.0.1:PORT (no trailing slash)
    int acmePort() const { return m_acmePort; }
    int managementPort() const { return m_managementPort; }
    int httpPort() const { return m_options.httpPort; }
    int tlsPort() const { return m_options.tlsPort; }
    // PEM of the CA that signed Pebble's HTTPS certificate: what a client must trust to talk
    // to the ACME and management endpoints (not the CA of the certificates Pebble issues).
    QString tlsRootFile() const;

    // Management API. Empty / empty object when the request fails.
    QByteArray rootCertificatePem(int index = 0) const; // /roots/N: issues the test certs
    QByteArray intermediatePem(int index = 0) const;    // /intermediates/N
    QByteArray intermediateKeyPem(int index = 0) const; // /intermediate-keys/N: its key
    // /cert-status-by-serial/<hex> (any case, leading zeros allowed). Pebble 2.4 answers
    // {"Status": "Valid", "Serial": "<lower-case hex>", "Certificate": "<PEM>"}; revoked
    // certificates add "Reason" (int) and "RevokedAt" (Go time format, e.g.
    // "2026-11-22 19:47:25.617881746 +0000 UTC"). Unknown serial: 404 -> empty object.
    QJsonObject certStatusBySerial(const QString& hexSerial) const;

    qint64 pid() const { return m_process.pid(); }
    QString log() const { return m_process.output(); }
    QString workDir() const { return m_workDir; }

private:
    bool generateTlsCertificate();
    bool writeConfig();
    QProcessEnvironment environment() const;
    QByteArray managementGet(const QString& path) const;

    Options m_options;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_workDir;
    int m_acmePort = 0;
    int m_managementPort = 0;
    ManagedProcess m_process;
    QString m_error;
};

} // namespace ck::test
