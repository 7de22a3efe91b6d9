#pragma once
// Preview: what a request for an item would do, as a tree of steps, each checked without doing
// it. Summary (CA, account, names, key), validation per name (ChallengePlan), the pre-request
// tasks, the request itself, and the deployment (post-request) tasks, each task dry-run
// (deploy/TaskDryRun). Nothing is written, nothing is sent to the CA, no port is opened and no
// DNS record is created: only files are looked at. Runs on the network thread; the task dry
// runs (which may connect to a reload target) go to the process runner's threads.

#include "acme/AcmeRegistry.h"
#include "base/Async.h"
#include "challenges/ChallengePlacement.h"
#include "config/ServiceConfig.h"
#include "credentials/CredentialStore.h"
#include "model/ActionStep.h"
#include "model/ManagedCertificate.h"
#include "process/ChildProcess.h"

#include <QList>

namespace ck::preview {

class PreviewBuilder {
public:
    PreviewBuilder(acme::AcmeRegistry& registry, credentials::CredentialStore& credentials,
                   challenges::ChallengeResponders& responders, process::ProcessRunner& runner,
                   const ServiceConfig& config, QString dataDir);

    // `item` is validated already (as a save would); it may not be saved yet (empty id).
    awaitable<QList<ActionStep>> build(ManagedCertificate item);

private:
    ActionStep summary(const ManagedCertificate& item);
    // Looks up the CNAME chain of each dns-01 name (read only), to show where its record goes.
    awaitable<ActionStep> validation(const ManagedCertificate& item);
    ActionStep request(const ManagedCertificate& item);
    awaitable<ActionStep> tasks(const ManagedCertificate& item, bool preRequest);

    acme::AcmeRegistry& m_registry;
    credentials::CredentialStore& m_credentials;
    challenges::ChallengeResponders& m_responders;
    process::ProcessRunner& m_runner;
    const ServiceConfig& m_config;
    QString m_dataDir;
};

} // namespace ck::preview
