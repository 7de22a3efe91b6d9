#pragma once
// Test: the checks of an item's configuration a user can act on, each done for real where that
// changes nothing that lasts:
// - the names are well-formed;
// - each name resolves (through serviceconfig.json "dnsResolver" when set);
// - http-01: a random token is served through the real responder (the built-in listener, or a
//   file in the webroot) and fetched from every address of the name, as a CA would; removed
//   afterwards;
// - tls-alpn-01: the real TLS listener answers an "acme-tls/1" handshake for the name at every
//   address;
// - dns-01 by RFC 2136 or a DNS API: a probe TXT record (a random value) is added where a
//   request would place it (at "_acme-challenge.<name>", or where its CNAME or the rule's
//   delegation leads, which must be a CNAME from it), looked for at the zone's servers and
//   deleted again: this proves the credential may change exactly the records a request needs,
//   and leaves nothing behind;
//   by script: the commands exist and may be executed (they are not run);
// - the CA's directory answers, the item's account exists and the CA still knows it (a signed
//   onlyReturnExisting lookup: nothing is created at the CA);
// - each server deployment task with a check host: the certificate its server presents now is
//   the item's current one (preview/ServedCertificateChecks).
// - each ssh deployment task's hosts: the host key, the login, and that each destination folder
//   may be written (an empty file made and removed; nothing copied, run or pinned).
// Checks of different names run side by side. What Test places is logged in the item's log.

#include "acme/AcmeRegistry.h"
#include "base/Async.h"
#include "challenges/ChallengePlacement.h"
#include "config/ServiceConfig.h"
#include "credentials/CredentialStore.h"
#include "logging/ItemLog.h"
#include "logging/Logger.h"
#include "model/ActionStep.h"
#include "model/ManagedCertificate.h"
#include "process/ChildProcess.h"

#include <QList>

namespace ck::preview {

struct NamePlan;
struct NameAddresses;

class ConfigTester {
public:
    ConfigTester(acme::AcmeRegistry& registry, credentials::CredentialStore& credentials,
                 challenges::ChallengeResponders& responders, process::ProcessRunner& runner,
                 const ServiceConfig& config, QString logsDir, logging::Logger& log);

    // `item` may not be saved yet (empty id: its log lines go to the service log).
    awaitable<TestReport> run(ManagedCertificate item);

private:
    // One name: where it resolves, then its challenge's check. `sharedRecordOwner`: the name
    // whose dns-01 probe also covers this one (a wildcard and its base share a record).
    awaitable<void> checkName(NamePlan plan, QString sharedRecordOwner, logging::ItemLog& log,
                              QList<TestCheck>& out);
    awaitable<TestCheck> checkHttp01(const NamePlan& plan, const NameAddresses& addresses,
                                     logging::ItemLog& log);
    awaitable<TestCheck> checkTlsAlpn01(const NamePlan& plan, const NameAddresses& addresses,
                                        logging::ItemLog& log);
    awaitable<TestCheck> checkDns01(const NamePlan& plan);
    awaitable<void> checkCa(ManagedCertificate item, QList<TestCheck>& out);
    // Each ssh task's hosts: key, login, folders writable (preview/SshTaskChecks.cpp).
    awaitable<void> checkSshTasks(ManagedCertificate item, QList<TestCheck>& out);

    acme::AcmeRegistry& m_registry;
    credentials::CredentialStore& m_credentials;
    challenges::ChallengeResponders& m_responders;
    process::ProcessRunner& m_runner;
    const ServiceConfig& m_config;
    QString m_logsDir;
    logging::Logger& m_log;
};

} // namespace ck::preview
