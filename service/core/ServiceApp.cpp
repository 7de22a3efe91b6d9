#include "core/ServiceApp.h"

#include "challenges/DnsProviders.h"
#include "challenges/DnsRecordJournal.h"
#include "challenges/LeftOverResponses.h"
#include "challenges/WebrootJournal.h"
#include "config/DataPaths.h"
#include "config/FaultRecord.h"
#include "config/ServersConfig.h"
#include "core/TokenFile.h"
#include "dnsapi/DnsApiProviders.h"
#include "dnsapi/LexiconCatalogue.h"
#include "dnsapi/LexiconProvider.h"
#include "events/EventPublishing.h"
#include "http/PortBinding.h"
#include "licensing/LicenseKey.h"
#include "net/CurlTransfer.h"
#include "request/PendingOrder.h"
#include "store/PostgresItemStore.h"
#include "store/SqliteItemStore.h"

#include "crypto/CryptoError.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QMap>
#include <QProcessEnvironment>

#include <cstdio>
#include <tuple>

namespace ck::core {

namespace {
constexpr auto kBackupInterval = std::chrono::hours(24);
constexpr auto kStopGrace = std::chrono::seconds(15);
// Waits between tries to reach a database server at start: doubling, then every 30 s.
constexpr auto kDatabaseFirstRetry = std::chrono::seconds(2);
constexpr auto kDatabaseLastRetry = std::chrono::seconds(30);
} // namespace

ServiceApp::ServiceApp(ServiceOptions options) : m_options(std::move(options)) {
    m_state.dataDir = m_options.dataDir;
    m_state.systemMode = m_options.systemMode;
    m_state.startedAt = m_clock.now();
}

int ServiceApp::fail(const QString& kind, const QString& message) {
    m_log.error(message);
    FaultRecord fault{m_clock.now(),
                      kind,
                      message,
                      m_state.config.host,
                      m_state.config.port,
                      QCoreApplication::applicationPid()};
    fault.write(m_state.dataDir);
    return 1;
}

bool ServiceApp::prepareDataDir() {
    const QString dir = m_state.dataDir;
    if (!QDir().mkpath(dir) || !QDir().mkpath(paths::file(dir, paths::kAssetsDir))) {
        m_log.error(
            QStringLiteral("Cannot create the data directory %1. Create it and give the "
                           "service's user write access, or choose another with --data-dir.")
                .arg(dir));
        return false;
    }
    using P = QFileDevice;
    const auto owner = P::ReadOwner | P::WriteOwner | P::ExeOwner;
    QFile::setPermissions(dir, m_state.systemMode ? owner | P::ReadGroup | P::ExeGroup : owner);
    QFile::setPermissions(paths::file(dir, paths::kAssetsDir), owner);
    QString error;
    if (!m_log.open(paths::file(dir, paths::kLogsDir), &error)) {
        m_log.error(QStringLiteral("Cannot open the service logs: %1").arg(error));
        return false;
    }
    return true;
}

bool ServiceApp::loadConfig() {
    const QString path = paths::file(m_state.dataDir, paths::kServiceConfig);
    auto loaded = ServiceConfig::loadOrCreate(path);
    if (auto* error = std::get_if<ConfigError>(&loaded)) {
        fail(
            QStringLiteral("config"),
            QStringLiteral("The service configuration is not valid and the service will not start "
                           "on guesses: %1. Fix the file, or delete it to start with the defaults.")
                .arg(error->message()));
        return false;
    }
    m_state.config = std::get<ServiceConfig>(loaded);
    if (m_options.host)
        m_state.config.host = *m_options.host;
    if (m_options.port)
        m_state.config.port = *m_options.port;
    m_log.setLevel(logging::Logger::levelFromName(m_state.config.logLevel));
    return true;
}

bool ServiceApp::openStore() {
    const StoreSettings& settings = m_state.config.store;
    QString password;
    if (settings.engine == StoreSettings::Engine::Postgres && !settings.passwordFile.isEmpty()) {
        QString error;
        password = readPasswordFile(settings.passwordFile, &error);
        if (!error.isEmpty()) {
            fail(QStringLiteral("database"),
                 QStringLiteral("The database password cannot be read: %1").arg(error));
            return false;
        }
    }
    // A database server that cannot be reached yet (it starts after us, or is down for a
    // moment) is waited for: the fault file tells the app why nothing answers meanwhile.
    auto delay = kDatabaseFirstRetry;
    for (;;) {
        try {
            m_store.open([&]() -> std::unique_ptr<store::ItemStore> {
                if (settings.engine == StoreSettings::Engine::Postgres)
                    return store::PostgresItemStore::open(settings, password, m_clock);
                return store::SqliteItemStore::open(m_state.dataDir, &m_state.recovery, m_clock);
            });
            break;
        } catch (const UnavailableError& e) {
            if (settings.engine != StoreSettings::Engine::Postgres)
                throw;
            const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(delay).count();
            fail(QStringLiteral("database"),
                 QStringLiteral("%1. The service tries again in %2 s, and goes on trying until "
                                "the database answers.")
                     .arg(e.message())
                     .arg(seconds));
            if (!waitBeforeRetry(delay))
                return false;
            delay = std::min(delay * 2, kDatabaseLastRetry);
        } catch (const DomainError& e) {
            fail(QStringLiteral("database"),
                 QStringLiteral("The managed-items database cannot be used: %1").arg(e.message()));
            return false;
        }
    }
    FaultRecord::clear(m_state.dataDir);
    for (const auto& event : m_state.recovery)
        m_log.warning(QStringLiteral("Database recovery: %1").arg(event.summary));
    m_store.call([this](store::ItemStore& s) {
        s.setChangeObserver(events::itemChangePublisher(m_events));
        return true;
    });
    m_log.setItemLineListener(events::itemLinePublisher(m_events));
    const int changed =
        m_store.call([now = m_clock.now()](store::ItemStore& s) { return s.refreshHealth(now); });
    m_state.databaseLocation = m_store.call([](store::ItemStore& s) { return s.location(); });
    m_ownBackups = m_store.call([](store::ItemStore& s) { return s.makesOwnBackups(); });
    m_log.info(QStringLiteral("Database ready: %1 (%2 items, %3 health changes since last run)")
                   .arg(m_state.databaseLocation)
                   .arg(m_store.call([](store::ItemStore& s) { return s.count(); }))
                   .arg(changed));
    return true;
}

bool ServiceApp::waitBeforeRetry(std::chrono::steady_clock::duration delay) {
    // Nothing else runs yet: the event loop serves only this timer and SIGTERM/SIGINT, so the
    // service stops at once when told to while it waits.
    bool stopped = false;
    asio::steady_timer timer(m_ioc, delay);
    timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec)
            m_signals.cancel();
    });
    m_signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (ec)
            return;
        stopped = true;
        m_log.info(
            QStringLiteral("Stopping (signal %1) while waiting for the database").arg(signal));
        timer.cancel();
    });
    m_ioc.run();
    m_ioc.restart();
    if (stopped)
        m_stoppedWhileWaiting = true;
    return !stopped;
}

