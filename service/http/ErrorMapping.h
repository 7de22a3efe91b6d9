#pragma once
// The one place where what a route throws becomes the error the client is answered with: an
// ApiError (the HTTP layer's own refusals) as it is, each DomainError kind as its status and
// problem type, and anything else as an internal error that names no detail of ours. Without
// Beast, so it can be tested on its own; problemResponse() turns the result into the response.

#include "ApiError.h"

#include <exception>

namespace ck::http {

// `fault`, when given, receives what to write to the service's log when the error is a fault of
// ours (kind Internal) or a full disk (InsufficientStorage), which only the operator can end: the
// exception's own words, which the answer may not carry; else empty.
ApiError apiErrorFor(std::exception_ptr error, QString* fault = nullptr);

} // namespace ck::http
