#include "revocation/RevocationCheck.h"

#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/Revocation.h"
#include "net/CurlTransfer.h"

#include <QFile>

namespace ck::revocation {

namespace {

using crypto::RevocationAnswer;

constexpr std::chrono::seconds kTimeout{20};
constexpr qsizetype kMaxOcspResponse = 64 * 1024;
constexpr qsizetype kMaxCrl = 32 * 1024 * 1024; // a large CA's CRL shard is a few MiB

QByteArray readFile(const QString& path, QString* error) {
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        *error =
            QStringLiteral("cannot read %1").arg(path.isEmpty() ? QStringLiteral("(none)") : path);
        return {};
    }
    return file.readAll();
}

CheckResult fromAnswer(const RevocationAnswer& answer, const QString& source) {
    CheckResult result;
    result.status = crypto::revocationStatusName(answer.status);
    switch (answer.status) {
    case RevocationAnswer::Status::Good:
        result.message = QStringLiteral("Not revoked, says %1 (as of %2)")
                             .arg(source, answer.thisUpdate.toString(Qt::ISODate));
        break;
    case RevocationAnswer::Status::Revoked:
        result.revokedAt = answer.revokedAt;
        result.message =
            QStringLiteral("Revoked on %1%2, says %3")
                .arg(answer.revokedAt.toString(Qt::ISODate),
                     answer.reason.isEmpty() ? QString()
                                             : QStringLiteral(" (%1)").arg(answer.reason),
                     source);
        break;
    case RevocationAnswer::Status::Unknown:
        result.message = QStringLiteral("%1 does not know this certificate").arg(source);
        break;
    }
    return result;
}

// One OCSP responder: the answer, or why there is none (in `error`).
std::optional<RevocationAnswer> askResponder(const QString& url, const QByteArray& leaf,
                                             const QByteArray& issuer, const QDateTime& now,
                                             QString* error) {
    net::OutgoingHttp request;
    request.url = url;
    request.headers.append(
        qMakePair(QByteArray("Content-Type"), QByteArray("application/ocsp-request")));
    request.headers.append(
        qMakePair(QByteArray("Accept"), QByteArray("application/ocsp-response")));
    request.body = crypto::ocspRequest(leaf, issuer);
    request.timeout = kTimeout;
    request.maxBody = kMaxOcspResponse;
    const net::OutgoingHttpResult answer = net::sendHttpBlocking(request);
    if (!answer.ok()) {
        *error = QStringLiteral("the OCSP responder %1 answered %2").arg(url, answer.summary());
        return std::nullopt;
    }
    try {
        return crypto::readOcspResponse(answer.body, leaf, issuer, now);
    } catch (const crypto::CryptoError& e) {
        *error = QStringLiteral("the OCSP responder %1: %2").arg(url, QString::fromUtf8(e.what()));
        return std::nullopt;
    }
}

std::optional<RevocationAnswer> readList(const QString& url, const QByteArray& leaf,
                                         const QByteArray& issuer, const QDateTime& now,
                                         QString* error) {
    net::OutgoingHttp request;
    request.method = QStringLiteral("GET");
    request.url = url;
    request.timeout = kTimeout;
    request.maxBody = kMaxCrl;
    const net::OutgoingHttpResult answer = net::sendHttpBlocking(request);
    if (!answer.ok()) {
        *error = QStringLiteral("the CRL at %1: %2").arg(url, answer.summary());
        return std::nullopt;
    }
    if (answer.body.size() >= kMaxCrl) {
        *error = QStringLiteral("the CRL at %1 is larger than %2 MiB").arg(url).arg(kMaxCrl >> 20);
        return std::nullopt;
    }
    try {
        return crypto::readCrl(answer.body, leaf, issuer, now);
    } catch (const crypto::CryptoError& e) {
        *error = QStringLiteral("the CRL at %1: %2").arg(url, QString::fromUtf8(e.what()));
        return std::nullopt;
    }
}

} // namespace

CheckResult checkRevocationBlocking(const ManagedCertificate& item, const QDateTime& now) {
    QString error;
    const QByteArray leaf = readFile(item.certificatePath, &error);
    const QByteArray chain =
        error.isEmpty() ? readFile(item.certificateChainPath, &error) : QByteArray();
    const QList<QByteArray> intermediates = crypto::splitPemChain(chain);
    if (error.isEmpty() && intermediates.isEmpty())
        error = QStringLiteral("%1 holds no issuer certificate").arg(item.certificateChainPath);
    if (!error.isEmpty())
        return {QStringLiteral("error"), QStringLiteral("Cannot check: %1").arg(error), {}};
    const QByteArray& issuer = intermediates.first();

    QStringList responders, lists;
    try {
        responders = crypto::ocspResponderUrls(leaf);
        lists = crypto::crlUrls(leaf);
    } catch (const crypto::CryptoError& e) {
        return {QStringLiteral("error"),
                QStringLiteral("Cannot check: the certificate file does not parse (%1)")
                    .arg(QString::fromUtf8(e.what())),
                {}};
    }
    if (responders.isEmpty() && lists.isEmpty())
        return {QStringLiteral("none"),
                QStringLiteral("The certificate names no OCSP responder and no CRL: its CA "
                               "offers no way to check it"),
                {}};

    // OCSP first (one small answer about this certificate), then the CRLs.
    QStringList failures;
    for (const QString& url : responders) {
        if (const auto answer = askResponder(url, leaf, issuer, now, &error))
            return fromAnswer(*answer, QStringLiteral("the OCSP responder %1").arg(url));
        failures << error;
    }
    for (const QString& url : lists) {
        if (const auto answer = readList(url, leaf, issuer, now, &error))
            return fromAnswer(*answer, QStringLiteral("the CRL at %1").arg(url));
        failures << error;
    }
    return {QStringLiteral("error"),
            QStringLiteral("Could not check: %1").arg(failures.join(QStringLiteral("; "))),
            {}};
}

} // namespace ck::revocation
