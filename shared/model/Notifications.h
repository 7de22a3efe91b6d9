#pragma once
// Who hears about renewals: targets (global in the settings, overridable per item) and the SMTP
// server that carries email. Secrets (the SMTP password) are stored credentials, named by id.

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace ck {

class JsonReader;
struct FieldError;

struct NotificationTargets {
    bool onFailure = true;
    bool onSuccess = false;
    QString webhookUrl; // POSTed a JSON description of the event; empty = none
    QStringList emailTo;
    QJsonObject extra; // fields this version does not know (see ManagedCertificate::extra)
    bool operator==(const NotificationTargets&) const = default;
};

enum class SmtpSecurity { StartTls, Tls, None };
QString toString(SmtpSecurity s);
std::optional<SmtpSecurity> smtpSecurityFromString(const QString& s);

struct SmtpSettings {
    QString host;
    int port = 587;
    SmtpSecurity security = SmtpSecurity::StartTls;
    QString username;
    QString passwordCredentialId;
    QString from;
    // Extra CA certificates (PEM) to trust for the server's TLS, for a relay with a private CA;
    // empty: the system's trust store.
    QString trustedRootFile;
    bool operator==(const SmtpSettings&) const = default;
};

QJsonObject toJson(const NotificationTargets& t);
void readNotificationTargets(JsonReader& r, NotificationTargets& t);
// One address as a mail header and a log line can carry it: local part, '@', domain.
bool isEmailAddress(const QString& address);
QList<FieldError> validateNotificationTargets(const NotificationTargets& t, const QString& path);
QJsonObject toJson(const SmtpSettings& s);
void readSmtpSettings(JsonReader& r, SmtpSettings& s);

} // namespace ck
