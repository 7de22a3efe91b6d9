#pragma once
// Validation of what a user asks for, shared by the service (which decides) and the app and CLI
// (which can say early what the service would refuse).

#include "ApiError.h"
#include "model/ManagedCertificate.h"

namespace ck {

class DnsCatalogue;

constexpr int kMaxNamesPerCertificate = 100; // the ACME CAs' common limit
constexpr int kMaxItemNameLength = 200;
constexpr int kMaxFallbackAuthorities = 4; // requestConfig.fallbackCertificateAuthorityIds

struct DomainCheck {
    QString normalized; // lower case, punycode (IDN converted), no trailing dot
    QString error;      // empty when the name is acceptable
    bool ok() const { return error.isEmpty(); }
};

// One name: RFC 1035 labels (letters, digits, hyphens; 1-63 characters; no leading or trailing
// hyphen), at most 253 characters, at least two labels, an optional single leading "*." label.
DomainCheck checkDomainName(const QString& input);

// The names of the item and of its tasks, which logs quote: no line breaks, control characters
// or text-direction overrides. A problem here is malformed input (400), not a value out of range.
QList<FieldError> checkItemNames(const ManagedCertificate& item);

// Normalizes the item in place (names converted and de-cased, primary domain defaulted to the
// first name and listed among the names) and returns every problem found, by field path,
// checkItemNames' included. dns-01 rules are checked against the built-in providers, or against
// the service's catalogue (with the providers it found at run time) in the second form.
QList<FieldError> validateManagedCertificate(ManagedCertificate& item);
QList<FieldError> validateManagedCertificate(ManagedCertificate& item,
                                             const DnsCatalogue& catalogue);

} // namespace ck
