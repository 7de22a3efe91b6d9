#pragma once
// What route handlers share: the store (on its own thread) and the service's own state.

namespace ck {

class StoreWorker;
class Logger;
class RequestService;
class CredentialStore;
class CertificateIssuer;
struct ServiceState;
namespace acme {
class AcmeRegistry;
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
    preview::PreviewBuilder& previewBuilder;
    preview::ConfigTester& configTester;
};

class Router;
void addSystemRoutes(Router& router, ApiContext& ctx);
void addManagedCertificateRoutes(Router& router, ApiContext& ctx);
void addRequestRoutes(Router& router, ApiContext& ctx);
void addAcmeRoutes(Router& router, ApiContext& ctx);
void addCredentialRoutes(Router& router, ApiContext& ctx);
void addPreviewRoutes(Router& router, ApiContext& ctx);

} // namespace ck
