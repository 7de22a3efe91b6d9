#pragma once
// The one way route handlers read what a client sent (a JSON body, a query) into a typed value:
// the codecs record every field of the wrong type or shape, and one error then names all of
// them. Wrong types and shapes are malformed input (400); well-formed values that cannot be
// used are invalid input (422); http/ErrorMapping answers both. The clients' strict decoding of
// answers is shared/model/StrictDecode.h.

#include "DomainError.h"

#include <QList>

#include <utility>

namespace ck::api {

// Throws MalformedInputError naming every field in `errors`; returns when there are none.
inline void refuseIfMalformed(QList<FieldError> errors) {
    if (!errors.isEmpty())
        throw MalformedInputError(std::move(errors));
}

// Throws InvalidInputError naming every field in `errors`; returns when there are none.
inline void refuseIfInvalid(QList<FieldError> errors) {
    if (!errors.isEmpty())
        throw InvalidInputError(std::move(errors));
}

// `decode(input, QList<FieldError>*)` in the codecs' shape (managedCertificateFromJson,
// preferencesFromJson, CertificateAuthority::fromJson, ListQuery::fromUrlQuery): the value, or
// MalformedInputError naming every field the decoder found wrong.
template <typename Input, typename Decode>
auto decodeOrRefuse(const Input& input, Decode&& decode) {
    QList<FieldError> errors;
    auto value = std::forward<Decode>(decode)(input, &errors);
    refuseIfMalformed(std::move(errors));
    return value;
}

} // namespace ck::api
