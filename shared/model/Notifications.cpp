#include "model/Notifications.h"

#include "ApiError.h"
#include "model/EnumNames.h"
#include "model/JsonReader.h"
#include "model/PlainText.h"

#include <QJsonArray>
#include <QUrl>

namespace ck {

namespace {
constexpr const char* kSecurity[] = {"starttls", "tls", "none"};
} // namespace

QString toString(SmtpSecurity s) {
    return enumName(kSecurity, s);
}
std::optional<SmtpSecurity> smtpSecurityFromString(const QString& s) {
    return enumFromName<SmtpSecurity>(kSecurity, s);
}

QJsonObject toJson(const NotificationTargets& t) {
    return withExtra({{"onFailure", t.onFailure},
                      {"onSuccess", t.onSuccess},
                      {"webhookUrl", t.webhookUrl},
                      {"emailTo", QJsonArray::fromStringList(t.emailTo)}},
                     t.extra);
}

void readNotificationTargets(JsonReader& r, NotificationTargets& t) {
    r.read("onFailure", t.onFailure);
    r.read("onSuccess", t.onSuccess);
    r.read("webhookUrl", t.webhookUrl);
    r.read("emailTo", t.emailTo);
    t.extra = r.unreadFields();
}

bool isEmailAddress(const QString& address) {
    // Something before and after one '@'; nothing that would break a mail header or a log line.
    const auto at = address.indexOf(QLatin1Char('@'));
    return at > 0 && at < address.size() - 1 && !address.contains(QLatin1Char(' ')) &&
           !lineTextProblem(address, QString());
}

QList<FieldError> validateNotificationTargets(const NotificationTargets& t, const QString& path) {
    QList<FieldError> errors;
    if (!t.webhookUrl.isEmpty()) {
        const QUrl url(t.webhookUrl, QUrl::StrictMode);
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
            url.host().isEmpty())
            errors.append({path + QStringLiteral(".webhookUrl"),
                           QStringLiteral("must be an http:// or https:// address")});
    }
    for (qsizetype i = 0; i < t.emailTo.size(); ++i)
        if (!isEmailAddress(t.emailTo[i]))
            errors.append({QStringLiteral("%1.emailTo[%2]").arg(path).arg(i),
                           QStringLiteral("is not an email address")});
    return errors;
}

QJsonObject toJson(const SmtpSettings& s) {
    return {{"host", s.host},
            {"port", s.port},
            {"security", toString(s.security)},
            {"username", s.username},
            {"passwordCredentialId", s.passwordCredentialId},
            {"from", s.from},
            {"trustedRootFile", s.trustedRootFile}};
}

void readSmtpSettings(JsonReader& r, SmtpSettings& s) {
    r.read("host", s.host);
    r.read("port", s.port);
    r.readEnum("security", s.security, smtpSecurityFromString);
    r.read("username", s.username);
    r.read("passwordCredentialId", s.passwordCredentialId);
    r.read("from", s.from);
    r.read("trustedRootFile", s.trustedRootFile);
}

} // namespace ck
