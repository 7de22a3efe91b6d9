// The one mapping from what the service throws to the problem a client is answered with: each
// domain error kind has its status, problem type and title, keeps its words and fields, and
// anything else is an internal error that names none of our details.

#include "acme/AcmeError.h"
#include "http/ErrorMapping.h"

#include <catch2/catch.hpp>

#include <QJsonArray>

#include <stdexcept>

using namespace ck;

namespace {
template <typename E> ApiError mapped(const E& error, QString* fault = nullptr) {
    return http::apiErrorFor(std::make_exception_ptr(error), fault);
}

std::string str(const QString& s) {
    return s.toStdString();
}
} // namespace

TEST_CASE("each domain error kind has its status and problem type", "[errors]") {
    struct Case {
        ApiError error;
        int status;
        const char* type;
    };
    const Case cases[] = {
        {mapped(NotFoundError(QStringLiteral("gone"))), 404, "urn:certkeeper:problem:not-found"},
        {mapped(ConflictError(QStringLiteral("stale"))), 409, "urn:certkeeper:problem:conflict"},
        {mapped(InvalidInputError(QStringLiteral("bad value"))), 422,
         "urn:certkeeper:problem:validation"},
        {mapped(MalformedInputError(QStringLiteral("not text"))), 400,
         "urn:certkeeper:problem:bad-request"},
        {mapped(LimitReachedError(QStringLiteral("at most 5"))), 402,
         "urn:certkeeper:problem:limit-reached"},
        {mapped(UpstreamError(QStringLiteral("the CA said no"))), 502,
         "urn:certkeeper:problem:upstream"},
        {mapped(UnavailableError(QStringLiteral("closed"))), 503,
         "urn:certkeeper:problem:unavailable"},
        {mapped(StorageFullError::whileSaving(QStringLiteral("the settings"),
                                              QStringLiteral("No space left on device"))),
         507, "urn:certkeeper:problem:insufficient-storage"},
        {mapped(InternalError(QStringLiteral("row 3 is damaged"))), 500,
         "urn:certkeeper:problem:internal"},
    };
    for (const auto& c : cases) {
        INFO(str(c.error.detail));
        CHECK(c.error.httpStatus() == c.status);
        CHECK(str(c.error.typeUri()) == c.type);
        CHECK(c.error.toProblemJson().value("status").toInt() == c.status);
    }
    CHECK(mapped(NotFoundError(QStringLiteral("gone"))).title() == "Not found");
    CHECK(mapped(UpstreamError(QStringLiteral("no"))).title() ==
          "The certificate authority did not accept this");
}

TEST_CASE("a domain error keeps its words and its field", "[errors]") {
    const ApiError e =
        mapped(ConflictError(QStringLiteral("Your copy is version 1"), QStringLiteral("version")));
    CHECK(e.kind == ApiError::Kind::Conflict);
    CHECK(e.detail == "Your copy is version 1");
    CHECK(e.field == "version");
    CHECK(e.errors.isEmpty());
    CHECK_FALSE(e.toProblemJson().contains("errors"));
}

TEST_CASE("invalid and malformed input carry every field at fault", "[errors]") {
    const QList<FieldError> fields{{QStringLiteral("email"), QStringLiteral("Enter an address")},
                                   {QStringLiteral("agreeToTerms"), QStringLiteral("Accept")}};
    const ApiError invalid = mapped(InvalidInputError(fields));
    CHECK(invalid.kind == ApiError::Kind::Validation);
    CHECK(invalid.errors == fields);
    CHECK(invalid.field == "email");
    CHECK(invalid.detail == "Enter an address (and 1 more problems)");
    CHECK(invalid.toProblemJson().value("errors").toArray().size() == 2);

    const ApiError malformed = mapped(MalformedInputError(fields));
    CHECK(malformed.kind == ApiError::Kind::BadRequest);
    CHECK(malformed.httpStatus() == 400);
    CHECK(malformed.errors == fields);
    CHECK(malformed.detail == invalid.detail);

    const ApiError one =
        mapped(InvalidInputError(QStringLiteral("Use ecdsa-p256"), QStringLiteral("keyAlgorithm")));
    CHECK(one.field == "keyAlgorithm");
    CHECK(one.errors.isEmpty());
}

TEST_CASE("a CA's refusal is an upstream error in the CA's words", "[errors]") {
    acme::AcmeError refused(QStringLiteral("register the account"),
                            QStringLiteral("urn:ietf:params:acme:error:rateLimited"),
                            QStringLiteral("too many registrations"), 429);
    const ApiError e = mapped(refused);
    CHECK(e.kind == ApiError::Kind::Upstream);
    CHECK(e.httpStatus() == 502);
    CHECK(e.detail == refused.userMessage());
    CHECK(e.detail.contains("the CA answered rateLimited: too many registrations"));
}

TEST_CASE("only faults of ours are logged, and unknown exceptions name nothing", "[errors]") {
    QString fault;
    mapped(NotFoundError(QStringLiteral("gone")), &fault);
    CHECK(fault.isEmpty());

    const ApiError internal = mapped(InternalError(QStringLiteral("row 3 is damaged")), &fault);
    CHECK(internal.detail == "row 3 is damaged");
    CHECK(fault == "row 3 is damaged");

    const ApiError unknown = mapped(std::runtime_error("secret path /var/x"), &fault);
    CHECK(unknown.kind == ApiError::Kind::Internal);
    CHECK_FALSE(unknown.detail.contains("/var/x"));
    CHECK(unknown.detail.contains("internal error"));
    CHECK(fault == "secret path /var/x");

    // A full disk is not ours either, but only the operator can end it: it is logged, in the
    // same words the user is answered with.
    const ApiError full = mapped(
        StorageFullError::whileSaving(QStringLiteral("the settings"),
                                      QStringLiteral("Cannot write settings.json.tmp: No space")),
        &fault);
    CHECK(full.kind == ApiError::Kind::InsufficientStorage);
    CHECK(full.detail.startsWith("The disk holding the data directory is full, so the settings "
                                 "could not be saved (Cannot write settings.json.tmp: No space)."));
    CHECK(fault == full.detail);

    const ApiError passed =
        mapped(ApiError(ApiError::Kind::Forbidden, QStringLiteral("foreign Host")), &fault);
    CHECK(passed.kind == ApiError::Kind::Forbidden);
    CHECK(passed.detail == "foreign Host");
    CHECK(fault.isEmpty());
}
