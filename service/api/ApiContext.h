#pragma once
// What route handlers share: the store (on its own thread) and the service's own state.

namespace ck {

class StoreWorker;
class Logger;
class RequestService;
class CredentialStore;
class CertificateIssuer;
class EventHub;
class PreferencesStore;
struct ServiceState;
namespace acme {
class AcmeRegistry;
}
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

struct ApiContext {
    StoreWorker& store;
    ServiceState& state;
    Logger& log;
    acme::AcmeRegistry& acme;
    RequestService& requests;
    CredentialStore& credentials;
    CertificateIssuer& issuer;
    EventHub& events;
    licensing::LicenseManager& license;
    process::ProcessRunner& processes; // blocking work (key derivation) off the network thread
    PreferencesStore& settings;
    renewal::RenewalScheduler& scheduler;
    notify::Notifier& notifier;
    deploy::DeploymentRunner& deploy;
    preview::PreviewBuilder& previewBuilder;
    preview::ConfigTester& configTester;
};

class Router;
void addSystemRoutes(Router& router, ApiContext& ctx);
void addManagedCertificateRoutes(Router& router, ApiContext& ctx);
void addRequestRoutes(Router& router, ApiContext& ctx);
void addAcmeRoutes(Router& router, ApiContext& ctx);
void addCredentialRoutes(Router& router, ApiContext& ctx);
void addEventRoutes(Router& router, ApiContext& ctx);
void addLicenseRoutes(Router& router, ApiContext& ctx);
void addBackupRoutes(Router& router, ApiContext& ctx);
void addSettingsRoutes(Router& router, ApiContext& ctx);
void addRenewalRoutes(Router& router, ApiContext& ctx);
void addDeployRoutes(Router& router, ApiContext& ctx);
void addPreviewRoutes(Router& router, ApiContext& ctx);

} // namespace ck
