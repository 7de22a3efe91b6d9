#include "backup/BackupContents.h"

#include "config/DataFile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>

namespace ck::backup {

namespace {
QString base64(const QByteArray& data) {
    return QString::fromLatin1(data.toBase64());
}

// A file name as the service writes them: no directory, no dot-dot, nothing a shell cares about.
// A name may start with '-' or '_': the random prefix of certificate files is base64url.
bool safeFileName(const QString& name) {
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$"));
    return pattern.match(name).hasMatch();
}

std::optional<QByteArray> decodeBase64(const QJsonValue& value) {
    if (!value.isString())
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(value.toString().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return decoded.decoded;
}

QJsonArray objects(const QJsonObject& o, const char* key, bool* ok) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return {};
    if (!v.isArray())
        *ok = false;
    for (const auto& element : v.toArray())
        if (!element.isObject())
            *ok = false;
    return v.toArray();
}

QString describe(const QList<FieldError>& errors) {
    return errors.isEmpty()
               ? QString()
               : QStringLiteral("%1 %2").arg(errors.first().field, errors.first().detail);
}

bool decodeItem(const QJsonObject& o, PackagedItem* out, QString* problem) {
    QList<FieldError> errors;
    out->item = managedCertificateFromJson(o.value("item").toObject(), &errors);
    if (!errors.isEmpty() || !safeFileName(out->item.id)) {
        *problem = QStringLiteral("a managed certificate cannot be read (%1)")
                       .arg(errors.isEmpty() ? QStringLiteral("its id") : describe(errors));
        return false;
    }
    const QJsonObject files = o.value("files").toObject();
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QJsonObject f = it.value().toObject();
        const QString name = f.value("name").toString();
        const auto data = decodeBase64(f.value("data"));
        const bool known = std::any_of(itemFileFields().begin(), itemFileFields().end(),
                                       [&](const auto& field) { return it.key() == field.first; });
        if (!known || !safeFileName(name) || !data) {
            *problem = QStringLiteral("a file of '%1' has an unusable name or contents")
                           .arg(out->item.name);
            return false;
        }
        out->files.insert(it.key(), PackagedFile{name, *data});
    }
    return true;
}
} // namespace

const QList<std::pair<const char*, QString ManagedCertificate::*>>& itemFileFields() {
    static const QList<std::pair<const char*, QString ManagedCertificate::*>> fields{
        {"certificatePath", &ManagedCertificate::certificatePath},
        {"certificateChainPath", &ManagedCertificate::certificateChainPath},
        {"certificateFullChainPath", &ManagedCertificate::certificateFullChainPath},
        {"certificateKeyPath", &ManagedCertificate::certificateKeyPath},
        {"certificatePfxPath", &ManagedCertificate::certificatePfxPath},
    };
    return fields;
}

PackagedItem packItem(const ManagedCertificate& item, QStringList* missing) {
    PackagedItem packed{item, {}};
    for (const auto& [field, member] : itemFileFields()) {
        const QString path = item.*member;
        if (path.isEmpty())
            continue;
        const DataFileRead read = readDataFile(path);
        if (!read.ok()) {
            missing->append(QStringLiteral("%1 (%2): it %3").arg(item.name, path, read.problem));
            continue;
        }
        packed.files.insert(QLatin1String(field),
                            PackagedFile{QFileInfo(path).fileName(), read.bytes});
    }
    return packed;
}

