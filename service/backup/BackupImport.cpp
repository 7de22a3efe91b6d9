#include "backup/BackupImport.h"

#include "acme/AcmeRegistry.h"
#include "config/DataFile.h"
#include "credentials/CredentialStore.h"

#include "crypto/PrivateKey.h"
#include "crypto/SecretFiles.h"
#include "crypto/TrustedRoots.h"

#include <QDir>
#include <QFile>

#include <cerrno>

namespace ck::backup {

namespace {

void makePrivateDir(const QString& dir) {
    if (!QDir().mkpath(dir))
        throw InternalError(QStringLiteral("Cannot create %1").arg(dir));
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

QString writePrivate(const QString& dir, const QString& name, const QByteArray& data) {
    makePrivateDir(dir);
    const QString path = dir + u'/' + name;
    QString error;
    if (!crypto::writePrivateFile(path, data, &error)) {
        if (isDiskFull(errno))
            throw StorageFullError::whileSaving(QStringLiteral("%1 from the backup").arg(name),
                                                error);
        throw InternalError(QStringLiteral("Cannot restore %1: %2").arg(path, error));
    }
    return path;
}
} // namespace

bool willWrite(const ImportPlan& plan, const QString& kind, const QString& id) {
    return std::any_of(plan.entries.begin(), plan.entries.end(), [&](const ImportPlan::Entry& e) {
        return e.kind == kind && e.id == id && e.action != ImportPlan::Action::Skip;
    });
}

ImportPlan planImport(const BackupContents& contents, const ExistingIds& existing,
                      bool replaceExisting) {
    ImportPlan plan;
    plan.replaceExisting = replaceExisting;
    const auto add = [&](const char* kind, const QString& id, const QString& title,
                         const QSet<QString>& present) {
        using Action = ImportPlan::Action;
        const Action action = !present.contains(id) ? Action::Add
                              : replaceExisting     ? Action::Replace
                                                    : Action::Skip;
        plan.entries.append({QLatin1String(kind), id, title, action});
        ++(action == Action::Add       ? plan.counts.add
           : action == Action::Replace ? plan.counts.replace
                                       : plan.counts.skip);
        return action;
    };
    for (const auto& a : contents.authorities)
        add("certificateAuthority", a.ca.id, a.ca.title, existing.authorities);
    for (const auto& a : contents.accounts)
        add("account", a.account.id,
            QStringLiteral("%1 at %2").arg(a.account.email, a.account.certificateAuthorityId),
            existing.accounts);
    for (const auto& c : contents.credentials)
        add("credential", c.credential.id, c.credential.title, existing.credentials);
    for (const auto& p : contents.items)
        if (add("item", p.item.id, p.item.name, existing.items) == ImportPlan::Action::Add)
            ++plan.itemsAdded;
    return plan;
}

namespace {
// Everything the restore will write is checked first, so that a package that passed the
// checksum and the GCM tag but holds something unusable changes nothing.
void checkRestorable(const BackupContents& contents, const ImportPlan& plan,
                     const DnsCatalogue& catalogue) {
    for (const auto& a : contents.authorities) {
        if (!willWrite(plan, QStringLiteral("certificateAuthority"), a.ca.id))
            continue;
        CertificateAuthority ca = a.ca;
        ca.trustedRootFile.clear(); // ours, written from the package, or none
        if (const auto problems = validateCertificateAuthority(ca); !problems.isEmpty())
            throw InvalidInputError(
                QStringLiteral("The custom CA '%1' in the package cannot be used (%2); "
                               "nothing was imported")
                    .arg(a.ca.id, problems.first().detail),
                QStringLiteral("package"));
        // Packages made before only certificates were kept may carry whatever the file held.
        if (const auto roots = crypto::parseTrustedRoots(a.trustedRoot);
            !a.trustedRoot.isEmpty() && !roots.ok())
            throw InvalidInputError(
                QStringLiteral("The trusted root of the custom CA '%1' in the package "
                               "%2; nothing was imported")
                    .arg(a.ca.id, roots.problem),
                QStringLiteral("package"));
    }
    for (const auto& a : contents.accounts) {
        if (!willWrite(plan, QStringLiteral("account"), a.account.id))
            continue;
        try {
            crypto::PrivateKey::fromPem(a.keyPem);
        } catch (const std::exception&) {
            throw InvalidInputError(
                QStringLiteral("The key of the ACME account %1 in the package cannot "
                               "be read; nothing was imported")
                    .arg(a.account.email),
                QStringLiteral("package"));
        }
    }
    for (const auto& c : contents.credentials) {
        if (!willWrite(plan, QStringLiteral("credential"), c.credential.id))
            continue;
        const auto problems =
            validateCredential(c.credential.type, c.credential.title, c.values, catalogue);
        if (!problems.isEmpty())
            throw InvalidInputError(
                QStringLiteral("The credential '%1' in the package cannot be used "
                               "(%2); nothing was imported")
                    .arg(c.credential.title, problems.first().detail),
                QStringLiteral("package"));
    }
}
} // namespace

QList<ManagedCertificate> restoreAllButItems(const BackupContents& contents, const ImportPlan& plan,
                                             const QString& dataDir,
                                             credentials::CredentialStore& credentials,
                                             acme::AcmeRegistry& acme) {
    checkRestorable(contents, plan, *credentials.catalogue()); // lexicon's types too
    for (const auto& a : contents.authorities) {
        if (!willWrite(plan, QStringLiteral("certificateAuthority"), a.ca.id))
            continue;
        CertificateAuthority ca = a.ca;
        ca.trustedRootCertificates = QString::fromLatin1(a.trustedRoot);
        // The root goes into this data directory; without one, the system's roots are used.
        ca.trustedRootFile = a.trustedRoot.isEmpty()
                                 ? QString()
                                 : writePrivate(dataDir + QStringLiteral("/trustedroots"),
                                                ca.id + QStringLiteral(".pem"), a.trustedRoot);
        acme.saveCustomAuthority(ca);
    }
    for (const auto& a : contents.accounts)
        if (willWrite(plan, QStringLiteral("account"), a.account.id))
            acme.saveAccount(a.account, crypto::PrivateKey::fromPem(a.keyPem));
    for (const auto& c : contents.credentials)
        if (willWrite(plan, QStringLiteral("credential"), c.credential.id))
            credentials.restore(c.credential, c.values);

    QList<ManagedCertificate> items;
    for (const auto& p : contents.items) {
        if (!willWrite(plan, QStringLiteral("item"), p.item.id))
            continue;
        ManagedCertificate item = p.item;
        // A request that was under way when the package was made is not under way here.
        if (item.lastRenewalStatus == RequestState::Queued ||
            item.lastRenewalStatus == RequestState::Running)
            item.lastRenewalStatus = RequestState::NotRunning;
        const QString assets = dataDir + QStringLiteral("/assets/") + item.id;
        for (const auto& [field, member] : itemFileFields()) {
            const auto file = p.files.constFind(QLatin1String(field));
            // A file the package does not have is not pointed at on this install.
            item.*member =
                file == p.files.cend() ? QString() : writePrivate(assets, file->name, file->data);
        }
        items.append(item);
    }
    return items;
}

} // namespace ck::backup
