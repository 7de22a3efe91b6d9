#include "DomainError.h"

namespace ck {

DomainError::DomainError(QString message, QString field)
    : m_message(std::move(message)), m_field(std::move(field)), m_what(m_message.toUtf8()) {}

InvalidInputError::InvalidInputError(QList<FieldError> errors)
    : DomainError(ApiError::validation(errors).detail,
                  errors.isEmpty() ? QString() : errors.first().field),
      m_errors(std::move(errors)) {}

StorageFullError StorageFullError::whileSaving(const QString& what, const QString& detail) {
    return StorageFullError(
        QStringLiteral("The disk holding the data directory is full, so %1 could not be saved "
                       "(%2). Nothing was changed: free some space there and try again.")
            .arg(what, detail));
}

} // namespace ck
