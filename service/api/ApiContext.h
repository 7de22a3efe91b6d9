#pragma once
// What each group of routes needs, and nothing more: one small set of services per group, or
// the service itself where a group needs one. The services live in core/ServiceApp, which
// outlives the router; the sets hold references and are copied into the handlers.

namespace ck {

class StoreWorker;
class Logger;
class RequestService;
class CredentialStore;
class EventHub;
class PreferencesStore;
struct ServiceState;
namespace acme {
class AcmeRegistry;
class AccountService;
} // namespace acme
namespace licensing {
class LicenseManager;
}
namespace process {
class ProcessRunner;
}
namespace renewal {
class RenewalScheduler;
}
namespace notify {
class Notifier;
}
namespace deploy {
class DeploymentRunner;
}
namespace preview {
class PreviewBuilder;
class ConfigTester;
} // namespace preview

class Router;

struct SystemRouteServices {
    StoreWorker& store;
    ServiceState& state;
    licensing::LicenseManager& license;
    renewal::RenewalScheduler& scheduler;
};
void addSystemRoutes(Router& router, SystemRouteServices ctx);

struct ManagedCertificateRouteServices {
    StoreWorker& store;
    ServiceState& state;
    Logger& log;
    licensing::LicenseManager& license;
};
void addManagedCertificateRoutes(Router& router, ManagedCertificateRouteServices ctx);

struct RequestRouteServices {
    StoreWorker& store;
    ServiceState& state;
    Logger& log;
    RequestService& requests;
};
void addRequestRoutes(Router& router, RequestRouteServices ctx);

struct AcmeRouteServices {
    acme::AcmeRegistry& acme;
    acme::AccountService& accounts;
    Logger& log;
};
void addAcmeRoutes(Router& router, AcmeRouteServices ctx);

struct CredentialRouteServices {
    StoreWorker& store;
    Logger& log;
    CredentialStore& credentials;
    process::ProcessRunner& processes;
    PreferencesStore& settings;
};
void addCredentialRoutes(Router& router, CredentialRouteServices ctx);

void addEventRoutes(Router& router, EventHub& events);

void addChallengeProviderRoutes(Router& router);

struct LicenseRouteServices {
    StoreWorker& store;
    Logger& log;
    licensing::LicenseManager& license;
};
void addLicenseRoutes(Router& router, LicenseRouteServices ctx);

struct BackupRouteServices {
    StoreWorker& store;
    ServiceState& state;
    Logger& log;
    acme::AcmeRegistry& acme;
    CredentialStore& credentials;
    licensing::LicenseManager& license;
    process::ProcessRunner& processes; // key derivation off the network thread
};
void addBackupRoutes(Router& router, BackupRouteServices ctx);

struct SettingsRouteServices {
    ServiceState& state;
    Logger& log;
    CredentialStore& credentials;
    PreferencesStore& settings;
    renewal::RenewalScheduler& scheduler;
    notify::Notifier& notifier;
};
void addSettingsRoutes(Router& router, SettingsRouteServices ctx);

void addRenewalRoutes(Router& router, renewal::RenewalScheduler& scheduler);

struct DeployRouteServices {
    StoreWorker& store;
    ServiceState& state;
    Logger& log;
    RequestService& requests;
    deploy::DeploymentRunner& deploy;
};
void addDeployRoutes(Router& router, DeployRouteServices ctx);

struct PreviewRouteServices {
    StoreWorker& store;
    ServiceState& state;
    preview::PreviewBuilder& previewBuilder;
    preview::ConfigTester& configTester;
};
void addPreviewRoutes(Router& router, PreviewRouteServices ctx);

} // namespace ck
