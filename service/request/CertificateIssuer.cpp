#include "CertificateIssuer.h"

#include "ChallengePlacement.h"
#include "acme/AcmeProtocol.h"
#include "acme/AcmeRegistry.h"
#include "logging/ItemLog.h"

#include "Certificate.h"
#include "Csr.h"
#include "Pkcs12.h"
#include "PrivateKey.h"
#include "Random.h"
#include "SecretFiles.h"

#include <QDir>
#include <QFile>

namespace ck {

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

// The files of one issuance, written under random names so a reader of the previous ones is
// never disturbed; all or nothing.
struct AssetWriter {
    QString dir;
    QString prefix;
    QStringList written;

    QString write(const QString& suffix, const QByteArray& content) {
        const QString path = QStringLiteral("%1/%2-%3").arg(dir, prefix, suffix);
        QString error;
        if (!crypto::writePrivateFile(path, content, &error))
            throw ApiError(ApiError::Kind::Internal,
                           QStringLiteral("Cannot write the certificate files: %1").arg(error));
        written << path;
        return path;
    }
    void discard() {
        for (const auto& path : written)
            QFile::remove(path);
        written.clear();
    }
};
} // namespace

CertificateIssuer::CertificateIssuer(acme::AcmeRegistry& registry,
                                     challenges::Http01Listener& http01, QString dataDir)
    : m_registry(registry), m_http01(http01), m_dataDir(std::move(dataDir)) {}

awaitable<IssuedCertificate> CertificateIssuer::issue(const ManagedCertificate& item,
                                                      ItemLog& log) {
    const QString caId = item.certificateAuthorityId.isEmpty()
                             ? QString::fromLatin1(kDefaultCertificateAuthority)
                             : item.certificateAuthorityId;
    const auto ca = m_registry.authority(caId);
    if (!ca)
        throw ApiError(ApiError::Kind::Validation,
                       QStringLiteral("The certificate authority '%1' is not configured").arg(caId),
                       QStringLiteral("certificateAuthorityId"));
    const auto account = m_registry.accountFor(ca->id, item.useStagingMode);
    if (!account)
        throw ApiError(
            ApiError::Kind::Validation,
            QStringLiteral("There is no ACME account for %1%2 yet: register one in "
                           "Settings > ACME accounts (or certkeeper-cli account add)")
                .arg(ca->title, item.useStagingMode ? QStringLiteral(" (staging)") : QString()),
            QStringLiteral("certificateAuthorityId"));
    const auto keyType = crypto::keyTypeFromName(item.requestConfig.keyAlgorithm);
    if (!keyType)
        throw ApiError(ApiError::Kind::Validation,
                       QStringLiteral("'%1' is not a key type; use rsa2048, rsa3072, rsa4096, "
                                      "ecdsa-p256 or ecdsa-p384")
                           .arg(item.requestConfig.keyAlgorithm),
                       QStringLiteral("requestConfig.keyAlgorithm"));

    const crypto::PrivateKey accountKey = m_registry.accountKey(*account);
    acme::AcmeSession session(m_registry.clientFor(*ca),
                              QUrl(ca->directoryFor(item.useStagingMode)), accountKey);
    session.setAccountUrl(account->accountUrl);
    log.info(QStringLiteral("Requesting a certificate for %1 from %2 (account %3)")
                 .arg(item.domains().join(QStringLiteral(", ")), ca->title, account->email));

    const QList<acme::Identifier> identifiers = identifiersOf(item);
    const QString noProfile, replacesNothing;
    const acme::Order order =
        co_await acme::newOrder(session, identifiers, noProfile, replacesNothing);
    log.info(QStringLiteral("Order created: %1").arg(order.url.toString()));

    // Place every response first, then tell the CA, so validations run side by side.
    ChallengePlacement placement(m_http01, log);
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
                challengeConfigFor(item.requestConfig, authz.displayName());
            const acme::Challenge* challenge = authz.find(config.type);
            if (!challenge)
                throw AcmeError(QStringLiteral("choose a challenge"),
                                QStringLiteral("unsupportedChallenge"),
                                QStringLiteral("the CA does not offer %1 for this name%2")
                                    .arg(config.type,
                                         authz.wildcard ? QStringLiteral(" (wildcards need dns-01)")
                                                        : QString()),
                                0, authz.displayName());
            const QString keyAuth = acme::keyAuthorization(challenge->token, accountKey);
            if (config.type == QLatin1String("http-01"))
                placement.placeHttp01(config, authz.displayName(), challenge->token, keyAuth);
            else
                throw AcmeError(
                    QStringLiteral("prepare the challenge"), QStringLiteral("unsupportedChallenge"),
                    QStringLiteral("%1 is not available in this version").arg(config.type), 0,
                    authz.displayName());
            pending.append(authz);
            started.append(*challenge);
        }
        for (qsizetype i = 0; i < pending.size(); ++i) {
            const QString name = pending[i].displayName();
            co_await acme::answerChallenge(session, started[i], name);
        }
        for (const auto& authz : pending) {
            co_await acme::waitForAuthorization(session, authz.url);
            log.info(
                QStringLiteral("%1 validated by %2").arg(authz.displayName(), authz.url.host()));
        }
    } catch (...) {
        failure = std::current_exception();
    }
    placement.removeAll();
    if (failure)
        std::rethrow_exception(failure);

    crypto::PrivateKey certKey = [&] {
        if (item.requestConfig.reusePrivateKey && QFile::exists(item.certificateKeyPath)) {
            QFile f(item.certificateKeyPath);
            if (f.open(QIODevice::ReadOnly)) {
                log.info(QStringLiteral("Reusing the previous private key, as configured"));
                return crypto::PrivateKey::fromPem(f.readAll());
            }
        }
        return crypto::PrivateKey::generate(*keyType);
    }();
    const QByteArray csr =
        crypto::createCsrDer(certKey, item.domains(), item.requestConfig.ipIdentifiers);
    const acme::Order done = co_await acme::finalizeOrder(session, order, csr);
    const acme::CertificateChains chains =
        co_await acme::downloadCertificate(session, done.certificate);
    const QByteArray fullChain =
        acme::choosePreferredChain(chains, item.requestConfig.preferredChain);

    const auto certs = crypto::splitPemChain(fullChain);
    if (certs.isEmpty() || !crypto::certificateMatchesKey(certs.first(), certKey))
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
        issued.keyPath = assets.write(QStringLiteral("key.pem"), certKey.toPem());
        issued.pfxPath =
            assets.write(QStringLiteral("certificate.pfx"),
                         crypto::createPkcs12(certKey, certs.first(), certs.mid(1), {}, item.name));
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
    co_return issued;
}

} // namespace ck
