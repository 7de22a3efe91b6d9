#include "ApiError.h"

#include <QJsonArray>

namespace ck {

namespace {
struct KindInfo {
    ApiError::Kind kind;
    int status;
    const char* slug;
    const char* title;
};

// The single table that maps error kinds to HTTP statuses and problem types.
constexpr KindInfo kKinds[] = {
    {ApiError::Kind::BadRequest, 400, "bad-request", "Bad request"},
    {ApiError::Kind::Validation, 422, "validation", "Invalid values"},
    {ApiError::Kind::Unauthorized, 401, "unauthorized", "Not authorized"},
    {ApiError::Kind::Forbidden, 403, "forbidden", "Forbidden"},
    {ApiError::Kind::NotFound, 404, "not-found", "Not found"},
    {ApiError::Kind::MethodNotAllowed, 405, "method-not-allowed", "Method not allowed"},
    {ApiError::Kind::Conflict, 409, "conflict", "Changed by someone else"},
    {ApiError::Kind::PayloadTooLarge, 413, "payload-too-large", "Request too large"},
    {ApiError::Kind::UnsupportedMediaType, 415, "unsupported-media-type", "Unsupported media type"},
    {ApiError::Kind::LimitReached, 402, "limit-reached", "Edition limit reached"},
    {ApiError::Kind::ServiceUnavailable, 503, "unavailable", "Service unavailable"},
    {ApiError::Kind::InsufficientStorage, 507, "insufficient-storage", "The disk is full"},
    {ApiError::Kind::Upstream, 502, "upstream", "The certificate authority did not accept this"},
    {ApiError::Kind::Internal, 500, "internal", "Internal error"},
    {ApiError::Kind::Connection, 0, "connection", "Cannot connect to the service"},
};

const KindInfo& infoFor(ApiError::Kind kind) {
    for (const auto& info : kKinds)
        if (info.kind == kind)
            return info;
    return kKinds[std::size(kKinds) - 2];
}
} // namespace

ApiError ApiError::validation(QList<FieldError> fieldErrors) {
    ApiError e(Kind::Validation, {});
    if (!fieldErrors.isEmpty()) {
        e.field = fieldErrors.first().field;
        e.detail = fieldErrors.size() == 1 ? fieldErrors.first().detail
                                           : QStringLiteral("%1 (and %2 more problems)")
                                                 .arg(fieldErrors.first().detail)
                                                 .arg(fieldErrors.size() - 1);
    }
    e.errors = std::move(fieldErrors);
    return e;
}

int ApiError::httpStatus() const {
    return infoFor(kind).status;
}
QString ApiError::title() const {
    return QString::fromLatin1(infoFor(kind).title);
}
QString ApiError::typeUri() const {
    return QStringLiteral("urn:certkeeper:problem:") + QString::fromLatin1(infoFor(kind).slug);
}

ApiError::Kind ApiError::kindForStatus(int status) {
    for (const auto& info : kKinds)
        if (info.status == status)
            return info.kind;
    if (status >= 500)
        return Kind::Internal;
    return Kind::BadRequest;
}

QJsonArray toJson(const QList<FieldError>& errors) {
    QJsonArray list;
    for (const auto& fe : errors)
        list.append(QJsonObject{{"field", fe.field}, {"detail", fe.detail}});
    return list;
}

QJsonObject ApiError::toProblemJson() const {
    QJsonObject o{
        {"type", typeUri()}, {"title", title()}, {"status", httpStatus()}, {"detail", detail}};
    if (!field.isEmpty())
        o.insert("field", field);
    if (!errors.isEmpty())
        o.insert("errors", ck::toJson(errors));
    return o;
}

ApiError ApiError::fromProblemJson(int status, const QJsonObject& problem) {
    ApiError e(kindForStatus(status), problem.value("detail").toString(),
               problem.value("field").toString());
    const QString type = problem.value("type").toString();
    for (const auto& info : kKinds)
        if (type.endsWith(QLatin1Char(':') + QString::fromLatin1(info.slug)))
            e.kind = info.kind;
    if (e.detail.isEmpty())
        e.detail = problem.value("title").toString();
    for (const auto& v : problem.value("errors").toArray()) {
        const auto fe = v.toObject();
        e.errors.append({fe.value("field").toString(), fe.value("detail").toString()});
    }
    return e;
}

QString ApiError::fieldDetail(const QString& fieldName) const {
    for (const auto& fe : errors)
        if (fe.field == fieldName || fe.field.startsWith(fieldName + QLatin1Char('[')) ||
            fe.field.startsWith(fieldName + QLatin1Char('.')))
            return fe.detail;
    return field == fieldName ? detail : QString();
}

} // namespace ck
