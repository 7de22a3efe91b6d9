#include "DomainError.h"

namespace ck {

DomainError::DomainError(QString message, QString field)
    : m_message(std::move(message)), m_field(std::move(field)), m_what(m_message.toUtf8()) {}

InvalidInputError::InvalidInputError(QList<FieldError> errors)
    : DomainError(ApiError::validation(errors).detail,
                  errors.isEmpty() ? QString() : errors.first().field),
      m_errors(std::move(errors)) {}

} // namespace ck