QJsonObject BackupContents::toJson() const {
    QJsonArray itemsJson;
    for (const auto& p : items) {
        QJsonObject files;
        for (auto it = p.files.begin(); it != p.files.end(); ++it)
            files.insert(it.key(),
                         QJsonObject{{"name", it.value().name}, {"data", base64(it.value().data)}});
        itemsJson.append(QJsonObject{{"item", ck::toJson(p.item)}, {"files", files}});
    }
    QJsonArray credentialsJson;
    for (const auto& c : credentials)
        credentialsJson.append(
            QJsonObject{{"credential", c.credential.toJson()}, {"values", c.values}});
    QJsonArray authoritiesJson;
    for (const auto& a : authorities)
        authoritiesJson.append(QJsonObject{{"authority", a.ca.toJson()},
                                           {"trustedRoot", QString::fromUtf8(a.trustedRoot)}});
    QJsonArray accountsJson;
    for (const auto& a : accounts)
        accountsJson.append(
            QJsonObject{{"account", a.account.toJson()}, {"key", QString::fromLatin1(a.keyPem)}});
    return {{"format", kContentsFormat},
            {"createdAt", createdAt.toUTC().toString(Qt::ISODateWithMs)},
            {"sourceInstallId", sourceInstallId},
            {"productVersion", productVersion},
            {"items", itemsJson},
            {"credentials", credentialsJson},
            {"certificateAuthorities", authoritiesJson},
            {"accounts", accountsJson}};
}

std::optional<BackupContents> BackupContents::fromJson(const QJsonObject& o, QString* problem) {
    if (o.value("format").toInt() != kContentsFormat) {
        *problem = QStringLiteral("its contents are in format %1, which this version does not read")
                       .arg(o.value("format").toInt());
        return std::nullopt;
    }
    BackupContents c;
    c.createdAt = QDateTime::fromString(o.value("createdAt").toString(), Qt::ISODateWithMs);
    c.sourceInstallId = o.value("sourceInstallId").toString();
    c.productVersion = o.value("productVersion").toString();
    bool ok = true;
    const auto items = objects(o, "items", &ok);
    const auto credentials = objects(o, "credentials", &ok);
    const auto authorities = objects(o, "certificateAuthorities", &ok);
    const auto accounts = objects(o, "accounts", &ok);
    if (!ok) {
        *problem = QStringLiteral("its lists of contents are not lists of entries");
        return std::nullopt;
    }
    for (const auto& v : items) {
        PackagedItem p;
        if (!decodeItem(v.toObject(), &p, problem))
            return std::nullopt;
        c.items.append(p);
    }
    for (const auto& v : credentials) {
        const QJsonObject e = v.toObject();
        const QJsonObject meta = e.value("credential").toObject();
        PackagedCredential p;
        p.credential.id = meta.value("id").toString();
        p.credential.title = meta.value("title").toString();
        p.credential.type = meta.value("type").toString();
        p.credential.dateCreated =
            QDateTime::fromString(meta.value("dateCreated").toString(), Qt::ISODateWithMs);
        p.values = e.value("values").toObject();
        // Its type is checked against the service's catalogue (lexicon's types among them) when
        // it is restored; here it only has to be there.
        if (p.credential.id.isEmpty() || p.credential.type.isEmpty()) {
            *problem = QStringLiteral("a stored credential cannot be read");
            return std::nullopt;
        }
        c.credentials.append(p);
    }
    for (const auto& v : authorities) {
        QList<FieldError> errors;
        PackagedAuthority p;
        p.ca = CertificateAuthority::fromJson(v.toObject().value("authority").toObject(), &errors);
        p.trustedRoot = v.toObject().value("trustedRoot").toString().toUtf8();
        if (!errors.isEmpty() || !safeFileName(p.ca.id)) {
            *problem = QStringLiteral("a custom CA cannot be read (%1)").arg(describe(errors));
            return std::nullopt;
        }
        c.authorities.append(p);
    }
    for (const auto& v : accounts) {
        QList<FieldError> errors;
        PackagedAccount p;
        p.account = AcmeAccount::fromJson(v.toObject().value("account").toObject(), &errors);
        p.keyPem = v.toObject().value("key").toString().toLatin1();
        if (!errors.isEmpty() || p.account.id.isEmpty() || !safeFileName(p.account.id) ||
            p.keyPem.isEmpty()) {
            *problem = QStringLiteral("an ACME account cannot be read (%1)").arg(describe(errors));
            return std::nullopt;
        }
        c.accounts.append(p);
    }
    return c;
}

BackupExport::Counts BackupContents::counts() const {
    return {int(items.size()), int(credentials.size()), int(authorities.size()),
            int(accounts.size())};
}

} // namespace ck::backup
