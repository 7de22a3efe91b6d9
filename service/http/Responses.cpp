#include "http/Responses.h"

#include <QJsonDocument>

namespace ck::http {

namespace {
HttpResponse withBody(beast::http::status status, const char* contentType, const QByteArray& body) {
    HttpResponse res{status, 11};
    res.set(beast::http::field::content_type, contentType);
    res.set(beast::http::field::cache_control, "no-store");
    res.body().assign(body.constData(), size_t(body.size()));
    res.prepare_payload();
    return res;
}
} // namespace

HttpResponse jsonResponse(beast::http::status status, const QJsonObject& body) {
    return withBody(status, "application/json", QJsonDocument(body).toJson(QJsonDocument::Compact));
}

HttpResponse jsonResponse(beast::http::status status, const QJsonArray& body) {
    return withBody(status, "application/json", QJsonDocument(body).toJson(QJsonDocument::Compact));
}

HttpResponse jsonResponse(beast::http::status status, const QByteArray& json) {
    return withBody(status, "application/json", json);
}

HttpResponse emptyResponse(beast::http::status status) {
    HttpResponse res{status, 11};
    res.set(beast::http::field::cache_control, "no-store");
    res.prepare_payload();
    return res;
}

HttpResponse problemResponse(const ApiError& error) {
    const int status = error.httpStatus() > 0 ? error.httpStatus() : 500;
    auto res = withBody(beast::http::int_to_status(unsigned(status)), "application/problem+json",
                        QJsonDocument(error.toProblemJson()).toJson(QJsonDocument::Compact));
    if (error.kind == ApiError::Kind::Unauthorized)
        res.set(beast::http::field::www_authenticate, "Bearer realm=\"certkeeper\"");
    return res;
}

HttpResponse protocolProblem(beast::http::status status, const QString& detail) {
    const auto reason = beast::http::obsolete_reason(status);
    const QJsonObject problem{{"type", QStringLiteral("urn:certkeeper:problem:protocol")},
                              {"title", QString::fromUtf8(reason.data(), qsizetype(reason.size()))},
                              {"status", int(status)},
                              {"detail", detail}};
    return withBody(status, "application/problem+json",
                    QJsonDocument(problem).toJson(QJsonDocument::Compact));
}

} // namespace ck::http
