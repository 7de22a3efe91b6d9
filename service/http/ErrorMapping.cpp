#include "http/ErrorMapping.h"

#include "DomainError.h"

namespace ck::http {

namespace {
ApiError withFields(ApiError::Kind kind, const InvalidInputError& e) {
    ApiError error = e.errors().isEmpty() ? ApiError(kind, e.message(), e.field())
                                          : ApiError::validation(e.errors());
    error.kind = kind;
    return error;
}

ApiError internalError() {
    return ApiError(ApiError::Kind::Internal, QStringLiteral("The service hit an internal error; "
                                                             "see logs/service.exceptions.log"));
}
} // namespace

ApiError apiErrorFor(std::exception_ptr error, QString* fault) {
    ApiError answer;
    QString logged;
    try {
        std::rethrow_exception(error);
    } catch (const ApiError& e) {
        answer = e;
        logged = e.detail;
    } catch (const MalformedInputError& e) {
        answer = withFields(ApiError::Kind::BadRequest, e);
    } catch (const InvalidInputError& e) {
        answer = withFields(ApiError::Kind::Validation, e);
    } catch (const DomainError& e) {
        ApiError::Kind kind = ApiError::Kind::Internal;
        if (dynamic_cast<const NotFoundError*>(&e))
            kind = ApiError::Kind::NotFound;
        else if (dynamic_cast<const ConflictError*>(&e))
            kind = ApiError::Kind::Conflict;
        else if (dynamic_cast<const LimitReachedError*>(&e))
            kind = ApiError::Kind::LimitReached;
        else if (dynamic_cast<const UpstreamError*>(&e))
            kind = ApiError::Kind::Upstream;
        else if (dynamic_cast<const UnavailableError*>(&e))
            kind = ApiError::Kind::ServiceUnavailable;
        else if (dynamic_cast<const StorageFullError*>(&e))
            kind = ApiError::Kind::InsufficientStorage;
        answer = ApiError(kind, e.message(), e.field());
        logged = e.message();
    } catch (const std::exception& e) {
        answer = internalError();
        logged = QString::fromUtf8(e.what());
    } catch (...) {
        answer = internalError();
        logged = QStringLiteral("an exception that is not a std::exception");
    }
    // A full disk is no fault of ours, but only the operator can end it: logged like one.
    const bool logIt = answer.kind == ApiError::Kind::Internal ||
                       answer.kind == ApiError::Kind::InsufficientStorage;
    if (fault)
        *fault = logIt ? logged : QString();
    return answer;
}

} // namespace ck::http
