#include "model/Preferences.h"

#include "model/JsonReader.h"
#include "model/PlainText.h"

#include <QRegularExpression>

namespace ck {

QJsonObject toJson(const Preferences& p) {
    const QJsonObject notifications{{"targets", toJson(p.notifications.targets)},
                                    {"smtp", toJson(p.notifications.smtp)},
                                    {"systemNotices", p.notifications.systemNotices}};
    return {{"automaticRenewal", p.automaticRenewal},
            {"renewal", toJson(p.renewal)},
            {"renewalCheckIntervalMinutes", p.renewalCheckIntervalMinutes},
            {"maxParallelRenewals", p.maxParallelRenewals},
            {"renewalTimeoutMinutes", p.renewalTimeoutMinutes},
            {"defaultPfxPasswordCredentialId", p.defaultPfxPasswordCredentialId},
            {"notifications", notifications}};
}

Preferences preferencesFromJson(const QJsonObject& o, QList<FieldError>* errors) {
    Preferences p;
    JsonReader r(o, errors);
    r.read("automaticRenewal", p.automaticRenewal);
    r.readObject("renewal", [&](JsonReader& sub) { readRenewalPolicy(sub, p.renewal); });
    r.read("renewalCheckIntervalMinutes", p.renewalCheckIntervalMinutes);
    r.read("maxParallelRenewals", p.maxParallelRenewals);
    r.read("renewalTimeoutMinutes", p.renewalTimeoutMinutes);
    r.read("defaultPfxPasswordCredentialId", p.defaultPfxPasswordCredentialId);
    r.readObject("notifications", [&](JsonReader& sub) {
        sub.readObject("targets", [&](JsonReader& targets) {
            readNotificationTargets(targets, p.notifications.targets);
        });
        sub.readObject("smtp",
                       [&](JsonReader& smtp) { readSmtpSettings(smtp, p.notifications.smtp); });
        sub.read("systemNotices", p.notifications.systemNotices);
    });
    return p;
}

namespace {
void requireRange(QList<FieldError>& errors, const char* field, int value, int min, int max) {
    if (value < min || value > max)
        errors.append(
            {QLatin1String(field), QStringLiteral("must be between %1 and %2").arg(min).arg(max)});
}
} // namespace

QList<FieldError> validatePreferences(const Preferences& p) {
    QList<FieldError> errors = validateRenewalPolicy(p.renewal, QStringLiteral("renewal"));
    requireRange(errors, "renewalCheckIntervalMinutes", p.renewalCheckIntervalMinutes, 1, 1440);
    requireRange(errors, "maxParallelRenewals", p.maxParallelRenewals, 1, 64);
    requireRange(errors, "renewalTimeoutMinutes", p.renewalTimeoutMinutes, 5, 24 * 60);
    errors += validateNotificationTargets(p.notifications.targets,
                                          QStringLiteral("notifications.targets"));
    // Every field is checked whether or not email is set up yet: a value saved while the host
    // was empty would otherwise surface only when someone fills the host in.
    const auto& smtp = p.notifications.smtp;
    requireRange(errors, "notifications.smtp.port", smtp.port, 1, 65535);
    static const QRegularExpression notInHost(QStringLiteral(R"([\s/@])"));
    if (smtp.host.contains(notInHost) || lineTextProblem(smtp.host, QString()))
        errors.append({QStringLiteral("notifications.smtp.host"),
                       QStringLiteral("must be a host name or IP address, without a scheme, "
                                      "path or spaces (the port has its own field)")});
    if ((!smtp.host.isEmpty() || !smtp.from.isEmpty()) && !isEmailAddress(smtp.from))
        errors.append({QStringLiteral("notifications.smtp.from"),
                       QStringLiteral("must be the sender's email address")});
    if (const auto problem = lineTextProblem(smtp.username, QStringLiteral("The user name")))
        errors.append({QStringLiteral("notifications.smtp.username"), *problem});
    if (!p.notifications.targets.emailTo.isEmpty() && smtp.host.isEmpty())
        errors.append({QStringLiteral("notifications.smtp.host"),
                       QStringLiteral("is needed to send email to the listed addresses")});
    return errors;
}

QStringList repairUncheckedSettings(Preferences& p) {
    // Versions that checked these only with a mail server set may have saved them; refusing
    // the whole file for them would drop the renewal settings too.
    QStringList repaired;
    auto& smtp = p.notifications.smtp;
    if (smtp.host.isEmpty() && (smtp.port < 1 || smtp.port > 65535)) {
        repaired << QStringLiteral("notifications.smtp.port was %1, not a port; using %2")
                        .arg(smtp.port)
                        .arg(SmtpSettings{}.port);
        smtp.port = SmtpSettings{}.port;
    }
    if (smtp.host.isEmpty() && !smtp.from.isEmpty() && !isEmailAddress(smtp.from)) {
        repaired << QStringLiteral("notifications.smtp.from was '%1', not an email address; "
                                   "left empty")
                        .arg(escapeForLine(smtp.from));
        smtp.from.clear();
    }
    return repaired;
}

} // namespace ck