void ServiceApp::backupNow() {
    if (!m_ownBackups) {
        m_state.lastBackup =
            m_store.call([now = m_clock.now()](store::ItemStore& s) { return s.backup(now); });
        m_log.info(m_state.lastBackup.error);
        return;
    }
    const auto result =
        m_store.call([now = m_clock.now()](store::ItemStore& s) { return s.backup(now); });
    m_state.lastBackup = result;
    if (result.ok)
        m_log.info(QStringLiteral("Backed up %1 items to %2").arg(result.rows).arg(result.path));
    else
        m_log.warning(
            QStringLiteral("Backup failed, the previous backup is kept: %1").arg(result.error));
}

bool ServiceApp::prepareToken(std::string& token) {
    const auto result = loadOrCreateToken(paths::file(m_state.dataDir, paths::kToken),
                                          m_state.systemMode ? 0640 : 0600);
    if (!result.error.isEmpty()) {
        fail(QStringLiteral("token"),
             QStringLiteral("Cannot prepare the API token: %1").arg(result.error));
        return false;
    }
    if (!result.notice.isEmpty()) {
        m_log.info(QStringLiteral("API token: %1").arg(result.notice));
        m_state.notices.append(QStringLiteral("API token: %1").arg(result.notice));
    }
    token = result.token;
    return true;
}

