// GET /api/challengeproviders: the dns-01 providers this service has (shared/model/
// DnsProviderTypes), each with the credential it needs and the parameters it takes, so the app's
// Authorization tab and Settings › Credentials and the CLI build their forms from the service's
// own description. The credential types alone are at GET /api/credentials/types.

#include "api/ApiContext.h"
#include "http/Responses.h"
#include "http/Router.h"

#include "model/DnsProviderTypes.h"

#include <QJsonArray>

namespace ck::api {

void addChallengeProviderRoutes(http::Router& router) {
    router.add(
        beast::http::verb::get, "/api/challengeproviders",
        [](http::RequestContext&) -> awaitable<HttpResponse> {
            QJsonArray items;
            for (const auto& provider : dnsProviderTypes())
                items.append(provider.toJson());
            co_return http::jsonResponse(beast::http::status::ok, QJsonObject{{"items", items}});
        });
}

} // namespace ck::api
