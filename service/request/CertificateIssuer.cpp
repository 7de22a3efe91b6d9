#include "request/CertificateIssuer.h"

#include "acme/AcmeRegistry.h"
#include "base/FaultPoint.h"
#include "challenges/ChallengePlacement.h"
#include "challenges/LeftOverResponses.h"
#include "config/DataFile.h"
#include "credentials/CredentialStore.h"
#include "logging/ItemLog.h"
#include "request/CaFallback.h"
#include "request/PendingOrder.h"

#include "crypto/AriCertificateId.h"
#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/Csr.h"
#include "crypto/CsrReader.h"
#include "crypto/Pkcs12.h"
#include "crypto/PrivateKey.h"
#include "crypto/Random.h"
#include "crypto/SecretFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <cerrno>

namespace ck::request {

namespace {
using acme::AcmeError;

QList<acme::Identifier> identifiersOf(const ManagedCertificate& item) {
    QList<acme::Identifier> ids;
    for (const auto& name : item.domains())
        ids.append({QStringLiteral("dns"), name});
    for (const auto& ip : item.requestConfig.ipIdentifiers)
        ids.append({QStringLiteral("ip"), ip});
    return ids;
}

// The ARI identifier of the item's current certificate, for `replaces`: from the file, so it is
// right even when the certificate predates the CA's ARI; else the stored one (empty if none).
QString currentCertificateId(const ManagedCertificate& item) {
    try {
        if (const DataFileRead read = readDataFile(item.certificatePath);
            !item.certificatePath.isEmpty() && read.ok())
            return crypto::ariCertificateId(read.bytes);
    } catch (const crypto::CryptoError&) {
    }
    return item.ariCertificateId;
}

// The new certificate's ARI identifier and, where the CA offers ARI, its suggested renewal window.
// Failures are logged, not thrown: the certificate is good; renewal then goes by its lifetime.
awaitable<void> readRenewalInfo(acme::AcmeSession& session, const QByteArray& certPem,
                                IssuedCertificate& issued, logging::ItemLog& log) {
    const acme::Directory directory = co_await session.directory();
    QString failure;
    try {
        issued.ariCertificateId = crypto::ariCertificateId(certPem);
        // std::nullopt without asking when the CA offers no renewalInfo.
        issued.renewalWindow = co_await acme::fetchRenewalInfo(session, issued.ariCertificateId);
    } catch (const crypto::CryptoError& e) {
        failure = QString::fromUtf8(e.what());
    } catch (const AcmeError& e) {
        failure = e.userMessage();
    }
    if (!failure.isEmpty() && directory.renewalInfo.isValid())
        log.warning(QStringLiteral("The certificate was issued, but its renewal information could "
                                   "not be read; renewal is timed by its lifetime. %1")
                        .arg(failure));
    else if (const auto& w = issued.renewalWindow)
        log.info(QStringLiteral("The CA suggests renewing between %1 and %2")
                     .arg(w->start.toString(Qt::ISODate), w->end.toString(Qt::ISODate)));
}

// The files of one issuance, written under random names so a reader of the previous ones is
// never disturbed; all or nothing.
struct AssetWriter {
    QString dir;
    QString prefix;
    QStringList written;