bool ServiceApp::bindAndPublish(std::optional<tcp::acceptor>& acceptor) {
    const auto& cfg = m_state.config;
    auto bound = http::bindApiPort(m_ioc, cfg.host, cfg.port, cfg.enableAutoPortNegotiation,
                                   cfg.portNegotiationRange);
    m_state.bind = {cfg.host, cfg.port, bound.boundPort, bound.negotiated, bound.reason};
    if (!bound.ok()) {
        fail(QStringLiteral("bind"),
             QStringLiteral("The service cannot listen for the app: %1. Free the port, or set "
                            "another \"port\" in %2.")
                 .arg(bound.error, paths::file(m_state.dataDir, paths::kServiceConfig)));
        return false;
    }
    if (bound.negotiated)
        m_log.warning(QStringLiteral("Listening on port %1 instead of %2 because %3; servers.json "
                                     "now names port %1 so the app follows")
                          .arg(bound.boundPort)
                          .arg(cfg.port)
                          .arg(bound.reason));
    QString error;
    if (!ServersConfig::updateLocalEntry(paths::file(m_state.dataDir, paths::kServers), cfg.host,
                                         bound.boundPort,
                                         paths::file(m_state.dataDir, paths::kToken), &error))
        m_log.warning(QStringLiteral("Cannot update servers.json (the app may not find the "
                                     "service): %1")
                          .arg(error));
    acceptor = std::move(bound.acceptor);
    return true;
}

void ServiceApp::scheduleDailyBackup() {
    if (!m_ownBackups)
        return;
    m_backupTimer.expires_after(kBackupInterval);
    m_backupTimer.async_wait([this](const boost::system::error_code& ec) {
        if (ec)
            return;
        asio::co_spawn(
            m_ioc,
            [this]() -> awaitable<void> {
                auto work = [now = m_clock.now()](store::ItemStore& s) { return s.backup(now); };
                m_state.lastBackup = co_await m_store.run(std::move(work));
                if (!m_state.lastBackup.ok)
                    m_log.warning(
                        QStringLiteral("Daily backup failed, the previous backup is kept: %1")
                            .arg(m_state.lastBackup.error));
                scheduleDailyBackup();
            },
            asio::detached);
    });
}

void ServiceApp::waitForSignals() {
    m_signals.async_wait([this](const boost::system::error_code& ec, int signal) {
        if (ec)
            return;
        m_log.info(
            QStringLiteral("Stopping (signal %1): answering requests in flight").arg(signal));
        m_backupTimer.cancel();
        m_events.shutdown();     // live event streams end, so their connections can close
        m_scheduler->stop();     // an unfinished renewal resumes at the next start
        m_revocations->stop();   // a check under way is simply not stored
        m_systemNotices->stop(); // a hanging sendmail or mail server does not hold up the stop
        m_stopDeadline.expires_after(kStopGrace);
        m_stopDeadline.async_wait([this](const boost::system::error_code& timerEc) {
            if (!timerEc) {
                m_log.warning(
                    QStringLiteral("Requests still running after the grace period; stopping"));
                m_ioc.stop();
            }
        });
        m_server->stop([this] { m_stopDeadline.cancel(); });
    });
}

