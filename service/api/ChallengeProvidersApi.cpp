// GET /api/challengeproviders: the dns-01 providers this service has (its DnsCatalogue: the
// built-in ones and lexicon's), each with the credential it needs and the parameters it takes,
// so the app's Authorization tab and Settings › Credentials and the CLI build their forms from
// the service's own description. "lexicon" says in one line whether lexicon's providers are
// there and, when they are not, why. The credential types alone are at
// GET /api/credentials/types.

#include "api/ApiContext.h"
#include "dnsapi/LexiconCatalogue.h"
#include "http/Responses.h"
#include "http/Router.h"

#include "model/DnsCatalogue.h"

#include <QJsonArray>

namespace ck::api {

void addChallengeProviderRoutes(http::Router& router, const LiveDnsCatalogue& dns) {
    router.add(beast::http::verb::get, "/api/challengeproviders",
               [&dns](http::RequestContext&) -> awaitable<HttpResponse> {
                   const auto catalogue = co_await dnsapi::settledCatalogue(dns);
                   QJsonArray items;
                   int lexicon = 0;
                   for (const auto& provider : catalogue->providers()) {
                       items.append(provider.toJson());
                       if (!dnsapi::lexiconProviderName(provider.id).isEmpty())
                           ++lexicon;
                   }
                   const QJsonObject about{{"providers", lexicon}, {"note", dns.note()}};
                   co_return http::jsonResponse(beast::http::status::ok,
                                                QJsonObject{{"items", items}, {"lexicon", about}});
               });
}

} // namespace ck::api
