#pragma once
// The service's life: start-up in the order DESIGN.md gives (data dir, config, database check
// and recovery, backup, token, bind, timers), serving until SIGTERM/SIGINT, then a clean stop:
// requests in flight are answered, the store is closed, exit 0.

#include "acme/AccountService.h"
#include "acme/AcmeRegistry.h"
#include "adopt/AdoptionService.h"
#include "api/ApiContext.h"
#include "api/ServiceState.h"
#include "challenges/ChallengePlacement.h"
#include "challenges/Http01Listener.h"
#include "challenges/TlsAlpnListener.h"
#include "core/Options.h"
#include "credentials/CredentialStore.h"
#include "deploy/DeploymentRunner.h"
#include "events/EventHub.h"
#include "http/HttpServer.h"
#include "http/Router.h"
#include "items/ItemCreation.h"
#include "licensing/LicenseManager.h"
#include "logging/Logger.h"
#include "notifications/Notifier.h"
#include "notifications/SystemNotices.h"
#include "preview/ConfigTester.h"
#include "preview/PreviewBuilder.h"
#include "process/ChildProcess.h"
#include "renewal/RenewalScheduler.h"
#include "request/CertificateIssuer.h"
#include "request/RequestService.h"
#include "revocation/RevocationWatch.h"
#include "store/PreferencesStore.h"
#include "store/StoreWorker.h"

#include <boost/asio/signal_set.hpp>

namespace ck::core {

class ServiceApp {
public:
    explicit ServiceApp(ServiceOptions options);
    int run();

private:
    bool prepareDataDir();
    bool loadConfig();
    bool openStore();
    // Waits `delay` before the next try to reach the database; false when a signal asked the
    // service to stop meanwhile.
    bool waitBeforeRetry(std::chrono::steady_clock::duration delay);
    void backupNow();
    bool prepareToken(std::string& token);
    bool bindAndPublish(std::optional<tcp::acceptor>& acceptor);
    void addRoutes();
    void scheduleDailyBackup();
    void waitForSignals();
    bool prepareRequests();
    // The outgoing proxy (serviceconfig.json's, else the environment's) with its credential;
    // false (the start fails, naming what to fix) when it cannot be used.
    bool resolveProxy(OutgoingProxy& proxy);
    // Start notices for items and accounts that still name a retired built-in CA (BuyPass).
    void noteRetiredAuthorities();
    void prepareRenewals(); // settings, notifications and the scheduler (service/renewal/)
    int fail(const QString& kind, const QString& message);

    ServiceOptions m_options;
    api::ServiceState m_state;
    logging::Logger m_log;
    asio::io_context m_ioc;
    events::EventHub m_events{m_ioc.get_executor()};
    store::StoreWorker m_store;
    http::Router m_router;
    std::optional<acme::AcmeRegistry> m_acme;
    std::optional<acme::AccountService> m_accounts;
    std::optional<adopt::AdoptionService> m_adoption;
    process::ProcessRunner m_processes; // scripts and blocking DNS calls, off the network thread
    std::optional<credentials::CredentialStore> m_credentials;
    std::optional<challenges::Http01Listener> m_http01;
    std::optional<challenges::TlsAlpnListener> m_tlsAlpn;
    std::optional<challenges::ChallengeResponders> m_responders;
    std::optional<request::CertificateIssuer> m_issuer;
    std::optional<deploy::DeploymentRunner> m_deploy;
    std::optional<request::RequestService> m_requests;
    std::optional<licensing::LicenseManager> m_license;
    std::optional<items::ItemCreation> m_items;
    const Clock& m_clock = Clock::system();
    std::optional<store::PreferencesStore> m_settings;
    std::optional<notifications::Notifier> m_notifier;
    std::optional<notifications::SystemNotices> m_systemNotices; // journal, mail to root
    std::optional<renewal::RenewalScheduler> m_scheduler;
    std::optional<revocation::RevocationWatch> m_revocations;
    std::optional<preview::PreviewBuilder> m_preview;
    std::optional<preview::ConfigTester> m_tester;
    std::optional<http::HttpServer> m_server;
    asio::steady_timer m_backupTimer{m_ioc};
    bool m_ownBackups = true;           // false when the database is its administrator's to back up
    bool m_stoppedWhileWaiting = false; // a signal came while the database was waited for
    asio::steady_timer m_stopDeadline{m_ioc};
    asio::signal_set m_signals{m_ioc, SIGINT, SIGTERM};
};

} // namespace ck::core