bool ServiceApp::prepareRequests() {
    const auto& cfg = m_state.config;
    const QString machineKey = m_state.dataDir + QStringLiteral("/machine.key");
    try {
        m_credentials.emplace(m_state.dataDir, crypto::SecretBox::loadOrCreate(machineKey),
                              &m_state.dnsCatalogue);
    } catch (const crypto::CryptoError& e) {
        fail(QStringLiteral("machine-key"),
             QStringLiteral("%1. Stored credentials are sealed with this key; restore it from a "
                            "backup rather than deleting it.")
                 .arg(QString::fromUtf8(e.what())));
        return false;
    }
    QStringList notices = m_credentials->load(); // before the proxy, whose credential it holds
    OutgoingProxy proxy;
    if (!resolveProxy(proxy))
        return false;
    m_acme.emplace(m_ioc.get_executor(), m_state.dataDir,
                   std::chrono::seconds(cfg.acmeRequestTimeoutSeconds), proxy);
    m_license.emplace(m_state.dataDir, licensing::builtInPublicKey());
    m_items.emplace(m_store, *m_license, m_clock);
    notices += m_acme->load();
    notices += m_license->load();
    for (const auto& notice : notices) {
        m_log.warning(notice);
        m_state.notices.append(notice);
    }
    m_http01.emplace(m_ioc, cfg.httpChallengeServerHost, cfg.httpChallengeServerPort);
    m_tlsAlpn.emplace(m_ioc, cfg.httpChallengeServerHost, cfg.tlsAlpnChallengeServerPort);
    m_responders.emplace(challenges::ChallengeResponders{
        *m_http01, *m_tlsAlpn,
        dnsapi::withLexiconProviders(
            dnsapi::withDnsApiProviders(
                challenges::makeDnsProviderFactory(*m_credentials, m_processes), *m_credentials,
                m_processes,
                {std::chrono::seconds(cfg.acmeRequestTimeoutSeconds), std::chrono::seconds(120)}),
            m_state.dnsCatalogue, *m_credentials, m_processes),
        m_state.dataDir, m_processes, [this] { return m_state.config.dnsResolver; }});
    m_accounts.emplace(*m_acme, m_log);
    m_issuer.emplace(*m_acme, *m_responders, *m_credentials, m_state.dataDir);
    m_deploy.emplace(m_processes, *m_credentials, m_state.dataDir);
    m_requests.emplace(m_ioc, m_store, *m_issuer, paths::file(m_state.dataDir, paths::kLogsDir),
                       m_log, cfg.maxConcurrentRequests, *m_deploy);
    m_preview.emplace(*m_acme, *m_credentials, *m_responders, m_processes, m_state.config,
                      m_state.dataDir);
    m_tester.emplace(*m_acme, *m_credentials, *m_responders, m_processes, m_state.config,
                     paths::file(m_state.dataDir, paths::kLogsDir), m_log);
    m_adoption.emplace(
        adopt::AdoptionService::Services{m_store, *m_items, *m_acme, *m_accounts, m_log},
        m_state.dataDir, paths::file(m_state.dataDir, paths::kLogsDir), m_clock);
    prepareRenewals();
    return true;
}

bool ServiceApp::resolveProxy(OutgoingProxy& proxy) {
    const ProxyConfig& configured = m_state.config.proxy;
    if (configured.isSet()) {
        proxy =
            proxyFromUrl(configured.url, configured.noProxy, QStringLiteral("serviceconfig.json"));
        if (!configured.credentialId.isEmpty()) {
            const auto credential = m_credentials->find(configured.credentialId);
            if (!credential || credential->type != QLatin1String("proxy")) {
                fail(QStringLiteral("proxy"),
                     QStringLiteral("serviceconfig.json's proxy.credentialId '%1' names no stored "
                                    "credential of type \"proxy\"; store the proxy's user and "
                                    "password as one (certkeeper-cli credential add, or the app's "
                                    "Settings > Credentials) and name its id, or remove "
                                    "credentialId")
                         .arg(configured.credentialId));
                return false;
            }
            const QJsonObject values = m_credentials->values(configured.credentialId);
            proxy.user = values.value(QStringLiteral("user")).toString();
            proxy.password = values.value(QStringLiteral("password")).toString();
        }
    } else {
        QString problem;
        const auto fromEnvironment =
            proxyFromEnvironment(QProcessEnvironment::systemEnvironment(), &problem);
        if (!problem.isEmpty()) {
            fail(QStringLiteral("proxy"),
                 QStringLiteral("%1. Fix or unset it, or set \"proxy\" in serviceconfig.json; "
                                "the service does not go direct when a proxy is asked for.")
                     .arg(problem));
            return false;
        }
        proxy = fromEnvironment.value_or(OutgoingProxy{});
    }
    net::setOutgoingProxy(proxy);
    m_state.outgoingProxy = proxy.describe();
    m_log.info(QStringLiteral("Outgoing HTTPS: proxy %1").arg(proxy.describe()));
    return true;
}

