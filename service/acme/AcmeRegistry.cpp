#include "acme/AcmeRegistry.h"

#include "config/DataFile.h"
#include "config/JsonFile.h"
#include "crypto/PrivateKey.h"
#include "crypto/SecretFiles.h"
#include "crypto/TrustedRoots.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>

#include <cerrno>

namespace ck::acme {

namespace {
constexpr qint64 kMaxRootFileBytes = 1024 * 1024;

// The certificates of a CA's trusted root file, or why they cannot be used ("The file X holds a
// private key; ...").
crypto::TrustedRoots readTrustedRootFile(const QString& path) {
    const DataFileRead read = readDataFile(path, kMaxRootFileBytes);
    crypto::TrustedRoots roots =
        read.ok() ? crypto::parseTrustedRoots(read.bytes)
                  : crypto::TrustedRoots{{},
                                         read.missing ? QStringLiteral("cannot be read: it does "
                                                                       "not exist")
                                                      : read.problem};
    if (!roots.ok())
        roots.problem = QStringLiteral("The file %1 %2").arg(path, roots.problem);
    return roots;
}

// The certificates to keep in the CA's record: from its file when it names one (read now, at
// the save), else those the client or a backup sent, parsed and re-encoded all the same.
QString acceptedRoots(const CertificateAuthority& ca) {
    if (!ca.trustedRootFile.isEmpty()) {
        const crypto::TrustedRoots roots = readTrustedRootFile(ca.trustedRootFile);
        if (!roots.ok())
            throw InvalidInputError({{QStringLiteral("trustedRootFile"), roots.problem}});
        return QString::fromLatin1(roots.pem);
    }
    if (ca.trustedRootCertificates.isEmpty())
        return {};
    const crypto::TrustedRoots roots =
        crypto::parseTrustedRoots(ca.trustedRootCertificates.toUtf8());
    if (!roots.ok())
        throw InvalidInputError(
            {{QStringLiteral("trustedRootCertificates"),
              QStringLiteral("The trusted root certificates %1").arg(roots.problem)}});
    return QString::fromLatin1(roots.pem);
}
} // namespace

AcmeRegistry::AcmeRegistry(asio::any_io_executor executor, QString dataDir,
                           std::chrono::milliseconds requestTimeout, OutgoingProxy proxy)
    : m_executor(std::move(executor)), m_dataDir(std::move(dataDir)),
      m_requestTimeout(requestTimeout), m_proxy(std::move(proxy)) {}

QString AcmeRegistry::accountsDir() const {
    return m_dataDir + QStringLiteral("/accounts");
}
QString AcmeRegistry::customFile() const {
    return m_dataDir + QStringLiteral("/certificateauthorities.json");
}

QStringList AcmeRegistry::load() {
    QStringList notices;
    m_custom.clear();
    m_accounts.clear();
    if (QFile::exists(customFile())) {
        const auto r = readJsonFile(customFile());
        if (r.error) {
            notices << r.error->message();
        } else {
            for (const auto& v : r.document.array()) {
                QList<FieldError> errors;
                auto ca = CertificateAuthority::fromJson(v.toObject(), &errors);
                if (errors.isEmpty())
                    m_custom.append(ca);
                else
                    notices << QStringLiteral("%1: a custom CA entry was skipped (%2)")
                                   .arg(customFile(), errors.first().detail);
            }
            notices += migrateTrustedRoots();
        }
    }
    const QDir dir(accountsDir());
    for (const auto& name : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        const auto r = readJsonFile(dir.filePath(name));
        QList<FieldError> errors;
        const auto account =
            r.error ? AcmeAccount{} : AcmeAccount::fromJson(r.document.object(), &errors);
        if (r.error || !errors.isEmpty() || account.id.isEmpty())
            notices << QStringLiteral("The account file %1 cannot be read and was skipped")
                           .arg(dir.filePath(name));
        else
            m_accounts.append(account);
    }
    return notices;
}

QList<CertificateAuthority> AcmeRegistry::authorities() const {
    return builtInCertificateAuthorities() + m_custom;
}

std::optional<CertificateAuthority> AcmeRegistry::authority(const QString& id) const {
    for (const auto& ca : authorities())
        if (ca.id == id)
            return ca;
    return std::nullopt;
}

void AcmeRegistry::writeCustom(const QList<CertificateAuthority>& custom) const {
    QJsonArray arr;
    for (const auto& ca : custom)
        arr.append(ca.toJson());
    QString error;
    if (!writeJsonFileAtomic(customFile(), QJsonDocument(arr), &error, 0600)) {
        if (isDiskFull(errno))
            throw StorageFullError::whileSaving(QStringLiteral("the certificate authorities"),
                                                error);
        throw InternalError(QStringLiteral("Cannot save %1: %2").arg(customFile(), error));
    }
}

QStringList AcmeRegistry::migrateTrustedRoots() {
    // Records written before the certificates were kept name only a file: it is read and checked
    // once, as a save would, and from then on the record's certificates are what is trusted.
    QStringList notices;
    bool migrated = false;
    for (auto& ca : m_custom) {
        if (ca.trustedRootFile.isEmpty() || !ca.trustedRootCertificates.isEmpty())
            continue;
        const crypto::TrustedRoots roots = readTrustedRootFile(ca.trustedRootFile);
        if (roots.ok()) {
            ca.trustedRootCertificates = QString::fromLatin1(roots.pem);
            migrated = true;
        } else {
            notices << QStringLiteral("The custom CA '%1' cannot be used: %2. Save it again with "
                                      "a file of PEM certificates (Settings > Certificate "
                                      "authorities).")
                           .arg(ca.id, roots.problem);
        }
    }
    if (migrated) {
        try {
            writeCustom(m_custom);
        } catch (const DomainError& e) {
            notices << e.message();
        }
    }
    return notices;
}

void AcmeRegistry::saveCustomAuthority(const CertificateAuthority& input) {
    CertificateAuthority ca = input;
    ca.builtIn = false;
    const auto problems = validateCertificateAuthority(ca);
    if (!problems.isEmpty())
        throw InvalidInputError(problems);
    ca.trustedRootCertificates = acceptedRoots(ca);
    for (const auto& builtIn : builtInCertificateAuthorities())
        if (builtIn.id == ca.id)
            throw ConflictError(
                QStringLiteral("'%1' is a built-in CA; choose another id").arg(ca.id),
                QStringLiteral("id"));
    QList<CertificateAuthority> custom = m_custom;
    bool replaced = false;
    for (auto& existing : custom)
        if (existing.id == ca.id) {
            existing = ca;
            replaced = true;
        }
    if (!replaced)
        custom.append(ca);
    writeCustom(custom);
    m_custom = custom;
    m_clients.clear(); // the trusted root may have changed
}

void AcmeRegistry::removeCustomAuthority(const QString& id) {
    const auto it = std::find_if(m_custom.cbegin(), m_custom.cend(),
                                 [&](const CertificateAuthority& ca) { return ca.id == id; });
    if (it == m_custom.cend())
        throw NotFoundError(QStringLiteral("No custom CA has the id '%1'").arg(id));
    const qsizetype index = it - m_custom.cbegin();
    for (const auto& a : m_accounts)
        if (a.certificateAuthorityId == id)
            throw ConflictError(
                QStringLiteral("The account %1 still uses this CA; remove it first").arg(a.email));
    QList<CertificateAuthority> custom = m_custom;
    custom.removeAt(index);
    writeCustom(custom);
    m_custom = custom;
}

QList<AcmeAccount> AcmeRegistry::accounts() const {
    return m_accounts;
}

std::optional<AcmeAccount> AcmeRegistry::account(const QString& id) const {
    for (const auto& a : m_accounts)
        if (a.id == id)
            return a;
    return std::nullopt;
}

std::optional<AcmeAccount> AcmeRegistry::accountFor(const QString& caId, bool staging) const {
    for (const auto& a : m_accounts)
        if (a.certificateAuthorityId == caId && a.staging == staging &&
            a.status == QLatin1String("valid"))
            return a;
    return std::nullopt;
}

void AcmeRegistry::saveAccount(const AcmeAccount& account, const crypto::PrivateKey& key) {
    QDir().mkpath(accountsDir());
    QFile::setPermissions(accountsDir(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QString error;
    if (!crypto::writePrivateFile(accountsDir() + u'/' + account.id + QStringLiteral(".key"),
                                  key.toPem(), &error)) {
        if (isDiskFull(errno))
            throw StorageFullError::whileSaving(QStringLiteral("the account key"), error);
        throw InternalError(QStringLiteral("Cannot save the account key: %1").arg(error));
    }
    saveAccount(account);
}

void AcmeRegistry::saveAccount(const AcmeAccount& account) {
    QString error;
    if (!writeJsonFileAtomic(accountsDir() + u'/' + account.id + QStringLiteral(".json"),
                             QJsonDocument(account.toJson()), &error, 0600)) {
        if (isDiskFull(errno))
            throw StorageFullError::whileSaving(QStringLiteral("the account"), error);
        throw InternalError(QStringLiteral("Cannot save the account: %1").arg(error));
    }
    for (auto& existing : m_accounts)
        if (existing.id == account.id) {
            existing = account;
            return;
        }
    m_accounts.append(account);
}

void AcmeRegistry::removeAccount(const QString& id) {
    const auto it = std::find_if(m_accounts.begin(), m_accounts.end(),
                                 [&](const AcmeAccount& a) { return a.id == id; });
    if (it == m_accounts.end())
        throw NotFoundError(QStringLiteral("No ACME account has the id '%1'").arg(id));
    QFile::remove(accountsDir() + u'/' + id + QStringLiteral(".json"));
    QFile::remove(accountsDir() + u'/' + id + QStringLiteral(".key"));
    m_accounts.erase(it);
}

crypto::PrivateKey AcmeRegistry::accountKey(const AcmeAccount& account) const {
    const QString path = accountsDir() + u'/' + account.id + QStringLiteral(".key");
    const DataFileRead read = readDataFile(path);
    if (!read.ok())
        throw InternalError(QStringLiteral("The key of the ACME account %1 cannot be read (%2 %3)")
                                .arg(account.email, path, read.problem));
    try {
        return crypto::PrivateKey::fromPem(read.bytes);
    } catch (const std::exception& e) {
        throw InvalidInputError(
            QStringLiteral("The key of the ACME account %1 (%2) is damaged (%3). "
                           "Restore it from a backup, or remove the account and "
                           "register it again.")
                .arg(account.email, path, QString::fromUtf8(e.what())),
            QStringLiteral("certificateAuthorityId"));
    }
}

std::unique_ptr<AccountSession> AcmeRegistry::openAccountSession(const QString& caId,
                                                                 bool staging) {
    const QString id = caId.isEmpty() ? QString::fromLatin1(kDefaultCertificateAuthority) : caId;
    const auto ca = authority(id);
    if (!ca && retiredCertificateAuthority(id))
        throw InvalidInputError(retiredCertificateAuthorityWarning(id),
                                QStringLiteral("certificateAuthorityId"));
    if (!ca)
        throw InvalidInputError(
            QStringLiteral("The certificate authority '%1' is not configured").arg(id),
            QStringLiteral("certificateAuthorityId"));
    const auto found = accountFor(ca->id, staging);
    if (!found)
        throw InvalidInputError(
            QStringLiteral("There is no ACME account for %1%2 yet: register one in "
                           "Settings > ACME accounts (or certkeeper-cli account add)")
                .arg(ca->title, staging ? QStringLiteral(" (staging)") : QString()),
            QStringLiteral("certificateAuthorityId"));
    auto s = std::make_unique<AccountSession>();
    s->ca = *ca;
    s->account = *found;
    s->key = accountKey(*found);
    s->session.emplace(clientFor(*ca), QUrl(ca->directoryFor(staging)), s->key);
    s->session->setAccountUrl(found->accountUrl);
    return s;
}

HttpsClient& AcmeRegistry::clientFor(const CertificateAuthority& ca) {
    if (!ca.trustedRootFile.isEmpty() && ca.trustedRootCertificates.isEmpty())
        throw InvalidInputError(
            QStringLiteral("The trusted root file %1 of the CA '%2' was not accepted "
                           "(see the service's notices); save the CA again with a file "
                           "of PEM certificates")
                .arg(ca.trustedRootFile, ca.title),
            QStringLiteral("trustedRootFile"));
    const QString key = ca.trustedRootCertificates;
    auto& slot = m_clients[key];
    if (!slot) {
        try {
            slot = std::make_unique<HttpsClient>(m_executor, key.toLatin1(), m_requestTimeout,
                                                 m_proxy);
        } catch (const TransportError& e) {
            m_clients.erase(key);
            throw InvalidInputError(QString::fromUtf8(e.what()), QStringLiteral("trustedRootFile"));
        }
    }
    return *slot;
}

} // namespace ck::acme
