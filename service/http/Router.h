#pragma once
// The one route table of the service. Patterns are literal segments and `{name}` parameters;
// routes are tried in the order they were added, so literal routes such as
// /api/managedcertificates/summary are added before /api/managedcertificates/{id}.

#include "ApiError.h"
#include "DomainError.h"
#include "base/Beast.h"

#include <QJsonObject>
#include <QUrlQuery>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ck::http {

// What a handler sees of a request: the raw Beast request, the decoded path parameters and the
// query string. jsonBody() is strict: a body that is not a JSON object is a 400 naming why.
struct RequestContext {
    const HttpRequest& request;
    std::map<std::string, QString> params;
    QUrlQuery query;

    QString param(const std::string& name) const;
    QJsonObject jsonBody() const;
};

using Handler = std::function<awaitable<HttpResponse>(RequestContext&)>;
class ResponseStream;
// A route that answers with a stream (Server-Sent Events) rather than one response. Throwing
// an ApiError or a DomainError before ResponseStream::start() answers with a problem, as for
// Handler.
using StreamHandler = std::function<awaitable<void>(RequestContext&, ResponseStream&)>;

enum class Access { Token, Anonymous };

class Router {
public:
    // `maxBodyBytes`: a larger body limit for this route than the server's (an import that
    // carries a whole backup package); 0 = the server's limit. Only requests with a valid token
    // get the larger limit.
    void add(beast::http::verb method, std::string pattern, Handler handler,
             Access access = Access::Token, size_t maxBodyBytes = 0);
    void addStream(beast::http::verb method, std::string pattern, StreamHandler handler);

    struct Match {
        const Handler* handler = nullptr;      // null when nothing matched
        const StreamHandler* stream = nullptr; // set instead of handler for a stream route
        Access access = Access::Token;
        size_t maxBodyBytes = 0;
        bool pathKnown = false; // some route has this path, maybe with another method
        std::map<std::string, QString> params;
    };
    Match resolve(beast::http::verb method, std::string_view path) const;
    // The largest maxBodyBytes of any route (0 when none has its own).
    size_t largestBodyLimit() const { return m_largestBodyLimit; }

private:
    struct Route {
        beast::http::verb method;
        std::vector<std::string> segments;
        Handler handler;
        StreamHandler stream;
        Access access;
        size_t maxBodyBytes;
    };
    std::vector<Route> m_routes;
    size_t m_largestBodyLimit = 0;
};

// Splits a target into its path and query ("/a/b?x=1" -> "/a/b", "x=1").
std::pair<std::string_view, std::string_view> splitTarget(std::string_view target);

} // namespace ck::http
