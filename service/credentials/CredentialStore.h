#pragma once
// The service's stored credentials (credentials.json, 0600): non-secret fields in clear, every
// secret field sealed with AES-256-GCM under machine.key, bound to its credential id and field
// name so a sealed value copied elsewhere does not open. Used on the network thread only.

#include "DomainError.h"
#include "crypto/SecretBox.h"
#include "model/DnsCatalogue.h"
#include "model/StoredCredential.h"

#include <QHash>
#include <QString>

#include <optional>

namespace ck::credentials {

class CredentialStore {
public:
    // `dns`: the service's catalogue, whose credential types (lexicon's among them) values are
    // checked against; none: the built-in types only.
    CredentialStore(QString dataDir, crypto::SecretBox box, const LiveDnsCatalogue* dns = nullptr);

    // Reads credentials.json; problems come back as notices (the file is never rewritten on a
    // failed read, so nothing is lost).
    QStringList load();

    QList<StoredCredential> list() const;
    std::optional<StoredCredential> find(const QString& id) const;
    // Validates against the type, seals the secrets and saves. Throws a DomainError.
    StoredCredential create(const QString& type, const QString& title, const QJsonObject& values);
    // A credential from a backup, under its own id (managed certificates refer to it): its
    // secrets are sealed anew under this install's machine.key. An existing one with that id is
    // replaced. Throws InvalidInputError when the values do not fit its type.
    StoredCredential restore(const StoredCredential& credential, const QJsonObject& values);
    // Replaces every value of an existing credential (a provider that registers itself stores
    // what it got back), sealed anew. Throws NotFoundError, or InvalidInputError when the values
    // do not fit its type.
    StoredCredential update(const QString& id, const QJsonObject& values);
    // Throws NotFoundError. The caller checks that nothing uses it.
    void remove(const QString& id);
    // Every field, secrets opened: for providers inside the service, never for an API answer.
    // Throws NotFoundError, or InternalError when a secret no longer opens (machine.key
    // replaced or file edited).
    QJsonObject values(const QString& id) const;
    // The catalogue credential values are checked against (the built-in one without `dns`).
    std::shared_ptr<const DnsCatalogue> catalogue() const;

private:
    struct Entry {
        StoredCredential credential;
        QHash<QString, QByteArray> sealed; // field name -> sealed text
    };
    Entry seal(StoredCredential credential, const QJsonObject& values) const;
    void save() const;
    QString filePath() const;
    static QByteArray boundTo(const QString& id, const QString& field);

    QString m_dataDir;
    crypto::SecretBox m_box;
    const LiveDnsCatalogue* m_dns = nullptr;
    QList<Entry> m_entries;
};

} // namespace ck::credentials
