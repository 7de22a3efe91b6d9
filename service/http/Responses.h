#pragma once
// Building responses: JSON bodies, empty answers, and the one mapping from ApiError to an
// application/problem+json response.

#include "ApiError.h"
#include "base/Beast.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ck::http {

HttpResponse jsonResponse(beast::http::status status, const QJsonObject& body);
HttpResponse jsonResponse(beast::http::status status, const QJsonArray& body);
// A body that is already JSON text (e.g. items as the store holds them), sent as it is.
HttpResponse jsonResponse(beast::http::status status, const QByteArray& json);
// 200 with `json` and the ETag `tag`, or 304 with no body when the request's If-None-Match
// already names that tag: a client polling a list that did not change gets no body to transfer
// or parse. `json` may be empty when the caller knew from ifNoneMatchNames that it is not sent.
HttpResponse taggedJsonResponse(const HttpRequest& request, const QByteArray& json,
                                const std::string& tag);
// A strong entity tag ("..."), a digest of the answer: right whatever changed the data (another
// node of a cluster, the passing of time for health).
std::string entityTag(const QByteArray& answer);
// Whether an If-None-Match value ("*", or a list of tags, weak or strong) names `tag`.
bool ifNoneMatchNames(std::string_view ifNoneMatch, std::string_view tag);
// A text body of another kind (the Prometheus format), sent as it is.
HttpResponse textResponse(beast::http::status status, const char* contentType,
                          const QByteArray& body);
HttpResponse emptyResponse(beast::http::status status);
HttpResponse problemResponse(const ApiError& error);
// The answer to a request that is not valid HTTP/1.1 (400, 408, 431, 505): no route ran, so
// the problem is the protocol's, named by the status.
HttpResponse protocolProblem(beast::http::status status, const QString& detail);

} // namespace ck::http
