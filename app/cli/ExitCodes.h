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

inline constexpr char kExitCodesHelp[] =
    "Exit codes:\n"
    "  0  success\n"
    "  1  any other error (the service's message is printed)\n"
    "  2  usage error (unknown command or option, missing argument)\n"
    "  3  cannot connect to the service (not running, moved, token file unreadable)\n"
    "  4  not found (no managed certificate with that id); for log --follow: the certificate\n"
    "     was deleted while followed\n"
    "  5  invalid input (each field's problem is printed on its own line); a refused license\n"
    "     key, backup passphrase or package; for import-csv: some lines were refused\n"
    "  6  conflict (changed by someone else meanwhile)\n"
    "  7  not authorized (the token does not match the service's)\n"
    "  8  the certificate authority refused or could not be reached, or the request failed\n"
    "     (the reason is printed)\n"
    "  9  the edition's limit of managed certificates is reached (enter a license key with\n"
    "     'certkeeper-cli activate KEY'); for import-csv: some lines were refused only by it\n"
    " 10  test or preview found a problem that would make a request fail\n";

} // namespace ck::cli
