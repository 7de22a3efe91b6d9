// ApiError: one error type, one table of HTTP statuses, and a problem+json body the client turns
// back into the same error.

#include "ApiError.h"
#include "TestSupport.h"

#include <QJsonArray>

using namespace ck;
using Kind = ApiError::Kind;

namespace {
ApiError throughText(const ApiError& e) {
    // As the client sees it: serialized, sent, parsed.
    const QByteArray body = QJsonDocument(e.toProblemJson()).toJson(QJsonDocument::Compact);
    return ApiError::fromProblemJson(e.httpStatus(), cktest::parseObject(body));
}
} // namespace

TEST_CASE("Each kind maps to its HTTP status and back", "[apierror]") {
    struct Case {
        Kind kind;
        int status;
    };
    const auto c = GENERATE(
        Case{Kind::BadRequest, 400}, Case{Kind::Validation, 422}, Case{Kind::Unauthorized, 401},
        Case{Kind::Forbidden, 403}, Case{Kind::NotFound, 404}, Case{Kind::MethodNotAllowed, 405},
        Case{Kind::Conflict, 409}, Case{Kind::PayloadTooLarge, 413},
        Case{Kind::UnsupportedMediaType, 415}, Case{Kind::LimitReached, 402},
        Case{Kind::ServiceUnavailable, 503}, Case{Kind::InsufficientStorage, 507},
        Case{Kind::Upstream, 502}, Case{Kind::Internal, 500}, Case{Kind::Connection, 0});
    INFO("status " << c.status);
    const ApiError e(c.kind, QStringLiteral("detail"));
    CHECK(e.httpStatus() == c.status);
    CHECK(ApiError::kindForStatus(c.status) == c.kind);
    CHECK_FALSE(e.title().isEmpty());
    CHECK(e.typeUri().startsWith(QStringLiteral("urn:certkeeper:problem:")));

    const auto back = throughText(e);
    CHECK(back.kind == c.kind);
    CHECK(back.detail == e.detail);
}

TEST_CASE("Statuses without a kind of their own map to the nearest kind", "[apierror]") {
    CHECK(ApiError::kindForStatus(418) == Kind::BadRequest);
    CHECK(ApiError::kindForStatus(429) == Kind::BadRequest);
    CHECK(ApiError::kindForStatus(501) == Kind::Internal);
    CHECK(ApiError::kindForStatus(504) == Kind::Internal);
}

TEST_CASE("Problem JSON has the RFC 9457 members", "[apierror]") {
    const ApiError e(Kind::NotFound, QStringLiteral("No managed certificate has id 'x'"),
                     QStringLiteral("id"));
    const auto o = e.toProblemJson();
    CHECK(o.value("type").toString() == QStringLiteral("urn:certkeeper:problem:not-found"));
    CHECK(o.value("title").toString() == e.title());
    CHECK(o.value("status").toInt() == 404);
    CHECK(o.value("detail").toString() == e.detail);
    CHECK(o.value("field").toString() == QStringLiteral("id"));
    CHECK_FALSE(o.contains("errors")); // only validation errors list fields
}

TEST_CASE("A validation error survives the problem JSON round trip", "[apierror]") {
    const QList<FieldError> fields{
        {QStringLiteral("name"), QStringLiteral("Give the certificate a name")},
        {QStringLiteral("requestConfig.subjectAlternativeNames[2]"),
         QStringLiteral("'-x.example.com' has a label that starts or ends with a hyphen")}};
    const auto e = ApiError::validation(fields);
    CHECK(e.kind == Kind::Validation);
    CHECK(e.httpStatus() == 422);
    CHECK(e.field == QStringLiteral("name"));
    CHECK(e.detail.contains(QStringLiteral("and 1 more")));

    const auto back = throughText(e);
    CHECK(back.kind == Kind::Validation);
    CHECK(back.detail == e.detail);
    CHECK(back.field == e.field);
    CHECK(back.errors == e.errors);
    CHECK(back.toProblemJson() == e.toProblemJson());

    CHECK(back.fieldDetail(QStringLiteral("requestConfig.subjectAlternativeNames")) ==
          fields[1].detail);
    CHECK(back.fieldDetail(QStringLiteral("requestConfig")) == fields[1].detail);
    CHECK(back.fieldDetail(QStringLiteral("name")) == fields[0].detail);
    CHECK(back.fieldDetail(QStringLiteral("comments")).isEmpty());
    // "name" must not match a field that only starts with the same letters.
    CHECK(ApiError::validation({{QStringLiteral("nameSuffix"), QStringLiteral("d")}})
              .fieldDetail(QStringLiteral("name"))
              .isEmpty());
}

TEST_CASE("A single field error is the error's detail", "[apierror]") {
    const auto e = ApiError::validation({{QStringLiteral("version"), QStringLiteral("stale")}});
    CHECK(e.detail == QStringLiteral("stale"));
    CHECK(e.field == QStringLiteral("version"));
}

TEST_CASE("The problem type wins over the status, and a missing detail falls back to the title",
          "[apierror]") {
    // A proxy may change the status; the type says what the service meant.
    const auto e = ApiError::fromProblemJson(
        400, QJsonObject{{"type", "urn:certkeeper:problem:conflict"}, {"title", "Changed"}});
    CHECK(e.kind == Kind::Conflict);
    CHECK(e.detail == QStringLiteral("Changed"));

    // A body that is not ours: the status decides.
    const auto foreign = ApiError::fromProblemJson(404, QJsonObject{});
    CHECK(foreign.kind == Kind::NotFound);
    CHECK(foreign.errors.isEmpty());
}
