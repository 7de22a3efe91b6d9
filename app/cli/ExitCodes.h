#pragma once
// certkeeper-cli's exit codes: scripts branch on them, so they are part of the interface and are
// listed in --help. One mapping from the API's error kinds, here.

#include "ApiError.h"

namespace ck::cli {

enum ExitCode : int {
    Success = 0,
    OtherError = 1,
    UsageError = 2,
    CannotConnect = 3,
    NotFound = 4,
    InvalidInput = 5,
    Conflict = 6,
    NotAuthorized = 7,
    RequestFailed = 8,
    LimitReached = 9,
    ChecksFailed = 10,
};

inline ExitCode exitCodeFor(const ApiError& error) {
    switch (error.kind) {
    case ApiError::Kind::Connection:
        return CannotConnect;
    case ApiError::Kind::NotFound:
        return NotFound;
    case ApiError::Kind::Validation:
    case ApiError::Kind::BadRequest:
        return InvalidInput;
    case ApiError::Kind::Conflict:
        return Conflict;
    case ApiError::Kind::Unauthorized:
    case ApiError::Kind::Forbidden:
        return NotAuthorized;
    case ApiError::Kind::Upstream:
        return RequestFailed;
    case ApiError::Kind::LimitReached:
        return LimitReached;
    default:
        return OtherError;
    }
}

// What each code means, for --help and the manual page.
struct ExitCodeHelp {
    int code;
    const char* meaning;
};
inline constexpr ExitCodeHelp kExitCodesHelp[] = {
    {Success, "success"},
    {OtherError, "any other error (the service's message is printed)"},
    {UsageError, "usage error (unknown command or option, missing argument)"},
    {CannotConnect, "cannot connect to the service (not running, moved, token file unreadable)"},
    {NotFound, "not found (no managed certificate with that id); for log --follow: the "
               "certificate was deleted while followed"},
    {InvalidInput, "invalid input (each field's problem is printed on its own line); a refused "
                   "license key, backup passphrase or package; for import-csv: some lines were "
                   "refused"},
    {Conflict, "conflict (changed by someone else meanwhile)"},
    {NotAuthorized, "not authorized (the token does not match the service's)"},
    {RequestFailed, "the certificate authority refused or could not be reached, or the request "
                    "(or a deployment task) failed (the reason is printed)"},
    {LimitReached, "the edition's limit of managed certificates is reached (enter a license key "
                   "with 'certkeeper-cli activate KEY'); for import-csv: some lines were refused "
                   "only by it"},
    {ChecksFailed, "test or preview found a problem that would make a request fail"},
};

} // namespace ck::cli
