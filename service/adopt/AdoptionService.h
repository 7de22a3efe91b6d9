#pragma once
// Adopting the certificates of certbot, lego and acme.sh: `plan` reads the tool's folder and
// says, one row per lineage, what would be created and what cannot be and why; `apply` does it.
// Each adopted lineage becomes a managed certificate whose first issuance is the certificate
// and key the tool has now (written to assets/<id>/ as a request writes them), with export
// tasks that rewrite the tool's own files on every renewal, and the tool's ACME account
// imported when Certkeeper has none with that CA. Within the edition's limit (ItemCreation):
// what fits is created, the rest refused with the reason. A lineage whose files cannot be
// stored leaves nothing behind.

#include "acme/AccountService.h"
#include "acme/AcmeRegistry.h"
#include "base/Async.h"
#include "base/Clock.h"
#include "items/ItemCreation.h"
#include "logging/Logger.h"
#include "model/Adoption.h"
#include "store/StoreWorker.h"

namespace ck::adopt {

struct JudgedLineage;

class AdoptionService {
public:
    struct Services {
        store::StoreWorker& store;
        items::ItemCreation& items;
        acme::AcmeRegistry& acme;
        acme::AccountService& accounts;
        logging::Logger& log;
    };
    AdoptionService(Services services, QString dataDir, QString logsDir,
                    const Clock& clock = Clock::system());

    // The parameters are by value: a coroutine keeps its own copies.
    awaitable<AdoptionPlan> plan(AdoptionRequest request);
    awaitable<AdoptionPlan> apply(AdoptionRequest request);

private:
    awaitable<QList<JudgedLineage>> judge(const AdoptionRequest& request, AdoptionPlan& plan);
    // Imports each CA's account once; a refusal is noted on the rows, which are still adopted.
    awaitable<void> importAccounts(QList<JudgedLineage>& judged);
    // Writes the first issuance's files and stores them on the created item; on failure the
    // item and its files are removed and the row says why.
    awaitable<void> storeFirstIssuance(JudgedLineage& judged, ManagedCertificate created);

    Services m_services;
    QString m_dataDir;
    QString m_logsDir;
    const Clock& m_clock;
};

} // namespace ck::adopt
