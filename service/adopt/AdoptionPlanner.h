#pragma once
// Judging what a tool's folder holds: for each lineage, whether it can become a managed
// certificate and what that would be (the item, its first issuance, the account to import),
// or why not: unreadable files, a key that does not match its certificate, an expired
// certificate, a CA Certkeeper does not know, a lineage already adopted. Blocking and pure: it
// reads only what it is given.

#include "adopt/Lineage.h"
#include "model/Adoption.h"
#include "model/CertificateAuthority.h"
#include "model/DnsCatalogue.h"
#include "model/ManagedCertificate.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace ck::adopt {

// One lineage judged: its row of the plan and, when adoptable, what apply creates.
struct JudgedLineage {
    AdoptionRow row;
    std::optional<ManagedCertificate> item; // with the certificate's facts, not yet stored
    QByteArray certPem, chainPem, keyPem;   // the first issuance's files
    bool importAccount = false;             // the tool's account is to be imported
    LineageAccount account;
    bool staging = false;
};

struct PlannerContext {
    QList<CertificateAuthority> authorities;
    QList<AcmeAccount> accounts;        // Certkeeper's own
    QList<ManagedCertificate> existing; // the items stored: an adopted lineage is not again
    const DnsCatalogue* dns = nullptr;
    QString dataDir; // no target may lead into it
    QDateTime now;
};

QList<JudgedLineage> judgeLineages(const LayoutRead& read, const QStringList& only,
                                   const PlannerContext& context);

} // namespace ck::adopt
