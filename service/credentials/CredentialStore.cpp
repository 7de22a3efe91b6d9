#include "credentials/CredentialStore.h"

#include "base/Clock.h"
#include "config/DataFile.h"
#include "config/JsonFile.h"
#include "model/JsonReader.h"

#include <QFile>
#include <QJsonArray>
#include <QUuid>

#include <cerrno>

namespace ck::credentials {

CredentialStore::CredentialStore(QString dataDir, crypto::SecretBox box,
                                 const LiveDnsCatalogue* dns)
    : m_dataDir(std::move(dataDir)), m_box(std::move(box)), m_dns(dns) {}

QString CredentialStore::filePath() const {
    return m_dataDir + QStringLiteral("/credentials.json");
}

QByteArray CredentialStore::boundTo(const QString& id, const QString& field) {
    return (id + u'/' + field).toUtf8();
}

QStringList CredentialStore::load() {
    m_entries.clear();
    if (!QFile::exists(filePath()))
        return {};
    const auto file = readJsonFile(filePath());
    if (file.error)
        return {file.error->message()};
    QStringList notices;
    for (const auto& v : file.document.array()) {
        const QJsonObject o = v.toObject();
        QList<FieldError> errors;
        JsonReader r(o, &errors);
        Entry e;
        r.read("id", e.credential.id);
        r.read("title", e.credential.title);
        r.read("type", e.credential.type);
        r.read("fields", e.credential.fields);
        r.read("dateCreated", e.credential.dateCreated);
        QJsonObject sealed;
        r.read("sealed", sealed);
        for (auto it = sealed.begin(); it != sealed.end(); ++it) {
            e.sealed.insert(it.key(), it.value().toString().toLatin1());
            e.credential.secretFields << it.key();
        }
        if (!errors.isEmpty() || e.credential.id.isEmpty())
            notices << QStringLiteral("%1: a credential entry cannot be read and was skipped")
                           .arg(filePath());
        else
            m_entries.append(e);
    }
    return notices;
}

void CredentialStore::save() const {
    QJsonArray arr;
    for (const auto& e : m_entries) {
        QJsonObject o = e.credential.toJson();
        o.remove(QStringLiteral("secretFields")); // derived from "sealed" on load
        QJsonObject sealed;
        for (auto it = e.sealed.begin(); it != e.sealed.end(); ++it)
            sealed.insert(it.key(), QString::fromLatin1(it.value()));
        o.insert(QStringLiteral("sealed"), sealed);
        arr.append(o);
    }
    QString error;
    if (!writeJsonFileAtomic(filePath(), QJsonDocument(arr), &error, 0600)) {
        if (isDiskFull(errno))
            throw StorageFullError::whileSaving(QStringLiteral("the credentials"), error);
        throw InternalError(QStringLiteral("Cannot save the credentials: %1").arg(error));
    }
}

std::shared_ptr<const DnsCatalogue> CredentialStore::catalogue() const {
    if (m_dns)
        return m_dns->current();
    return std::shared_ptr<const DnsCatalogue>(std::shared_ptr<void>(), &DnsCatalogue::builtIn());
}

QList<StoredCredential> CredentialStore::list() const {
    QList<StoredCredential> out;
    for (const auto& e : m_entries)
        out.append(e.credential);
    return out;
}

std::optional<StoredCredential> CredentialStore::find(const QString& id) const {
    for (const auto& e : m_entries)
        if (e.credential.id == id)
            return e.credential;
    return std::nullopt;
}

CredentialStore::Entry CredentialStore::seal(StoredCredential credential,
                                             const QJsonObject& values) const {
    const auto catalogue = this->catalogue();
    const auto problems = validateCredential(credential.type, credential.title, values, *catalogue);
    if (!problems.isEmpty())
        throw InvalidInputError(problems);
    Entry e;
    e.credential = std::move(credential);
    e.credential.title = e.credential.title.trimmed();
    e.credential.fields = {};
    e.credential.secretFields.clear();
    for (const auto& field : catalogue->findCredentialType(e.credential.type)->fields) {
        QString value = values.value(field.name).toString();
        if (value.isEmpty())
            value = field.defaultValue;
        if (value.isEmpty())
            continue;
        if (field.secret) {
            e.sealed.insert(field.name,
                            m_box.seal(value.toUtf8(), boundTo(e.credential.id, field.name)));
            e.credential.secretFields << field.name;
        } else {
            e.credential.fields.insert(field.name, value.trimmed());
        }
    }
    return e;
}

StoredCredential CredentialStore::create(const QString& type, const QString& title,
                                         const QJsonObject& values) {
    StoredCredential credential;
    credential.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    credential.title = title;
    credential.type = type;
    credential.dateCreated = Clock::system().now();
    const Entry e = seal(credential, values);
    m_entries.append(e);
    try {
        save();
    } catch (...) {
        m_entries.removeLast();
        throw;
    }
    return e.credential;
}

StoredCredential CredentialStore::restore(const StoredCredential& credential,
                                          const QJsonObject& values) {
    const Entry e = seal(credential, values);
    const QList<Entry> before = m_entries;
    const auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& existing) {
        return existing.credential.id == credential.id;
    });
    if (it != m_entries.end())
        *it = e;
    else
        m_entries.append(e);
    try {
        save();
    } catch (...) {
        m_entries = before;
        throw;
    }
    return e.credential;
}

StoredCredential CredentialStore::update(const QString& id, const QJsonObject& values) {
    const auto existing = find(id);
    if (!existing)
        throw NotFoundError(QStringLiteral("No stored credential has the id '%1'").arg(id));
    return restore(*existing, values);
}

void CredentialStore::remove(const QString& id) {
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].credential.id != id)
            continue;
        const Entry removed = m_entries.takeAt(i);
        try {
            save();
        } catch (...) {
            m_entries.insert(i, removed);
            throw;
        }
        return;
    }
    throw NotFoundError(QStringLiteral("No stored credential has the id '%1'").arg(id));
}

QJsonObject CredentialStore::values(const QString& id) const {
    for (const auto& e : m_entries) {
        if (e.credential.id != id)
            continue;
        QJsonObject all = e.credential.fields;
        for (auto it = e.sealed.begin(); it != e.sealed.end(); ++it) {
            const auto plain = m_box.open(it.value(), boundTo(id, it.key()));
            if (!plain)
                throw InternalError(
                    QStringLiteral("The secret '%1' of the credential '%2' cannot be "
                                   "decrypted: machine.key was replaced or the file "
                                   "was edited. Enter the credential again.")
                        .arg(it.key(), e.credential.title));
            all.insert(it.key(), QString::fromUtf8(*plain));
        }
        return all;
    }
    throw NotFoundError(QStringLiteral("No stored credential has the id '%1'").arg(id));
}

} // namespace ck::credentials
