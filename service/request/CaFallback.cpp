#include "request/CaFallback.h"

#include "acme/AcmeError.h"
#include "model/CertificateAuthority.h"

#include <QSet>

namespace ck::request {

namespace {
// Problems about the names or the proof of control: the same at any CA (RFC 8555 §6.7).
bool isTheItemsProblem(const acme::AcmeError& e) {
    static const QSet<QString> itemProblems = {
        QStringLiteral("rejectedIdentifier"),
        QStringLiteral("caa"),
        QStringLiteral("incorrectResponse"),
        QStringLiteral("dns"),
        QStringLiteral("connection"),
        QStringLiteral("tls"),
        QStringLiteral("invalid"),
        QStringLiteral("badCSR"),
        QStringLiteral("unsupportedIdentifier"),
        QStringLiteral("compound"),
        QStringLiteral("invalidContact"),
        QStringLiteral("unsupportedContact"),
    };
    const QString type = e.shortType();
    if (itemProblems.contains(type))
        return true;
    // "unauthorized" inside a challenge (no HTTP status: the challenge's own error) is the
    // validation failing; answered to a request (401/403) it is the CA refusing the account.
    return type == QLatin1String("unauthorized") && e.httpStatus == 0;
}
} // namespace

QStringList authoritiesInOrder(const ManagedCertificate& item) {
    QStringList ids{item.certificateAuthorityId.isEmpty()
                        ? QString::fromLatin1(kDefaultCertificateAuthority)
                        : item.certificateAuthorityId};
    for (const QString& id : item.requestConfig.fallbackCertificateAuthorityIds)
        if (!id.isEmpty() && !ids.contains(id))
            ids << id;
    return ids;
}

std::optional<QString> failureOfTheCa(const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const acme::AcmeError& e) {
        if (isTheItemsProblem(e))
            return std::nullopt;
        return e.userMessage();
    } catch (const InvalidInputError& e) {
        // No account with the CA, or the CA is not (or no longer) configured: that CA cannot
        // be asked, the next one may.
        if (e.field() == QLatin1String("certificateAuthorityId"))
            return e.message();
        return std::nullopt;
    } catch (...) {
        return std::nullopt;
    }
}

} // namespace ck::request
