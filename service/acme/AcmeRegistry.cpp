#include "AcmeRegistry.h"

#include "JsonFile.h"
#include "PrivateKey.h"
#include "SecretFiles.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>

namespace ck::acme {

AcmeRegistry::AcmeRegistry(asio::any_io_executor executor, QString dataDir,
                           std::chrono::milliseconds requestTimeout)
    : m_executor(std::move(executor)), m_dataDir(std::move(dataDir)),
      m_requestTimeout(requestTimeout) {}

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

void AcmeRegistry::writeCustom() const {
    QJsonArray arr;
    for (const auto& ca : m_custom)
        arr.append(ca.toJson());
    QString error;
    if (!writeJsonFileAtomic(customFile(), QJsonDocument(arr), &error, 0600))
        throw ApiError(ApiError::Kind::Internal,
                       QStringLiteral("Cannot save %1: %2").arg(customFile(), error));
}

void AcmeRegistry::saveCustomAuthority(const CertificateAuthority& input) {
    CertificateAuthority ca = input;
    ca.builtIn = false;
    const auto problems = validateCertificateAuthority(ca);
    if (!problems.isEmpty())
        throw ApiError::validation(problems);
    for (const auto& builtIn : builtInCertificateAuthorities())
        if (builtIn.id == ca.id)
            throw ApiError(ApiError::Kind::Conflict,
                           QStringLiteral("'%1' is a built-in CA; choose another id").arg(ca.id),
                           QStringLiteral("id"));
    bool replaced = false;
    for (auto& existing : m_custom)
        if (existing.id == ca.id) {
            existing = ca;
            replaced = true;
        }
    if (!replaced)
        m_custom.append(ca);
    m_clients.clear(); // the trusted root may have changed
    writeCustom();
}

void AcmeRegistry::removeCustomAuthority(const QString& id) {
    const auto it = std::find_if(m_custom.begin(), m_custom.end(),
                                 [&](const CertificateAuthority& ca) { return ca.id == id; });
    if (it == m_custom.end())
        throw ApiError(ApiError::Kind::NotFound,
                       QStringLiteral("No custom CA has the id '%1'").arg(id));
    for (const auto& a : m_accounts)
        if (a.certificateAuthorityId == id)
            throw ApiError(
                ApiError::Kind::Conflict,
                QStringLiteral("The account %1 still uses this CA; remove it first").arg(a.email));
    m_custom.erase(it);
    writeCustom();
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
                                  key.toPem(), &error))
        throw ApiError(ApiError::Kind::Internal,
                       QStringLiteral("Cannot save the account key: %1").arg(error));
    saveAccount(account);
}

void AcmeRegistry::saveAccount(const AcmeAccount& account) {
    QString error;
    if (!writeJsonFileAtomic(accountsDir() + u'/' + account.id + QStringLiteral(".json"),
                             QJsonDocument(account.toJson()), &error, 0600))
        throw ApiError(ApiError::Kind::Internal,
                       QStringLiteral("Cannot save the account: %1").arg(error));
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
        throw ApiError(ApiError::Kind::NotFound,
                       QStringLiteral("No ACME account has the id '%1'").arg(id));
    QFile::remove(accountsDir() + u'/' + id + QStringLiteral(".json"));
    QFile::remove(accountsDir() + u'/' + id + QStringLiteral(".key"));
    m_accounts.erase(it);
}

crypto::PrivateKey AcmeRegistry::accountKey(const AcmeAccount& account) const {
    QFile f(accountsDir() + u'/' + account.id + QStringLiteral(".key"));
    if (!f.open(QIODevice::ReadOnly))
        throw ApiError(ApiError::Kind::Internal,
                       QStringLiteral("The key of the ACME account %1 cannot be read (%2)")
                           .arg(account.email, f.errorString()));
    try {
        return crypto::PrivateKey::fromPem(f.readAll());
    } catch (const std::exception& e) {
        throw ApiError(ApiError::Kind::Validation,
                       QStringLiteral("The key of the ACME account %1 (%2) is damaged (%3). "
                                      "Restore it from a backup, or remove the account and "
                                      "register it again.")
                           .arg(account.email, f.fileName(), QString::fromUtf8(e.what())),
                       QStringLiteral("certificateAuthorityId"));
    }
}

std::unique_ptr<AccountSession> AcmeRegistry::openAccountSession(const QString& caId,
                                                                 bool staging) {
    const QString id = caId.isEmpty() ? QString::fromLatin1(kDefaultCertificateAuthority) : caId;
    const auto ca = authority(id);
    if (!ca)
        throw ApiError(ApiError::Kind::Validation,
                       QStringLiteral("The certificate authority '%1' is not configured").arg(id),
                       QStringLiteral("certificateAuthorityId"));
    const auto found = accountFor(ca->id, staging);
    if (!found)
        throw ApiError(ApiError::Kind::Validation,
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
    auto& slot = m_clients[ca.trustedRootFile];
    if (!slot) {
        try {
            slot = std::make_unique<HttpsClient>(m_executor, ca.trustedRootFile, m_requestTimeout);
        } catch (const TransportError& e) {
            m_clients.erase(ca.trustedRootFile);
            throw ApiError(ApiError::Kind::Validation, QString::fromUtf8(e.what()),
                           QStringLiteral("trustedRootFile"));
        }
    }
    return *slot;
}

} // namespace ck::acme
