#pragma once
// An OCSP responder for the certificates a test's Pebble issues: `openssl ocsp` in its server
// mode, answering from a CA database (index.txt) the test writes, signed with the key of
// Pebble's intermediate (Pebble names a responder in its certificates but runs none).
// openssl reads the database once: setStatus() restarts it on the same port.
// openssl ocsp listens on every interface of the given port (it takes no address).

#include "ManagedProcess.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QTemporaryDir>

namespace ck::test {

class OcspResponder {
public:
    // `port`: chosen before Pebble starts, since Pebble must name the responder's URL.
    explicit OcspResponder(int port);

    QString url() const { return QStringLiteral("http://127.0.0.1:%1/").arg(m_port); }

    // Answers signed with this certificate and key: the issuer's for a real CA's responder.
    void setSigner(const QByteArray& certificatePem, const QByteArray& keyPem);
    // The issuer the answers are about (what openssl's -CA is).
    void setIssuer(const QByteArray& issuerPem);
    // The certificate with `serialHex` is good (no revocation time), or revoked at `revokedAt`
    // for `reason` ("keyCompromise"...). Restarts the responder; false with errorString().
    bool setStatus(const QString& serialHex, const QDateTime& revokedAt = {},
                   const QString& reason = {});
    void stop() { m_process.stop(); }
    QString errorString() const { return m_error; }
    QString log() const { return m_process.output(); }

private:
    bool start();

    int m_port;
    QTemporaryDir m_dir;
    ManagedProcess m_process;
    QString m_error;
};

} // namespace ck::test