    QString write(const QString& suffix, const QByteArray& content) {
        const QString path = QStringLiteral("%1/%2-%3").arg(dir, prefix, suffix);
        QString error;
        if (!crypto::writePrivateFile(path, content, &error)) {
            if (isDiskFull(errno))
                throw StorageFullError::whileSaving(QStringLiteral("the certificate files"), error);
            throw InternalError(
                QStringLiteral("Cannot write the certificate files: %1").arg(error));
        }
        written << path;
        faultPoint("files-writing");
        return path;
    }
    void discard() {
        for (const auto& path : written)
            QFile::remove(path);
        written.clear();
    }
};
} // namespace

void IssuedCertificate::applyTo(ManagedCertificate& m) const {
    m.dateStart = notBefore;
    m.dateExpiry = notAfter;
    if (m.certificateThumbprint != thumbprint)
        m.certificatePreviousThumbprint = m.certificateThumbprint;
    m.certificateThumbprint = thumbprint;
    m.certificateSerial = serial;
    m.certificateIssuer = issuer;
    m.certificateAuthorityIdUsed = certificateAuthorityId;
    m.certificateRevoked = false;
    m.certificateDomains = domains;
    m.certificatePath = certPath;
    m.certificateChainPath = chainPath;
    m.certificateFullChainPath = fullChainPath;
    m.certificateKeyPath = keyPath;
    m.certificatePfxPath = pfxPath;
    m.currentOrderUrl = orderUrl;
    m.ariCertificateId = ariCertificateId;
    m.ariWindowStart = renewalWindow ? renewalWindow->start : QDateTime();
    m.ariWindowEnd = renewalWindow ? renewalWindow->end : QDateTime();
    m.ariExplanationUrl = renewalWindow ? renewalWindow->explanationUrl.toString() : QString();
    // A new certificate has not been checked yet: the revocation watch looks at it next.
    m.revocationStatus.clear();
    m.revocationMessage.clear();
    m.dateRevocationChecked = {};
}

CertificateIssuer::CertificateIssuer(acme::AcmeRegistry& registry,
                                     challenges::ChallengeResponders& responders,
                                     credentials::CredentialStore& credentials, QString dataDir)
    : m_registry(registry), m_responders(responders), m_credentials(credentials),
      m_dataDir(std::move(dataDir)) {}

QString CertificateIssuer::pfxPassword(const ManagedCertificate& item) const {
    const QString id = item.requestConfig.pfxPasswordCredentialId;
    if (id.isEmpty())
        return {};
    if (!m_credentials.find(id))
        throw InvalidInputError(
            QStringLiteral("The PFX password credential '%1' no longer exists; choose "
                           "another or none")
                .arg(id),
            QStringLiteral("requestConfig.pfxPasswordCredentialId"));
    return m_credentials.values(id).value(QStringLiteral("password")).toString();
}

awaitable<acme::Order> CertificateIssuer::placeOrder(acme::AcmeSession& session,
                                                     const acme::Directory& directory,
                                                     const ManagedCertificate& item,
                                                     logging::ItemLog& log) {
    const QString profile = item.requestConfig.acmeProfile.trimmed();
    const QString refusal = acme::profileRefusal(directory, profile);
    if (!refusal.isEmpty())
        throw InvalidInputError(refusal, QStringLiteral("requestConfig.acmeProfile"));
    if (!profile.isEmpty())
        log.info(QStringLiteral("Requesting the CA's '%1' profile").arg(profile));
    const QString replaces =
        directory.renewalInfo.isValid() ? currentCertificateId(item) : QString();
    if (!replaces.isEmpty())
        log.info(QStringLiteral("The order replaces the certificate %1 (ARI)").arg(replaces));

    const QList<acme::Identifier> identifiers = identifiersOf(item);
    acme::Order order;
    QString refused;
    try {
        order = co_await acme::newOrder(session, identifiers, profile, replaces);
    } catch (const AcmeError& e) {
        if (replaces.isEmpty() || !acme::refusedBecauseOfReplaces(e))
            throw;
        refused = e.userMessage();
    }
    if (!refused.isEmpty()) { // (no co_await inside a catch block)
        log.warning(QStringLiteral("The CA would not record the order as replacing the current "
                                   "certificate; ordering again without naming it. %1")
                        .arg(refused));
        const QString replacesNothing;
        order = co_await acme::newOrder(session, identifiers, profile, replacesNothing);
    }
    co_return order;
}

awaitable<void> CertificateIssuer::authorize(acme::AcmeSession& session, const acme::Order& order,
                                             const ManagedCertificate& item,
                                             logging::ItemLog& log) {
    // Place every response first, then tell the CA, so validations run side by side.
    challenges::ChallengePlacement placement(m_responders, log);
    std::exception_ptr failure;
    try {
        QList<acme::Authorization> pending;
        QList<acme::Challenge> started;
        for (const auto& url : order.authorizations) {
            const acme::Authorization authz = co_await acme::fetchAuthorization(session, url);
            if (authz.status == QLatin1String("valid")) {
                log.info(QStringLiteral("%1 is already validated").arg(authz.displayName()));
                continue;
            }
            const ChallengeConfig config =
                challenges::challengeConfigFor(item.requestConfig, authz.displayName());
            const acme::Challenge* challenge = authz.find(config.type);
            if (!challenge)
                throw InvalidInputError(
                    authz.wildcard && config.type != QLatin1String("dns-01")
                        ? QStringLiteral("%1 is a wildcard name: only dns-01 can validate it; "
                                         "choose dns-01 for it under Authorization")
                              .arg(authz.displayName())
                        : QStringLiteral("The CA does not offer %1 for %2; choose another "
                                         "challenge type")
                              .arg(config.type, authz.displayName()),
                    QStringLiteral("requestConfig.challenges"));
            const QString keyAuth = acme::keyAuthorization(challenge->token, session.accountKey());
            const QString name = authz.displayName();
            co_await placement.place(config, name, challenge->token, keyAuth);
            pending.append(authz);
            started.append(*challenge);
        }
        faultPoint("challenges-placed");
        co_await placement.waitUntilVisible(std::chrono::minutes(5));
        for (qsizetype i = 0; i < pending.size(); ++i) {
            const QString name = pending[i].displayName();
            co_await acme::answerChallenge(session, started[i], name);
        }
        faultPoint("challenges-answered");
        for (const auto& authz : pending) {
            co_await acme::waitForAuthorization(session, authz.url);
            log.info(QStringLiteral("%1 validated").arg(authz.displayName()));
        }
    } catch (...) {
        failure = std::current_exception();
    }
    co_await placement.removeAll();
    if (failure)
        std::rethrow_exception(failure);
}

awaitable<IssuedCertificate> CertificateIssuer::issue(const ManagedCertificate& item,
                                                      logging::ItemLog& log) {
    const auto keyType = crypto::keyTypeFromName(item.requestConfig.keyAlgorithm);
    if (!keyType)
        throw InvalidInputError(
            QStringLiteral("'%1' is not a key type; use rsa2048, rsa3072, rsa4096, "
                           "ecdsa-p256 or ecdsa-p384")
                .arg(item.requestConfig.keyAlgorithm),
            QStringLiteral("requestConfig.keyAlgorithm"));
    const QString pfxPass = pfxPassword(item); // before any CA is asked: fail early
    const crypto::KeyType type = *keyType;

    const QStringList authorities = authoritiesInOrder(item);
    QStringList answers; // what each CA asked so far answered, for the final message
    for (qsizetype i = 0; i < authorities.size(); ++i) {
        ManagedCertificate attempt = item;
        attempt.certificateAuthorityId = authorities[i];
        std::exception_ptr failure;
        try {
            IssuedCertificate issued = co_await issueFrom(attempt, type, pfxPass, log);
            issued.certificateAuthorityId = authorities[i];
            if (i > 0)
                log.warning(QStringLiteral("Issued by the fallback CA %1, because %2")
                                .arg(caTitle(authorities[i]), answers.join(QStringLiteral("; "))));
            else
                log.info(QStringLiteral("Issued by the CA %1").arg(caTitle(authorities[i])));
            co_return issued;
        } catch (...) {
            failure = std::current_exception();
        }
        const std::optional<QString> caFailure = failureOfTheCa(failure);
        const bool last = i + 1 == authorities.size();
        if (i == 0 && (!caFailure || last))
            std::rethrow_exception(failure); // one CA asked: its own error, as it was
        if (!caFailure || last) {
            QString why;
            try {
                std::rethrow_exception(failure);
            } catch (const DomainError& e) {
                why = e.message();
            } catch (const std::exception& e) {
                why = QString::fromUtf8(e.what());
            }
            answers << QStringLiteral("%1: %2").arg(caTitle(authorities[i]), why);
            throw UpstreamError(QStringLiteral("No CA issued the certificate. %1")
                                    .arg(answers.join(QStringLiteral(" "))));
        }
        answers << QStringLiteral("%1 failed: %2").arg(caTitle(authorities[i]), *caFailure);
        log.warning(QStringLiteral("%1 failed the request itself: %2 Trying the next CA, %3")
                        .arg(caTitle(authorities[i]), *caFailure, caTitle(authorities[i + 1])));
    }
    throw InternalError(QStringLiteral("No CA to ask")); // authoritiesInOrder is never empty
}

QString CertificateIssuer::caTitle(const QString& id) const {
    const auto ca = m_registry.authority(id);
    return ca ? QStringLiteral("%1 (%2)").arg(ca->title, id) : id;
}

awaitable<IssuedCertificate> CertificateIssuer::issueFrom(const ManagedCertificate& item,
                                                          crypto::KeyType keyType,
                                                          const QString& pfxPass,
                                                          logging::ItemLog& log) {
    const auto account =
        m_registry.openAccountSession(item.certificateAuthorityId, item.useStagingMode);
    acme::AcmeSession& session = *account->session;
    log.info(QStringLiteral("Requesting a certificate for %1 from %2 (account %3)")
                 .arg(item.domains().join(QStringLiteral(", ")), account->ca.title,
                      account->account.email));

    const QString pending = PendingOrder::basePath(m_dataDir, item.id);
    const acme::Directory directory = co_await session.directory();
    const std::optional<acme::Order> resumed =
        co_await resumePendingOrder(session, item, pending, log);
    acme::Order order;
    if (resumed) {
        order = *resumed;
    } else {
        order = co_await placeOrder(session, directory, item, log);
        log.info(QStringLiteral("Order created: %1").arg(order.url.toString()));
        const QString unsaved = PendingOrder::forItem(item, order.url.toString()).save(pending);
        if (!unsaved.isEmpty())
            log.warning(QStringLiteral("The order could not be noted for a restart (%1); if the "
                                       "service stops before it is done, a new one is placed")
                            .arg(unsaved));
        faultPoint("order-placed");
    }
    // A continued order gets one more try: when that fails too, the next request starts afresh.
    const crypto::KeyType type = keyType;
    std::exception_ptr failure;
    IssuedCertificate issued;
    try {
        issued = co_await completeOrder(session, order, item, type, pfxPass, pending, log);
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure && resumed)
        PendingOrder::discard(pending);
    // What a stopped run of this request left for the CA to validate, kept until now.
    challenges::DnsProviderFactory providers = m_responders.dnsProviders;
    co_await challenges::removeLeftOversOf(m_dataDir, std::move(providers), log);
    if (failure)
        std::rethrow_exception(failure);
    co_return issued;
}

awaitable<IssuedCertificate>
CertificateIssuer::completeOrder(acme::AcmeSession& session, const acme::Order& order,
                                 const ManagedCertificate& item, crypto::KeyType keyType,
                                 const QString& pfxPass, const QString& pending,
                                 logging::ItemLog& log) {
    // Finalized before a restart: the CA is issuing (or has issued) for the key kept then.
    const bool finalized =
        order.status == QLatin1String("processing") || order.status == QLatin1String("valid");
    if (!finalized)
        co_await authorize(session, order, item, log);

    // Your own CSR: the key stays with its owner; the CSR is sent as it is (read again here, so
    // a CSR changed on disk is never what is checked).
    const bool ownCsr = !item.requestConfig.csrPem.isEmpty();
    const std::optional<crypto::CsrInfo> csrInfo =
        ownCsr ? std::optional(crypto::readCsr(item.requestConfig.csrPem.toLatin1()))
               : std::nullopt;
    crypto::PrivateKey certKey = [&] {
        if (ownCsr)
            return crypto::PrivateKey();
        if (finalized) {
            if (const DataFileRead read = readDataFile(PendingOrder::keyPath(pending)); read.ok())
                return crypto::PrivateKey::fromPem(read.bytes);
        }
        if (item.requestConfig.reusePrivateKey && QFile::exists(item.certificateKeyPath)) {
            if (const DataFileRead read = readDataFile(item.certificateKeyPath); read.ok()) {
                log.info(QStringLiteral("Reusing the previous private key, as configured"));
                return crypto::PrivateKey::fromPem(read.bytes);
            }
        }
        return crypto::PrivateKey::generate(keyType);
    }();
    acme::Order done;
    if (order.status == QLatin1String("valid")) {
        done = order;
    } else if (finalized) { // (no co_await inside a conditional expression: GCC 12 miscompiles it)
        const acme::PollSettings poll;
        done = co_await acme::waitForIssuedOrder(session, order, poll);
    } else {
        // Kept before the CA sees the CSR, so a restart can still take the certificate.
        QString unsaved;
        if (!ownCsr)
            crypto::writePrivateFile(PendingOrder::keyPath(pending), certKey.toPem(), &unsaved);
        if (!unsaved.isEmpty())
            log.warning(
                QStringLiteral("The new key could not be kept for a restart: %1").arg(unsaved));
        if (ownCsr)
            log.info(QStringLiteral("Finalizing with your own CSR; no private key is made"));
        const QByteArray csr = ownCsr ? csrInfo->der
                                      : crypto::createCsrDer(certKey, item.domains(),
                                                             item.requestConfig.ipIdentifiers);
        done = co_await acme::finalizeOrder(session, order, csr);
        faultPoint("finalized");
    }
    const acme::CertificateChains chains =
        co_await acme::downloadCertificate(session, done.certificate);
    const QByteArray fullChain =
        acme::choosePreferredChain(chains, item.requestConfig.preferredChain);

    const auto certs = crypto::splitPemChain(fullChain);
    const bool matches =
        !certs.isEmpty() &&
        (ownCsr ? crypto::certificateMatchesPublicKey(certs.first(), csrInfo->publicKeyDer)
                : crypto::certificateMatchesKey(certs.first(), certKey));
    if (!matches)
        throw AcmeError(
            QStringLiteral("check the issued certificate"), QStringLiteral("malformed"),
            QStringLiteral("the CA returned a certificate that does not match the key sent"));
    const auto info = crypto::parseCertificate(certs.first());
    QByteArray chainOnly;
    for (qsizetype i = 1; i < certs.size(); ++i)
        chainOnly += certs[i];

    AssetWriter assets{QStringLiteral("%1/assets/%2").arg(m_dataDir, item.id),
                       QString::fromLatin1(crypto::randomToken(9)),
                       {}};
    QDir().mkpath(assets.dir);
    QFile::setPermissions(assets.dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    IssuedCertificate issued;
    try {
        issued.certPath = assets.write(QStringLiteral("cert.pem"), certs.first());
        issued.chainPath = assets.write(QStringLiteral("chain.pem"), chainOnly);
        issued.fullChainPath = assets.write(QStringLiteral("fullchain.pem"), fullChain);
        if (!ownCsr) { // with your own CSR there is no key here, so no key file and no PKCS#12
            issued.keyPath = assets.write(QStringLiteral("key.pem"), certKey.toPem());
            issued.pfxPath = assets.write(
                QStringLiteral("certificate.pfx"),
                crypto::createPkcs12(certKey, certs.first(), certs.mid(1), pfxPass, item.name));
        }
    } catch (...) {
        assets.discard();
        throw;
    }
    issued.notBefore = info.notBefore;
    issued.notAfter = info.notAfter;
    issued.serial = info.serialHex;
    issued.issuer = info.issuer;
    issued.thumbprint = info.sha256Thumbprint;
    issued.domains = info.dnsNames;
    issued.orderUrl = order.url.toString();
    log.info(QStringLiteral("Certificate issued by %1, serial %2, valid until %3; files in %4")
                 .arg(info.issuer, info.serialHex, info.notAfter.toUTC().toString(Qt::ISODate),
                      assets.dir));
    co_await readRenewalInfo(session, certs.first(), issued, log);
    co_return issued;
}

bool CertificateIssuer::issuedBeforeStop(const ManagedCertificate& item) const {
    const auto noted = PendingOrder::load(PendingOrder::basePath(m_dataDir, item.id));
    return noted && !item.postRequestTasks.isEmpty() && !item.currentOrderUrl.isEmpty() &&
           noted->orderUrl == item.currentOrderUrl;
}

void CertificateIssuer::forgetOrder(const QString& itemId) const {
    PendingOrder::discard(PendingOrder::basePath(m_dataDir, itemId));
}

void CertificateIssuer::removeUnusedFiles(const ManagedCertificate& previous,
                                          const IssuedCertificate& current,
                                          logging::ItemLog& log) const {
    // By name: every file of the item lives in this one folder, however its path was spelled.
    QSet<QString> keep;
    for (const QString& path : {previous.certificatePath, previous.certificateChainPath,
                                previous.certificateFullChainPath, previous.certificateKeyPath,
                                previous.certificatePfxPath, current.certPath, current.chainPath,
                                current.fullChainPath, current.keyPath, current.pfxPath})
        keep.insert(QFileInfo(path).fileName());
    const QDir dir(QStringLiteral("%1/assets/%2").arg(m_dataDir, previous.id));
    int removed = 0;
    for (const QString& name : dir.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
        if (!keep.contains(name) && QFile::remove(dir.filePath(name)))
            ++removed;
    }
    if (removed > 0)
        log.info(QStringLiteral("Removed %1 file(s) of older certificates, or of a request the "
                                "service stopped while writing them")
                     .arg(removed));
}

awaitable<void> CertificateIssuer::revoke(const ManagedCertificate& item, int reason,
                                          logging::ItemLog& log) {
    const DataFileRead read = readDataFile(item.certificatePath);
    if (item.certificatePath.isEmpty() || !read.ok())
        throw InvalidInputError(QStringLiteral("'%1' has no certificate to revoke").arg(item.name));
    const QByteArray der = crypto::certificateToDer(read.bytes);
    // With the CA that issued it, which may have been a fallback.
    const QString issuedBy = item.certificateAuthorityIdUsed.isEmpty()
                                 ? item.certificateAuthorityId
                                 : item.certificateAuthorityIdUsed;
    const auto account = m_registry.openAccountSession(issuedBy, item.useStagingMode);
    log.info(QStringLiteral("Revoking the certificate with serial %1 (reason %2)")
                 .arg(item.certificateSerial)
                 .arg(reason));
    co_await acme::revokeCertificate(*account->session, der, reason);
    log.info(QStringLiteral("The CA revoked the certificate with serial %1")
                 .arg(item.certificateSerial));
}

} // namespace ck::request