void ServiceApp::prepareRenewals() {
    const QString logsDir = paths::file(m_state.dataDir, paths::kLogsDir);
    m_settings.emplace(m_state.dataDir);
    for (const auto& notice : m_settings->load()) {
        m_log.warning(notice);
        m_state.notices.append(notice);
    }
    m_notifier.emplace(m_ioc, *m_credentials, m_log, logsDir);
    // Checked when serviceconfig.json was read: a value is a mail server or empty (none).
    notifications::LocalMailServer mailServer;
    if (const auto address = parseMailServerAddress(m_state.config.localMailServer))
        std::tie(mailServer.host, mailServer.port) = *address;
    m_systemNotices.emplace(m_ioc, m_log, logsDir, m_clock, std::move(mailServer));
    m_scheduler.emplace(m_ioc, m_store, *m_requests, *m_settings, m_log, logsDir, m_clock);
    renewal::RenewalHooks hooks;
    hooks.policy = [this] { return m_settings->current().renewal; };
    hooks.finished = [this](const QString& itemId, const ManagedCertificate& stored,
                            const QString& failure, int previousFailures) {
        m_scheduler->requestFinished(itemId);
        if (stored.id.isEmpty())
            return;
        const NotificationSettings& notifications = m_settings->current().notifications;
        m_notifier->requestFinished(stored, failure, previousFailures, notifications);
        m_systemNotices->requestFinished(stored, failure, previousFailures, notifications);
    };
    m_requests->setRenewalHooks(std::move(hooks));
    // A certificate its CA revoked: told as a failure is (the item's notification targets, the
    // journal, mail to root) and renewed at once.
    m_revocations.emplace(
        m_ioc, m_store, m_processes, m_log, logsDir, m_clock,
        [this](const ManagedCertificate& stored) {
            const QString why =
                QStringLiteral("Its CA revoked the certificate: %1").arg(stored.revocationMessage);
            const NotificationSettings& notifications = m_settings->current().notifications;
            const int failures = stored.renewalFailureCount;
            m_notifier->requestFinished(stored, why, failures, notifications);
            m_systemNotices->requestFinished(stored, why, failures, notifications);
            asio::co_spawn(m_ioc, m_scheduler->renewNow(QStringList{stored.id}), asio::detached);
        });
}

void ServiceApp::noteRetiredAuthorities() {
    // Items and accounts that name a CA no longer offering ACME (and no custom CA of that id):
    // kept as they are, and told about in the notices (diagnostics, the app) and the log.
    const QList<ManagedCertificate> items =
        m_store.call([](store::ItemStore& s) { return s.all(); });
    QMap<QString, QStringList> namedBy; // retired CA id -> item names
    for (const ManagedCertificate& item : items) {
        QStringList ids = item.requestConfig.fallbackCertificateAuthorityIds;
        ids.prepend(item.certificateAuthorityId);
        for (const QString& id : ids)
            if (retiredCertificateAuthority(id) && !m_acme->authority(id))
                namedBy[id] << item.name;
    }
    for (const AcmeAccount& account : m_acme->accounts())
        if (retiredCertificateAuthority(account.certificateAuthorityId) &&
            !m_acme->authority(account.certificateAuthorityId))
            namedBy[account.certificateAuthorityId]; // noted even without items
    for (auto it = namedBy.cbegin(); it != namedBy.cend(); ++it) {
        const QStringList& names = it.value();
        const QString which =
            names.isEmpty() ? QStringLiteral("An ACME account names it, but no certificate")
                            : QStringLiteral("%1 certificate(s) name it: %2%3")
                                  .arg(names.size())
                                  .arg(names.mid(0, 5).join(QStringLiteral(", ")),
                                       names.size() > 5 ? QStringLiteral(", ...") : QString());
        const QString notice =
            QStringLiteral("%1. %2.").arg(retiredCertificateAuthorityWarning(it.key()), which);
        m_log.warning(notice);
        m_state.notices.append(notice);
    }
}

