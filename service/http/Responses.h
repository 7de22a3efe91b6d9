#pragma once
// Building responses: JSON bodies, empty answers, and the one mapping from ApiError to an
// application/problem+json response.

#include "ApiError.h"
#include "Asio.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ck {

HttpResponse jsonResponse(http::status status, const QJsonObject& body);
HttpResponse jsonResponse(http::status status, const QJsonArray& body);
HttpResponse emptyResponse(http::status status);
HttpResponse problemResponse(const ApiError& error);

} // namespace ck
