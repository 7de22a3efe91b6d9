#include "model/StoredCredential.h"

#include "model/DnsCatalogue.h"
#include "model/DnsProviderTypes.h"
#include "model/JsonReader.h"
#include "model/PlainText.h"
#include "model/SshTaskType.h"

#include <QJsonArray>

namespace ck {

namespace {
CredentialField secret(const char* name, const char* title) {
    CredentialField f;
    f.name = QString::fromLatin1(name);
    f.title = QString::fromLatin1(title);
    f.secret = true;
    return f;
}

CredentialType type(const char* id, const char* title, QList<CredentialField> fields) {
    CredentialType t;
    t.id = QString::fromLatin1(id);
    t.title = QString::fromLatin1(title);
    t.fields = std::move(fields);
    return t;
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
    return {{"id", id},
            {"title", title},
            {"fields", list},
            {"help", help},
            {"url", url},
            {"dnsProvider", dnsProvider},
            {"nativeProvider", nativeProvider}};
}

CredentialType CredentialType::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    CredentialType type;
    JsonReader r(o, errors);
    r.require({"id", "fields"});
    r.read("id", type.id);
    r.read("title", type.title);
    r.read("help", type.help);
    r.read("url", type.url);
    r.read("dnsProvider", type.dnsProvider);
    r.read("nativeProvider", type.nativeProvider);
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
    static const QList<CredentialType> types = [] {
        QList<CredentialType> all;
        for (const auto& provider : dnsProviderTypes())
            if (!provider.credentialType.isEmpty())
                all.append(provider.credentialTypeSpec());
        all.append(type("eab", "External Account Binding (ZeroSSL, Google, ...)",
                        {{QStringLiteral("keyId"), QStringLiteral("EAB key id"), false, true,
                          QString(), QString()},
                         secret("hmacKey", "EAB HMAC key (base64url)")}));
        all.append(
            type("pfx-password", "PFX (PKCS#12) password", {secret("password", "Password")}));
        all.append(type("smtp-password", "SMTP password (email notifications)",
                        {secret("password", "Password")}));
        all.append(sshKeyCredentialType());
        // serviceconfig.json's proxy.credentialId: Basic authentication to the HTTP proxy.
        all.append(type("proxy", "HTTP proxy user and password (outgoing HTTPS)",
                        {{QStringLiteral("user"), QStringLiteral("User name"), false, true,
                          QString(), QString()},
                         secret("password", "Password")}));
        return all;
    }();
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
    return validateCredential(type, title, values, DnsCatalogue::builtIn());
}

QList<FieldError> validateCredential(const QString& type, const QString& title,
                                     const QJsonObject& values, const DnsCatalogue& catalogue) {
    QList<FieldError> errors;
    if (title.trimmed().isEmpty())
        errors.append({QStringLiteral("title"), QStringLiteral("Give the credential a name")});
    else if (const auto problem = lineTextProblem(title, QStringLiteral("The credential's name")))
        errors.append({QStringLiteral("title"), *problem});
    const CredentialType* t = catalogue.findCredentialType(type);
    if (!t) {
        QStringList ids;
        for (const auto& known : catalogue.credentialTypes())
            if (known.nativeProvider.isEmpty())
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
