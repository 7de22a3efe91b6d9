#pragma once
// What each group of routes needs, and nothing more: one small set of services per group, or
// the service itself where a group needs one. The services live in core/ServiceApp, which
// outlives the router; the sets hold references and are copied into the handlers.

#include "acme/AccountService.h"
#include "acme/AcmeRegistry.h"
#include "adopt/AdoptionService.h"
#include "api/ServiceState.h"
#include "credentials/CredentialStore.h"
#include "deploy/DeploymentRunner.h"
#include "events/EventHub.h"
#include "http/Router.h"
#include "items/ItemCreation.h"
#include "licensing/LicenseManager.h"
#include "logging/Logger.h"
#include "notifications/Notifier.h"
#include "preview/ConfigTester.h"
#include "preview/PreviewBuilder.h"
#include "process/ChildProcess.h"
#include "renewal/RenewalScheduler.h"
#include "request/RequestService.h"
#include "revocation/RevocationWatch.h"
#include "store/PreferencesStore.h"
#include "store/StoreWorker.h"

namespace ck::api {

struct SystemRouteServices {
    store::StoreWorker& store;
    ServiceState& state;
    licensing::LicenseManager& license;
    renewal::RenewalScheduler& scheduler;
};
void addSystemRoutes(http::Router& router, SystemRouteServices ctx);

struct MetricsRouteServices {
    store::StoreWorker& store;
    request::RequestService& requests;
};
void addMetricsRoutes(http::Router& router, MetricsRouteServices ctx);

struct ManagedCertificateRouteServices {
    store::StoreWorker& store;
    ServiceState& state;
    logging::Logger& log;
    items::ItemCreation& items;
};
void addManagedCertificateRoutes(http::Router& router, ManagedCertificateRouteServices ctx);

struct RequestRouteServices {
    store::StoreWorker& store;
    ServiceState& state;
    logging::Logger& log;
    request::RequestService& requests;
};
void addRequestRoutes(http::Router& router, RequestRouteServices ctx);

struct AcmeRouteServices {
    acme::AcmeRegistry& acme;
    acme::AccountService& accounts;
    logging::Logger& log;
};
void addAcmeRoutes(http::Router& router, AcmeRouteServices ctx);

struct CredentialRouteServices {
    store::StoreWorker& store;
    const LiveDnsCatalogue& dns;
    logging::Logger& log;
    credentials::CredentialStore& credentials;
    process::ProcessRunner& processes;
    store::PreferencesStore& settings;
};
void addCredentialRoutes(http::Router& router, CredentialRouteServices ctx);

void addEventRoutes(http::Router& router, events::EventHub& events);

void addChallengeProviderRoutes(http::Router& router, const LiveDnsCatalogue& dns);

struct LicenseRouteServices {
    store::StoreWorker& store;
    logging::Logger& log;
    licensing::LicenseManager& license;
};
void addLicenseRoutes(http::Router& router, LicenseRouteServices ctx);

struct BackupRouteServices {
    store::StoreWorker& store;
    ServiceState& state;
    logging::Logger& log;
    acme::AcmeRegistry& acme;
    credentials::CredentialStore& credentials;
    licensing::LicenseManager& license;
    process::ProcessRunner& processes; // key derivation off the network thread
};
void addBackupRoutes(http::Router& router, BackupRouteServices ctx);

struct SettingsRouteServices {
    ServiceState& state;
    logging::Logger& log;
    credentials::CredentialStore& credentials;
    store::PreferencesStore& settings;
    renewal::RenewalScheduler& scheduler;
    notifications::Notifier& notifier;
};
void addSettingsRoutes(http::Router& router, SettingsRouteServices ctx);

void addRenewalRoutes(http::Router& router, renewal::RenewalScheduler& scheduler);
void addRevocationRoutes(http::Router& router, revocation::RevocationWatch& watch);

struct DeployRouteServices {
    store::StoreWorker& store;
    ServiceState& state;
    logging::Logger& log;
    request::RequestService& requests;
    deploy::DeploymentRunner& deploy;
};
void addDeployRoutes(http::Router& router, DeployRouteServices ctx);

struct PreviewRouteServices {
    store::StoreWorker& store;
    ServiceState& state;
    preview::PreviewBuilder& previewBuilder;
    preview::ConfigTester& configTester;
};
void addPreviewRoutes(http::Router& router, PreviewRouteServices ctx);

struct AdoptionRouteServices {
    adopt::AdoptionService& adoption;
    renewal::RenewalScheduler& scheduler;
};
void addAdoptionRoutes(http::Router& router, AdoptionRouteServices ctx);

} // namespace ck::api
