#include "OcspResponder.h"

#include <QFile>
#include <QThread>

namespace ck::test {

namespace {
bool writeFile(const QString& path, const QByteArray& data) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

// The CA database's time form: YYMMDDHHMMSSZ.
QByteArray databaseTime(const QDateTime& at) {
    return at.toUTC().toString(QStringLiteral("yyMMddHHmmss")).toLatin1() + 'Z';
}
} // namespace

OcspResponder::OcspResponder(int port) : m_port(port) {}

void OcspResponder::setSigner(const QByteArray& certificatePem, const QByteArray& keyPem) {
    writeFile(m_dir.filePath(QStringLiteral("signer.pem")), certificatePem);
    writeFile(m_dir.filePath(QStringLiteral("signer.key")), keyPem);
}

void OcspResponder::setIssuer(const QByteArray& issuerPem) {
    writeFile(m_dir.filePath(QStringLiteral("issuer.pem")), issuerPem);
}

bool OcspResponder::setStatus(const QString& serialHex, const QDateTime& revokedAt,
                              const QString& reason) {
    // openssl's database holds serials as BN_bn2hex writes them: upper case, whole bytes.
    QByteArray serial = serialHex.toUpper().toLatin1();
    if (serial.size() % 2)
        serial.prepend('0');
    const QByteArray expiry =
        databaseTime(QDateTime::currentDateTimeUtc().addYears(1)); // not what is checked
    QByteArray line = revokedAt.isValid() ? "R\t" + expiry + '\t' + databaseTime(revokedAt)
                                          : "V\t" + expiry + '\t';
    if (revokedAt.isValid() && !reason.isEmpty())
        line += ',' + reason.toLatin1();
    line += '\t' + serial + "\tunknown\t/CN=test\n";
    if (!writeFile(m_dir.filePath(QStringLiteral("index.txt")), line)) {
        m_error = QStringLiteral("cannot write the responder's database");
        return false;
    }
    m_process.stop();
    return start();
}

bool OcspResponder::start() {
    const QStringList args{QStringLiteral("ocsp"),
                           QStringLiteral("-index"),
                           m_dir.filePath(QStringLiteral("index.txt")),
                           QStringLiteral("-CA"),
                           m_dir.filePath(QStringLiteral("issuer.pem")),
                           QStringLiteral("-rsigner"),
                           m_dir.filePath(QStringLiteral("signer.pem")),
                           QStringLiteral("-rkey"),
                           m_dir.filePath(QStringLiteral("signer.key")),
                           QStringLiteral("-port"),
                           QString::number(m_port),
                           QStringLiteral("-ndays"),
                           QStringLiteral("1")};
    if (!m_process.start(findProgram(QStringLiteral("openssl"), QStringLiteral("/usr/bin/openssl")),
                         args, m_dir.filePath(QStringLiteral("ocsp.log")))) {
        m_error = m_process.errorString();
        return false;
    }
    for (int waited = 0; waited < 10000; waited += 50) {
        if (holdsPort(m_process.pid(), m_port))
            return true;
        if (!m_process.isRunning())
            break;
        QThread::msleep(50);
    }
    m_error = QStringLiteral("openssl ocsp did not listen on port %1: %2")
                  .arg(m_port)
                  .arg(m_process.output());
    return false;
}

} // namespace ck::test
