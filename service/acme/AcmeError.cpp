#include "acme/AcmeError.h"

#include <QJsonArray>

namespace ck::acme {

namespace {
// Advice for the problem types a user can do something about.
QString adviceFor(const QString& type) {
    if (type == QLatin1String("rateLimited"))
        return QStringLiteral("The CA limits how often certificates can be requested; wait and "
                              "try again later.");
    if (type == QLatin1String("unauthorized") || type == QLatin1String("incorrectResponse"))
        return QStringLiteral("The CA could not confirm control of the name: check that the name "
                              "points at this server and the challenge port is reachable from "
                              "the internet.");
    if (type == QLatin1String("dns"))
        return QStringLiteral("The CA could not look the name up in DNS: check the DNS records.");
    if (type == QLatin1String("connection"))
        return QStringLiteral("The CA could not connect to this server to validate: check the "
                              "firewall and the challenge listener's port.");
    if (type == QLatin1String("rejectedIdentifier") || type == QLatin1String("caa"))
        return QStringLiteral("The CA will not issue for this name (policy or CAA records).");
    if (type == QLatin1String("externalAccountRequired"))
        return QStringLiteral("This CA needs External Account Binding: add the EAB key id and "
                              "HMAC key from your CA account.");
    if (type == QLatin1String("accountDoesNotExist"))
        return QStringLiteral("The ACME account is not known to this CA: register it again.");
    if (type == QLatin1String("timeout"))
        return QStringLiteral(
            "The CA did not answer in time (acmeRequestTimeoutSeconds); it may be "
            "busy: the next attempt may work. Check the network if it persists.");
    if (type == QLatin1String("serverInternal"))
        return QStringLiteral("The CA had a problem of its own; try again later.");
    if (type == QLatin1String("transport"))
        return QStringLiteral("Check the CA's directory address, the network and, for a private "
                              "CA, its trusted root file.");
    return {};
}
} // namespace

AcmeError::AcmeError(QString stepName, QString problem, QString detailText, int status,
                     QString ident)
    : UpstreamError(detailText), step(std::move(stepName)), identifier(std::move(ident)),
      problemType(std::move(problem)), detail(std::move(detailText)), httpStatus(status) {}

QString AcmeError::shortType() const {
    return problemType.section(u':', -1);
}

QString AcmeError::userMessage() const {
    QString text = QStringLiteral("Could not %1").arg(step);
    if (!identifier.isEmpty())
        text += QStringLiteral(" for %1").arg(identifier);
    text += QStringLiteral(": ");
    if (!problemType.isEmpty() && problemType != QLatin1String("transport"))
        text += QStringLiteral("the CA answered %1: ").arg(shortType());
    text += detail.trimmed();
    if (!text.endsWith(u'.'))
        text += u'.';
    if (retryAfter.isValid())
        text += QStringLiteral(" Try again after %1 UTC.")
                    .arg(retryAfter.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    const QString advice = adviceFor(shortType());
    if (!advice.isEmpty())
        text += u' ' + advice;
    return text;
}

AcmeError AcmeError::fromProblem(const QString& step, int status, const QJsonObject& problem,
                                 const QString& identifier) {
    QString detail = problem.value("detail").toString();
    QString ident = identifier;
    // Subproblems name the identifier at fault (RFC 8555 §6.7.1).
    for (const auto& sub : problem.value("subproblems").toArray()) {
        const auto o = sub.toObject();
        const QString value = o.value("identifier").toObject().value("value").toString();
        detail += QStringLiteral("; %1: %2").arg(value, o.value("detail").toString());
        if (ident.isEmpty())
            ident = value;
    }
    if (detail.isEmpty())
        detail = QStringLiteral("HTTP status %1").arg(status);
    return AcmeError(step, problem.value("type").toString(), detail, status, ident);
}

} // namespace ck::acme