// Each group of routes gets the services it uses.
void ServiceApp::addRoutes() {
    api::addSystemRoutes(m_router, {m_store, m_state, *m_license, *m_scheduler});
    api::addManagedCertificateRoutes(m_router, {m_store, m_state, m_log, *m_items});
    api::addRequestRoutes(m_router, {m_store, m_state, m_log, *m_requests});
    api::addMetricsRoutes(m_router, {m_store, *m_requests});
    api::addAcmeRoutes(m_router, {*m_acme, *m_accounts, m_log});
    api::addCredentialRoutes(
        m_router, {m_store, m_state.dnsCatalogue, m_log, *m_credentials, m_processes, *m_settings});
    api::addEventRoutes(m_router, m_events);
    api::addChallengeProviderRoutes(m_router, m_state.dnsCatalogue);
    api::addLicenseRoutes(m_router, {m_store, m_log, *m_license});
    api::addBackupRoutes(
        m_router, {m_store, m_state, m_log, *m_acme, *m_credentials, *m_license, m_processes});
    api::addSettingsRoutes(
        m_router, {m_state, m_log, *m_credentials, *m_settings, *m_scheduler, *m_notifier});
    api::addRenewalRoutes(m_router, *m_scheduler);
    api::addRevocationRoutes(m_router, *m_revocations);
    api::addDeployRoutes(m_router, {m_store, m_state, m_log, *m_requests, *m_deploy});
    api::addPreviewRoutes(m_router, {m_store, m_state, *m_preview, *m_tester});
    api::addAdoptionRoutes(m_router, {*m_adoption, *m_scheduler});
}

int ServiceApp::run() {
    if (!prepareDataDir())
        return 1;
    if (!loadConfig())
        return 1;
    if (!openStore())
        return m_stoppedWhileWaiting ? 0 : 1;
    backupNow();
    std::string token;
    std::optional<tcp::acceptor> acceptor;
    if (!prepareToken(token) || !bindAndPublish(acceptor))
        return 1;
    FaultRecord::clear(m_state.dataDir);

    if (!prepareRequests())
        return 1;
    noteRetiredAuthorities();
    addRoutes();
    http::HttpLimits limits;
    limits.maxBodyBytes = size_t(m_state.config.maxBodyBytes);
    limits.maxConnections = m_state.config.maxConnections;
    limits.headerTimeout = std::chrono::seconds(m_state.config.requestHeaderTimeoutSeconds);
    limits.bodyTimeout = std::chrono::seconds(m_state.config.requestBodyTimeoutSeconds);
    m_server.emplace(m_ioc, m_router, limits, m_log);
    const auto port = static_cast<unsigned short>(m_state.bind.boundPort);
    m_server->start(std::move(*acceptor),
                    http::RequestGuard(token, m_state.config.host.toStdString(), port));
    scheduleDailyBackup();
    // lexicon's providers are listed in the background (about a second): whatever needs them
    // waits for the list (dnsapi::settledCatalogue), the rest of the service does not.
    asio::co_spawn(m_ioc,
                   dnsapi::discoverLexiconProviders(m_state.dnsCatalogue, m_processes, m_log,
                                                    qEnvironmentVariable("PATH")),
                   asio::detached);
    // What an earlier run left in webroots and DNS zones goes first, listed before any request
    // runs; then the scheduler, whose first pass may continue that run's request.
    // Those of an item whose order continues stay until its request ends: the CA may still be
    // validating them.
    const challenges::LeftOverJournals leftOvers = challenges::leftOversExcept(
        m_state.dataDir, request::PendingOrder::itemsWithOrders(m_state.dataDir));
    challenges::removeLeftOverWebrootFiles(leftOvers.webroot, m_log);
    asio::co_spawn(
        m_ioc,
        [this, journals = leftOvers.dns]() -> awaitable<void> {
            if (!journals.isEmpty()) // a lexicon provider's records need lexicon's list
                co_await dnsapi::settledCatalogue(m_state.dnsCatalogue);
            co_await challenges::removeLeftOverDnsRecords(journals, m_responders->dnsProviders,
                                                          m_log);
            m_scheduler->start();
            m_revocations->start();
        },
        asio::detached);
    waitForSignals();

    ServerEntry self;
    self.host = m_state.config.host;
    self.port = port;
    const QString url = self.baseUrl();
    m_log.info(QStringLiteral("Certkeeper service %1 listening on %2 (data directory %3)")
                   .arg(QStringLiteral(CERTKEEPER_VERSION), url, m_state.dataDir));
    std::printf("Certkeeper service listening on %s\n", qPrintable(url));
    std::fflush(stdout);

    m_ioc.run();
    m_server.reset();
    m_store.close();
    m_log.info(QStringLiteral("Stopped cleanly"));
    return 0;
}

} // namespace ck::core
