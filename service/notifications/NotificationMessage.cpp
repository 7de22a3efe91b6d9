#include "notifications/NotificationMessage.h"

#include "model/CertificateAuthority.h"

#include "model/JsonReader.h"
#include "renewal/RenewalPlan.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace ck::notifications {

namespace {
QString utc(const QDateTime& t) {
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")) : QString();
}

QString currentCertificateText(const ManagedCertificate& item) {
    if (!item.dateExpiry.isValid())
        return QStringLiteral("none issued yet");
    return QStringLiteral("valid until %1, serial %2")
        .arg(utc(item.dateExpiry), item.certificateSerial);
}
} // namespace

QString nextAttemptText(const ManagedCertificate& item) {
    if (item.dateNextScheduledRenewalAttempt.isValid())
        return utc(item.dateNextScheduledRenewalAttempt);
    if (!item.includeInAutoRenew)
        return QStringLiteral("none: automatic renewal is off for this certificate");
    return QStringLiteral("none scheduled");
}

QString withoutUrlPaths(const QString& text) {
    // scheme, optional user:password@ (dropped), host[:port], then whatever follows up to a
    // space or a quote (dropped, shown as "/…").
    static const QRegularExpression address(
        QStringLiteral(R"((https?://)(?:[^\s/@'"<>]*@)?([^\s/?#'"<>]+)([/?#][^\s'"<>]*)?)"),
        QRegularExpression::CaseInsensitiveOption);
    QString out;
    qsizetype done = 0;
    for (auto it = address.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += text.mid(done, m.capturedStart() - done);
        out += m.captured(1) + m.captured(2);
        if (m.capturedLength(3) > 1)
            out += QStringLiteral("/…");
        done = m.capturedEnd();
    }
    return out + text.mid(done);
}

bool shouldNotify(const NotificationTargets& targets, bool failed, int failureCount,
                  int previousFailures) {
    if (failed)
        return targets.onFailure &&
               (failureCount == 1 || failureCount > renewal::kImmediateRetries);
    return targets.onSuccess || (targets.onFailure && previousFailures > 0);
}

NotificationTargets targetsFor(const ManagedCertificate& item, const NotificationTargets& global) {
    return item.notificationOverride.value_or(global);
}

namespace {
// The CA that issued the current certificate, and whether it was a fallback: a renewal from
// another CA than the one chosen is worth knowing (its roots, its limits, its account).
QString issuedByText(const ManagedCertificate& item) {
    const QString own = item.certificateAuthorityId.isEmpty()
                            ? QString::fromLatin1(kDefaultCertificateAuthority)
                            : item.certificateAuthorityId;
    if (item.certificateAuthorityIdUsed.isEmpty() || item.certificateAuthorityIdUsed == own)
        return own;
    return QStringLiteral("%1 (a fallback: %2 failed the request)")
        .arg(item.certificateAuthorityIdUsed, own);
}
} // namespace

NotificationText describeOutcome(const ManagedCertificate& item, const QString& failure,
                                 int previousFailures) {
    const bool failed = !failure.isEmpty();
    const QString domains = item.domains().join(QStringLiteral(", "));
    NotificationText text;
    QStringList lines;
    if (failed) {
        text.subject = QStringLiteral("Certkeeper: renewing %1 failed").arg(item.name);
        if (item.renewalFailureCount > 1)
            text.subject += QStringLiteral(" (%1 times in a row)").arg(item.renewalFailureCount);
        lines << QStringLiteral("The certificate \"%1\" could not be renewed.").arg(item.name)
              << QString() << QStringLiteral("Domains:             %1").arg(domains)
              << QStringLiteral("Error:               %1").arg(failure)
              << QStringLiteral("Failures in a row:   %1").arg(item.renewalFailureCount)
              << QStringLiteral("Next attempt:        %1").arg(nextAttemptText(item))
              << QStringLiteral("Current certificate: %1").arg(currentCertificateText(item));
    } else {
        text.subject = previousFailures > 0
                           ? QStringLiteral("Certkeeper: %1 renewed after %2 failed attempts")
                                 .arg(item.name)
                                 .arg(previousFailures)
                           : QStringLiteral("Certkeeper: %1 renewed").arg(item.name);
        lines << QStringLiteral("The certificate \"%1\" was renewed.").arg(item.name) << QString()
              << QStringLiteral("Domains:             %1").arg(domains)
              << QStringLiteral("New certificate:     %1").arg(currentCertificateText(item))
              << QStringLiteral("Issued by CA:        %1").arg(issuedByText(item))
              << QStringLiteral("Next renewal:        %1").arg(nextAttemptText(item));
    }
    lines << QStringLiteral("Certificate id:      %1").arg(item.id) << QString()
          << QStringLiteral("Every step is in the certificate's log: certkeeper-cli log %1")
                 .arg(item.id);
    text.body = lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
    text.webhook = {{"event", failed ? "renewalFailed" : "renewalSucceeded"},
                    {"itemId", item.id},
                    {"name", item.name},
                    {"domains", QJsonArray::fromStringList(item.domains())},
                    {"error", failure},
                    {"failureCount", item.renewalFailureCount},
                    {"nextAttempt", dateToJson(item.dateNextScheduledRenewalAttempt)},
                    {"certificateExpiry", dateToJson(item.dateExpiry)},
                    {"certificateSerial", item.certificateSerial},
                    {"certificateAuthorityIdUsed", item.certificateAuthorityIdUsed},
                    {"subject", text.subject},
                    {"text", text.body}};
    return text;
}

NotificationText describeTest(const QString& serviceAddress) {
    NotificationText text;
    text.subject = QStringLiteral("Certkeeper: test notification");
    text.body = QStringLiteral("This is a test from the Certkeeper service at %1.\n\nIf you can "
                               "read it, notifications about certificate renewals reach you "
                               "here.\n")
                    .arg(serviceAddress);
    text.webhook = {{"event", "test"}, {"subject", text.subject}, {"text", text.body}};
    return text;
}

} // namespace ck::notifications
