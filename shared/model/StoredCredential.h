#pragma once
// Stored credentials: the secrets providers need (a TSIG key for RFC 2136 updates, an External
// Account Binding HMAC key, a PFX password), kept by the service encrypted under machine.key.
// The API and the app only ever see the non-secret fields and which secrets are set.

#include "ApiError.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace ck {

class DnsCatalogue;

// One field of a credential type, as the app shows it in a form.
struct CredentialField {
    QString name;
    QString title;
    bool secret = false; // masked in the app, sealed at rest, never returned
    bool required = true;
    QString defaultValue;
    QString help;
    bool operator==(const CredentialField&) const = default;
};

struct CredentialType {
    QString id; // "rfc2136", "eab", "pfx-password"
    QString title;
    QList<CredentialField> fields;
    QString help;        // how to make it, what it must be allowed to do; may be empty
    QString url;         // the page where the user makes it; may be empty
    QString dnsProvider; // the dns-01 provider that uses it (DnsProviderTypes.h); may be empty
    // That provider's nativeProvider: menus offer the built-in one's credential instead.
    QString nativeProvider;
    // As GET /api/credentials/types serves it, read strictly: a type without its id, or a field
    // without its name, is an error naming it.
    QJsonObject toJson() const;
    static CredentialType fromJson(const QJsonObject& o, QList<FieldError>* errors);
    const CredentialField* field(const QString& name) const;
    bool operator==(const CredentialType&) const = default;
};

// Every built-in type: the dns-01 providers' (from DnsProviderTypes.h), then EAB and the
// passwords. A service's own list, with the types of the providers it found at run time, is its
// DnsCatalogue's.
const QList<CredentialType>& credentialTypes();
const CredentialType* findCredentialType(const QString& id);

struct StoredCredential {
    QString id;
    QString title;
    QString type;
    QJsonObject fields;       // the non-secret fields, as strings
    QStringList secretFields; // names of the secret fields that hold a value
    QDateTime dateCreated;

    QJsonObject toJson() const; // never carries a secret
    bool operator==(const StoredCredential&) const = default;
};

// Checks a create request against its type: every required field present, no unknown field,
// values are strings. `values` holds both secret and non-secret fields as sent.
// Against the built-in types, or against a service's catalogue.
QList<FieldError> validateCredential(const QString& type, const QString& title,
                                     const QJsonObject& values);
QList<FieldError> validateCredential(const QString& type, const QString& title,
                                     const QJsonObject& values, const DnsCatalogue& catalogue);

} // namespace ck
