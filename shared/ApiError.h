#pragma once
// The one error type of the Certkeeper API. The service throws/returns it and maps it to an
// HTTP status and an application/problem+json body in one place; the client turns a problem
// body back into the same type, so the app and the CLI show the service's own words.

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace ck {

struct FieldError {
    QString
        field; // JSON path of the field at fault, e.g. "requestConfig.subjectAlternativeNames[2]"
    QString detail; // what is wrong, in words a user can act on
    bool operator==(const FieldError&) const = default;
};

// [{"field", "detail"}], as problems and batch results carry them.
QJsonArray toJson(const QList<FieldError>& errors);

struct ApiError {
    enum class Kind {
        BadRequest,           // malformed JSON, wrong types, bad query
        Validation,           // well-formed but invalid values (field errors attached)
        Unauthorized,         // missing or wrong token
        Forbidden,            // foreign Host, Origin present
        NotFound,             // unknown id or route
        MethodNotAllowed,     // route exists, method does not
        Conflict,             // stale version
        PayloadTooLarge,      // body over the limit
        UnsupportedMediaType, // state change without application/json
        LimitReached,         // edition limit
        ServiceUnavailable,   // shutting down, connection cap
        InsufficientStorage,  // the disk holding the data directory is full
        Upstream,             // the CA refused or could not be reached
        Internal,             // a fault of ours
        Connection,           // client side: the service could not be reached
    };

    Kind kind = Kind::Internal;
    QString detail;
    QString field;            // the main field at fault, if any
    QList<FieldError> errors; // every field at fault (validation)

    ApiError() = default;
    ApiError(Kind k, QString d, QString f = {})
        : kind(k), detail(std::move(d)), field(std::move(f)) {}

    static ApiError validation(QList<FieldError> fieldErrors);

    int httpStatus() const;
    QString title() const;   // short human title for the kind
    QString typeUri() const; // stable problem type URI
    QJsonObject toProblemJson() const;
    static ApiError fromProblemJson(int httpStatus, const QJsonObject& problem);
    static Kind kindForStatus(int httpStatus);
    QString fieldDetail(const QString& fieldName) const; // the detail for one field, or empty
};

} // namespace ck
