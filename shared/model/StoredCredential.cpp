#include "model/StoredCredential.h"

#include "model/JsonReader.h"
#include "model/PlainText.h"

#include <QJsonArray>

namespace ck {

namespace {
CredentialField plain(const char* name, const char* title, bool required = true,
                      const char* defaultValue = "", const char* help = "") {
    return {QString::fromLatin1(name),         QString::fromLatin1(title), false, required,
            QString::fromLatin1(defaultValue), QString::fromLatin1(help)};
}
CredentialField secret(const char* name, const char* title, const char* help = "") {
    return {QString::fromLatin1(name), QString::fromLatin1(title), true, true, QString(),
            QString::fromLatin1(help)};
}
} // namespace

QJsonObject CredentialType::toJson() const {
    QJsonArray list;
    for (const auto& f : fields)
        list.append(QJsonObject{{"name", f.name},
                                {"title", f.title},
                                {"secret", f.secret},
                                {"required", f.required},
                                {"defaultValue", f.defaultValue},
                                {"help", f.help}});
    return {{"id", id}, {"title", title}, {"fields", list}};
}

CredentialType CredentialType::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    CredentialType type;
    JsonReader r(o, errors);
    r.require({"id", "fields"});
    r.read("id", type.id);
    r.read("title", type.title);
    r.readObjectArray("fields", [&](JsonReader& sub) {
        CredentialField f;
        sub.require({"name"});
        sub.read("name", f.name);
        f.title = f.name;
        sub.read("title", f.title);
        sub.read("secret", f.secret);
        sub.read("required", f.required);
        sub.read("defaultValue", f.defaultValue);
        sub.read("help", f.help);
        type.fields.append(f);
    });
    return type;
}

const CredentialField* CredentialType::field(const QString& name) const {
    for (const auto& f : fields)
        if (f.name == name)
            return &f;
    return nullptr;
}

const QList<CredentialType>& credentialTypes() {
    static const QList<CredentialType> types{
        {QStringLiteral("rfc2136"),
         QStringLiteral("DNS update (RFC 2136) with a TSIG key"),
         {plain("server", "DNS server (primary) address", true, "",
                "IP address or host name of the server that accepts updates"),
          plain("port", "Port", false, "53"),
          plain("zone", "Zone", false, "", "Leave empty to find the zone from the name"),
          plain("keyName", "TSIG key name"),
          plain("algorithm", "TSIG algorithm", false, "hmac-sha256",
                "hmac-sha256, hmac-sha512, hmac-sha1 or hmac-md5"),
          secret("secret", "TSIG secret (base64)")}},
        {QStringLiteral("eab"),
         QStringLiteral("External Account Binding (ZeroSSL, Google, ...)"),
         {plain("keyId", "EAB key id"), secret("hmacKey", "EAB HMAC key (base64url)")}},
        {QStringLiteral("pfx-password"),
         QStringLiteral("PFX (PKCS#12) password"),
         {secret("password", "Password")}},
        {QStringLiteral("smtp-password"),
         QStringLiteral("SMTP password (email notifications)"),
         {secret("password", "Password")}},
    };
    return types;
}

const CredentialType* findCredentialType(const QString& id) {
    for (const auto& t : credentialTypes())
        if (t.id == id)
            return &t;
    return nullptr;
}

QJsonObject StoredCredential::toJson() const {
    return {{"id", id},
            {"title", title},
            {"type", type},
            {"fields", fields},
            {"secretFields", QJsonArray::fromStringList(secretFields)},
            {"dateCreated", dateCreated.toString(Qt::ISODateWithMs)}};
}

QList<FieldError> validateCredential(const QString& type, const QString& title,
                                     const QJsonObject& values) {
    QList<FieldError> errors;
    if (title.trimmed().isEmpty())
        errors.append({QStringLiteral("title"), QStringLiteral("Give the credential a name")});
    else if (const auto problem = lineTextProblem(title, QStringLiteral("The credential's name")))
        errors.append({QStringLiteral("title"), *problem});
    const CredentialType* t = findCredentialType(type);
    if (!t) {
        QStringList ids;
        for (const auto& known : credentialTypes())
            ids << known.id;
        errors.append(
            {QStringLiteral("type"), QStringLiteral("Unknown credential type '%1'; use %2")
                                         .arg(type, ids.join(QStringLiteral(", ")))});
        return errors;
    }
    for (const auto& f : t->fields) {
        const auto v = values.value(f.name);
        const QString path = QStringLiteral("values.") + f.name;
        if (!v.isUndefined() && !v.isString())
            errors.append({path, QStringLiteral("must be text")});
        else if (f.required && v.toString().trimmed().isEmpty())
            errors.append({path, QStringLiteral("%1 is required").arg(f.title)});
    }
    for (auto it = values.begin(); it != values.end(); ++it) {
        const bool known =
            std::any_of(t->fields.begin(), t->fields.end(),
                        [&](const CredentialField& f) { return f.name == it.key(); });
        if (!known)
            errors.append({QStringLiteral("values.") + it.key(),
                           QStringLiteral("is not a field of %1").arg(t->title)});
    }
    return errors;
}

} // namespace ck
