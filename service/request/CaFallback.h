#pragma once
// Which CAs a request may ask, in order, and which failures move it on to the next one. A CA
// that is down on renewal day should not cost a certificate when the item names another CA to
// ask (requestConfig.fallbackCertificateAuthorityIds); a failure that is the item's own (a
// challenge the CA could not validate, a name it refuses by policy) would fail the same way
// anywhere, and is not taken elsewhere.

#include "model/ManagedCertificate.h"

#include <QString>
#include <QStringList>

#include <exception>
#include <optional>

namespace ck::request {

// The item's CA (the default when it names none), then its fallbacks, each once.
QStringList authoritiesInOrder(const ManagedCertificate& item);

// When `failure` is the CA's side of the request (unreachable, no answer in time, a 5xx or a
// server error, refusing the account or the order, no account of ours there or the CA not
// configured), what happened in words; std::nullopt when the failure is the item's own or ours,
// which another CA would not change.
std::optional<QString> failureOfTheCa(const std::exception_ptr& failure);

} // namespace ck::request
