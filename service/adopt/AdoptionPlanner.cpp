#include "adopt/AdoptionPlanner.h"

#include "base/PathSafety.h"
#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/PrivateKey.h"
#include "model/DeploymentTask.h"
#include "model/StrictDecode.h"
#include "model/Validation.h"

#include <QFileInfo>
#include <QSet>
#include <QUrl>

#include <algorithm>

namespace ck::adopt {

namespace {
// The CA whose directory the tool used. lego keeps only the host (serverUrl has no path): the
// CA is then the one directory on that host and port.
std::optional<std::pair<CertificateAuthority, bool>>
authorityFor(const QString& server, const QList<CertificateAuthority>& authorities) {
    const QUrl wanted(server);
    const bool originOnly = wanted.path().isEmpty() || wanted.path() == QLatin1String("/");
    auto same = [&](const QString& directory) {
        if (directory.isEmpty())
            return false;
        if (!originOnly)
            return QUrl(directory).adjusted(QUrl::StripTrailingSlash) ==
                   wanted.adjusted(QUrl::StripTrailingSlash);
        const QUrl url(directory);
        return url.scheme() == wanted.scheme() && url.host() == wanted.host() &&
               url.port(443) == wanted.port(443);
    };
    for (const auto& ca : authorities) {
        if (same(ca.directoryUrl))
            return std::pair{ca, false};
        if (same(ca.stagingDirectoryUrl))
            return std::pair{ca, true};
    }
    return std::nullopt;
}

// The stored item this lineage already is: the same certificate, or a task writing one of the
// same files.
const ManagedCertificate* adoptedAs(const QList<ManagedCertificate>& existing,
                                    const QString& thumbprint,
                                    const QList<AdoptionTarget>& targets) {
    QSet<QString> paths;
    for (const auto& t : targets)
        paths.insert(QFileInfo(t.path).absoluteFilePath());
    for (const auto& item : existing) {
        if (item.certificateThumbprint == thumbprint)
            return &item;
        for (const auto& task : item.postRequestTasks)
            if (task.type == task_types::kExport &&
                paths.contains(QFileInfo(task.parameters.value(QLatin1String("path")).toString())
                                   .absoluteFilePath()))
                return &item;
    }
    return nullptr;
}

DeploymentTask exportTask(const QString& tool, const AdoptionTarget& target) {
    DeploymentTask task;
    task.name =
        QStringLiteral("Write %1 (where %2 kept it)").arg(QFileInfo(target.path).fileName(), tool);
    task.type = task_types::kExport;
    task.parameters = {{"format", target.format}, {"path", target.path}};
    return task;
}

QString accountText(const Lineage& lineage, const CertificateAuthority& ca, bool staging,
                    const QList<AcmeAccount>& accounts, bool* import) {
    *import = false;
    for (const auto& a : accounts)
        if (a.certificateAuthorityId == ca.id && a.staging == staging &&
            a.status == QLatin1String("valid"))
            return QStringLiteral("Certkeeper's account %1 with %2")
                .arg(a.email.isEmpty() ? a.accountUrl : a.email, ca.title);
    if (!lineage.account.problem.isEmpty() || lineage.account.keyPem.isEmpty())
        return QStringLiteral("none: %1; register an account with %2 before the first renewal")
            .arg(lineage.account.problem.isEmpty() ? QStringLiteral("no account key found")
                                                   : lineage.account.problem,
                 ca.title);
    *import = true;
    return QStringLiteral("%1's account %2 is imported")
        .arg(lineage.tool,
             lineage.account.url.isEmpty() ? lineage.account.email : lineage.account.url);
}

void refuse(JudgedLineage& judged, const QString& reason) {
    judged.row.status = AdoptionRow::Status::Refused;
    judged.row.reason = reason;
    judged.item.reset();
}

// The item a lineage becomes, with its current certificate's facts (the files are written on
// apply, once the item has an id).
ManagedCertificate itemFor(const Lineage& lineage, const crypto::CertificateInfo& info,
                           const QString& keyType, const CertificateAuthority& ca, bool staging,
                           const QDateTime& now) {
    ManagedCertificate item;
    item.name = lineage.name;
    item.comments = QStringLiteral("Adopted from %1 (%2) on %3")
                        .arg(lineage.tool, lineage.configPath, now.toUTC().toString(Qt::ISODate));
    item.certificateAuthorityId = ca.id;
    item.useStagingMode = staging;
    RequestConfig& rc = item.requestConfig;
    rc.primaryDomain = info.dnsNames.contains(info.subjectCommonName) ? info.subjectCommonName
                                                                      : info.dnsNames.value(0);
    rc.subjectAlternativeNames = info.dnsNames;
    rc.ipIdentifiers = info.ipAddresses;
    rc.keyAlgorithm = keyType;
    rc.challenges = lineage.challenges;
    for (const auto& target : lineage.targets)
        item.postRequestTasks << exportTask(lineage.tool, target);
    item.dateStart = info.notBefore;
    item.dateExpiry = info.notAfter;
    item.dateRenewed = info.notBefore;
    item.lastRenewalStatus = RequestState::Success;
    item.certificateDomains = info.dnsNames;
    item.certificateThumbprint = info.sha256Thumbprint;
    item.certificateSerial = info.serialHex;
    item.certificateIssuer = info.issuer;
    return item;
}

JudgedLineage judge(const Lineage& lineage, const PlannerContext& context,
                    const QSet<QString>& takenThumbprints) {
    JudgedLineage judged;
    AdoptionRow& row = judged.row;
    row.lineage = lineage.name;
    row.server = lineage.serverUrl;
    row.challenge = lineage.challengeText;
    row.targets = lineage.targets;
    row.notes = lineage.notes;
    if (!lineage.problem.isEmpty()) {
        refuse(judged, QStringLiteral("Its files cannot be read: %1").arg(lineage.problem));
        return judged;
    }
    crypto::CertificateInfo info;
    crypto::PrivateKey key;
    try {
        info = crypto::parseCertificate(lineage.certPem);
    } catch (const crypto::CryptoError& e) {
        refuse(judged, QStringLiteral("Its certificate cannot be read: %1").arg(e.what()));
        return judged;
    }
    row.domains = info.dnsNames;
    row.expiry = info.notAfter;
    try {
        key = crypto::PrivateKey::fromPem(lineage.keyPem);
        row.keyType = crypto::keyTypeName(key.type());
    } catch (const crypto::CryptoError& e) {
        refuse(judged, QStringLiteral("Its private key cannot be used: %1").arg(e.what()));
        return judged;
    }
    if (!crypto::certificateMatchesKey(lineage.certPem, key)) {
        refuse(judged, QStringLiteral("Its private key does not match its certificate (the "
                                      "files are from different requests); renew it with %1 "
                                      "first, or add the names as a new certificate")
                           .arg(lineage.tool));
        return judged;
    }
    if (info.notAfter <= context.now) {
        refuse(judged, QStringLiteral("Its certificate expired on %1; add the names as a new "
                                      "certificate instead")
                           .arg(info.notAfter.toUTC().toString(Qt::ISODate)));
        return judged;
    }
    if (info.dnsNames.isEmpty()) {
        refuse(judged, QStringLiteral("Its certificate names no DNS name"));
        return judged;
    }
    if (const ManagedCertificate* twin =
            adoptedAs(context.existing, info.sha256Thumbprint, lineage.targets)) {
        refuse(judged, QStringLiteral("Already adopted as '%1' (%2)").arg(twin->name, twin->id));
        return judged;
    }
    if (takenThumbprints.contains(info.sha256Thumbprint)) {
        refuse(judged, QStringLiteral("The same certificate as another lineage of this plan"));
        return judged;
    }
    const auto ca = authorityFor(lineage.serverUrl, context.authorities);
    if (!ca) {
        refuse(judged, QStringLiteral("No CA in Certkeeper has the ACME directory %1; add it as "
                                      "a custom CA first, then adopt again")
                           .arg(lineage.serverUrl.isEmpty() ? QStringLiteral("(none recorded)")
                                                            : lineage.serverUrl));
        return judged;
    }
    row.caId = ca->first.id;
    judged.staging = ca->second;
    row.account =
        accountText(lineage, ca->first, ca->second, context.accounts, &judged.importAccount);
    judged.account = lineage.account;
    for (const auto& target : lineage.targets)
        if (const QString problem =
                dataDirProblem(QStringLiteral("The file"), target.path, context.dataDir);
            !problem.isEmpty()) {
            refuse(judged, problem);
            return judged;
        }
    ManagedCertificate item =
        itemFor(lineage, info, row.keyType, ca->first, ca->second, context.now);
    const QList<FieldError> errors = context.dns ? validateManagedCertificate(item, *context.dns)
                                                 : validateManagedCertificate(item);
    if (!errors.isEmpty()) {
        refuse(judged, QStringLiteral("It would not be a valid certificate: %1")
                           .arg(describeFieldErrors(errors)));
        return judged;
    }
    row.status = AdoptionRow::Status::Adoptable;
    judged.item = item;
    judged.certPem = lineage.certPem;
    judged.chainPem = lineage.chainPem;
    judged.keyPem = lineage.keyPem;
    return judged;
}
} // namespace

QList<JudgedLineage> judgeLineages(const LayoutRead& read, const QStringList& only,
                                   const PlannerContext& context) {
    QList<JudgedLineage> judged;
    QSet<QString> thumbprints;
    for (const Lineage& lineage : read.lineages) {
        if (!only.isEmpty() && !only.contains(lineage.name))
            continue;
        judged << judge(lineage, context, thumbprints);
        if (judged.back().item)
            thumbprints.insert(judged.back().item->certificateThumbprint);
    }
    // A lineage asked for by name that is not there is a row too: said, not ignored.
    for (const QString& name : only) {
        const bool found = std::any_of(read.lineages.begin(), read.lineages.end(),
                                       [&](const Lineage& l) { return l.name == name; });
        if (!found) {
            JudgedLineage missing;
            missing.row.lineage = name;
            refuse(missing, QStringLiteral("%1 has no lineage named '%2'").arg(read.folder, name));
            judged << missing;
        }
    }
    return judged;
}

} // namespace ck::adopt
