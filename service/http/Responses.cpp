#include "http/Responses.h"

#include <QCryptographicHash>
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

// Tags are compared weakly (RFC 9110 §13.1.2).
bool ifNoneMatchNames(std::string_view ifNoneMatch, std::string_view tag) {
    while (!ifNoneMatch.empty()) {
        const size_t start = ifNoneMatch.find_first_not_of(" \t,");
        if (start == std::string_view::npos)
            return false;
        ifNoneMatch.remove_prefix(start);
        if (ifNoneMatch.front() == '*')
            return true;
        if (ifNoneMatch.substr(0, 2) == "W/")
            ifNoneMatch.remove_prefix(2);
        if (ifNoneMatch.empty() || ifNoneMatch.front() != '"')
            return false; // not a tag: nothing after it can be trusted either
        const size_t end = ifNoneMatch.find('"', 1);
        if (end == std::string_view::npos)
            return false;
        if (ifNoneMatch.substr(0, end + 1) == tag)
            return true;
        ifNoneMatch.remove_prefix(end + 1);
    }
    return false;
}

std::string entityTag(const QByteArray& answer) {
    const QByteArray digest =
        QCryptographicHash::hash(answer, QCryptographicHash::Sha256)
            .left(16)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return '"' + digest.toStdString() + '"';
}

HttpResponse taggedJsonResponse(const HttpRequest& request, const QByteArray& json,
                                const std::string& tag) {
    HttpResponse res = ifNoneMatchNames(request[beast::http::field::if_none_match], tag)
                           ? emptyResponse(beast::http::status::not_modified)
                           : withBody(beast::http::status::ok, "application/json", json);
    res.set(beast::http::field::etag, tag);
    // Kept by a client, but asked again each time: the token-protected answer is its alone.
    res.set(beast::http::field::cache_control, "private, no-cache");
    return res;
}

HttpResponse textResponse(beast::http::status status, const char* contentType,
                          const QByteArray& body) {
    return withBody(status, contentType, body);
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
