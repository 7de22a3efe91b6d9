#include "adopt/AdoptionService.h"

#include "adopt/AdoptionPlanner.h"
#include "adopt/ToolLayouts.h"
#include "config/DataFile.h"
#include "crypto/AriCertificateId.h"
#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/Pkcs12.h"
#include "crypto/PrivateKey.h"
#include "crypto/Random.h"
#include "crypto/SecretFiles.h"
#include "logging/ItemLog.h"

#include <QDir>
#include <QFile>
#include <QSet>

#include <cerrno>

namespace ck::adopt {

namespace {
void countRows(AdoptionPlan& plan) {
    plan.adopted = 0;
    plan.refused = 0;
    for (const auto& row : plan.rows)
        (row.status == AdoptionRow::Status::Refused ? plan.refused : plan.adopted) += 1;
}

// The first issuance's files, named as a request names them (a random prefix in
// assets/<id>/); all or none.
struct FirstIssuanceFiles {
    QString dir;
    QStringList written;

    QString write(const QString& prefix, const QString& suffix, const QByteArray& content) {
        const QString path = QStringLiteral("%1/%2-%3").arg(dir, prefix, suffix);
        QString error;
        if (!crypto::writePrivateFile(path, content, &error)) {
            if (isDiskFull(errno))
                throw StorageFullError::whileSaving(QStringLiteral("the adopted certificate"),
                                                    error);
            throw InternalError(
                QStringLiteral("Cannot write the certificate files: %1").arg(error));
        }
        written << path;
        return path;
    }
    void discard() {
        for (const auto& path : written)
            QFile::remove(path);
        QDir().rmdir(dir);
    }
};
} // namespace

AdoptionService::AdoptionService(Services services, QString dataDir, QString logsDir,
                                 const Clock& clock)
    : m_services(services), m_dataDir(std::move(dataDir)), m_logsDir(std::move(logsDir)),
      m_clock(clock) {}

awaitable<QList<JudgedLineage>> AdoptionService::judge(const AdoptionRequest& request,
                                                       AdoptionPlan& plan) {
    const LayoutRead read = readLayout(request.tool, request.path);
    plan.tool = request.tool;
    plan.path = read.folder;
    if (!read.problem.isEmpty()) {
        // Said as the plan's one row: there is nothing else to show.
        AdoptionRow row;
        row.lineage = read.folder;
        row.reason = read.problem;
        plan.rows << row;
        countRows(plan);
        co_return QList<JudgedLineage>{};
    }
    PlannerContext context;
    context.authorities = m_services.acme.authorities();
    context.accounts = m_services.acme.accounts();
    auto all = [](store::ItemStore& s) { return s.all(); };
    context.existing = co_await m_services.store.run(std::move(all));
    context.dataDir = m_dataDir;
    context.now = m_clock.now();
    QList<JudgedLineage> judged = judgeLineages(read, request.lineages, context);
    for (const auto& j : judged)
        plan.rows << j.row;
    countRows(plan);
    co_return judged;
}

awaitable<AdoptionPlan> AdoptionService::plan(AdoptionRequest request) {
    AdoptionPlan plan;
    (void)co_await judge(request, plan);
    co_return plan;
}

awaitable<void> AdoptionService::importAccounts(QList<JudgedLineage>& judged) {
    QSet<QString> done; // "<ca>|<staging>": one account per CA, the first lineage's
    for (JudgedLineage& j : judged) {
        if (!j.item || !j.importAccount)
            continue;
        const QString key = j.row.caId + (j.staging ? QStringLiteral("|staging") : QString());
        if (done.contains(key)) {
            if (m_services.acme.accountFor(j.row.caId, j.staging))
                j.row.account = QStringLiteral("the account imported with an earlier lineage");
            continue;
        }
        done.insert(key);
        acme::AccountImport asked{j.row.caId, j.staging, j.account.email, j.account.keyPem};
        QString failure;
        try {
            const AcmeAccount account =
                co_await m_services.accounts.importAccount(std::move(asked));
            if (!j.account.url.isEmpty() && account.accountUrl != j.account.url)
                j.row.notes << QStringLiteral("The CA knows the account's key as %1, not %2 as "
                                              "the tool noted")
                                   .arg(account.accountUrl, j.account.url);
            j.row.account = QStringLiteral("imported: %1").arg(account.accountUrl);
        } catch (const DomainError& e) {
            failure = e.message();
        }
        if (!failure.isEmpty()) {
            j.row.account = QStringLiteral("none: the CA refused the account's import (%1); "
                                           "register an account before the first renewal")
                                .arg(failure);
            m_services.log.warning(
                QStringLiteral("Adopting %1: the account could not be imported: %2")
                    .arg(j.row.lineage, failure));
        }
    }
}

awaitable<void> AdoptionService::storeFirstIssuance(JudgedLineage& j, ManagedCertificate created) {
    FirstIssuanceFiles files{QStringLiteral("%1/assets/%2").arg(m_dataDir, created.id), {}};
    QString failure;
    try {
        QDir().mkpath(files.dir);
        QFile::setPermissions(files.dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const QString prefix = QString::fromLatin1(crypto::randomToken(9));
        const QByteArray leaf = j.certPem.trimmed() + '\n';
        const QByteArray chain =
            j.chainPem.trimmed().isEmpty() ? QByteArray() : j.chainPem.trimmed() + '\n';
        const crypto::PrivateKey key = crypto::PrivateKey::fromPem(j.keyPem);
        created.certificatePath = files.write(prefix, QStringLiteral("cert.pem"), leaf);
        created.certificateChainPath = files.write(prefix, QStringLiteral("chain.pem"), chain);
        created.certificateFullChainPath =
            files.write(prefix, QStringLiteral("fullchain.pem"), leaf + chain);
        created.certificateKeyPath = files.write(prefix, QStringLiteral("key.pem"), key.toPem());
        created.certificatePfxPath = files.write(
            prefix, QStringLiteral("certificate.pfx"),
            crypto::createPkcs12(key, leaf, crypto::splitPemChain(chain), QString(), created.name));
        try {
            created.ariCertificateId = crypto::ariCertificateId(leaf);
        } catch (const crypto::CryptoError&) {
        }
        auto save = [created](store::ItemStore& s) { return s.update(created); };
        created = co_await m_services.store.run(std::move(save));
    } catch (const std::exception& e) {
        failure = QString::fromUtf8(e.what());
        if (const auto* domain = dynamic_cast<const DomainError*>(&e))
            failure = domain->message();
    }
    if (failure.isEmpty()) {
        j.row.status = AdoptionRow::Status::Adopted;
        j.row.itemId = created.id;
        logging::ItemLog(m_logsDir, created.id, m_services.log)
            .info(QStringLiteral("Adopted from %1: the certificate with serial %2, valid until %3, "
                                 "is the first issuance; renewals write %4")
                      .arg(j.row.lineage, created.certificateSerial,
                           created.dateExpiry.toUTC().toString(Qt::ISODate), [&] {
                               QStringList paths;
                               for (const auto& t : j.row.targets)
                                   paths << t.path;
                               return paths.join(QStringLiteral(", "));
                           }()));
        co_return;
    }
    // Nothing half-created: the item goes with its files.
    files.discard();
    auto remove = [id = created.id](store::ItemStore& s) {
        s.remove(id);
        return true;
    };
    (void)co_await m_services.store.run(std::move(remove));
    j.row.status = AdoptionRow::Status::Refused;
    j.row.reason = QStringLiteral("Its files could not be stored: %1").arg(failure);
}

awaitable<AdoptionPlan> AdoptionService::apply(AdoptionRequest request) {
    AdoptionPlan plan;
    QList<JudgedLineage> judged = co_await judge(request, plan);
    plan.applied = true;
    if (judged.isEmpty())
        co_return plan; // the folder cannot be read, or holds nothing
    co_await importAccounts(judged);
    QList<ManagedCertificate> items;
    QList<qsizetype> index; // of the judged lineage each item is
    for (qsizetype i = 0; i < judged.size(); ++i)
        if (judged[i].item) {
            items << *judged[i].item;
            index << i;
        }
    const items::BatchCreation created = co_await m_services.items.createBatch(items, false);
    for (qsizetype k = 0; k < index.size(); ++k) {
        JudgedLineage& j = judged[index[k]];
        if (k < created.accepted.size()) {
            const ManagedCertificate item = created.accepted[k];
            co_await storeFirstIssuance(j, item);
        } else {
            j.row.status = AdoptionRow::Status::Refused;
            j.row.reason = created.overLimit;
            j.row.limitReached = true;
        }
    }
    plan.rows.clear();
    for (const auto& j : judged)
        plan.rows << j.row;
    countRows(plan);
    m_services.log.info(QStringLiteral("Adopted %1 certificate(s) from %2 in %3 (%4 refused)")
                            .arg(plan.adopted)
                            .arg(plan.tool, plan.path)
                            .arg(plan.refused));
    co_return plan;
}

} // namespace ck::adopt
