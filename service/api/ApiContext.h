#pragma once
// What route handlers share: the store (on its own thread) and the service's own state.

namespace ck {

class StoreWorker;
class Logger;
struct ServiceState;

struct ApiContext {
    StoreWorker& store;
    ServiceState& state;
    Logger& log;
};

class Router;
void addSystemRoutes(Router& router, ApiContext& ctx);
void addManagedCertificateRoutes(Router& router, ApiContext& ctx);

} // namespace ck
