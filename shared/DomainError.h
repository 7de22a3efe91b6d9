#pragma once
// What the service's own work (store, ACME, challenges, requests, renewal, deployment,
// credentials, backup, licensing) throws when it cannot do what was asked: one small hierarchy,
// each kind saying what went wrong in words a user can act on, and the field at fault where
// there is one. None of it knows HTTP: the service's HTTP layer maps each kind to a status and
// an application/problem+json body in one place (http/ErrorMapping), and ApiError stays the
// wire type the clients read back.

#include "ApiError.h" // FieldError

#include <QByteArray>
#include <QList>
#include <QString>

#include <exception>

namespace ck {

class DomainError : public std::exception {
public:
    explicit DomainError(QString message, QString field = {});

    // The sentence shown to the user (stored on an item, written to its log, sent as the
    // problem's detail).
    virtual QString message() const { return m_message; }
    const QString& field() const { return m_field; } // the main field at fault, if any
    const char* what() const noexcept override { return m_what.constData(); }

private:
    QString m_message;
    QString m_field;
    QByteArray m_what;
};

// Nothing has this id (an item, a credential, an account, a CA, a task).
class NotFoundError : public DomainError {
public:
    using DomainError::DomainError;
};

// The thing is in a state that does not allow this now: changed meanwhile (stale version),
// already running, already revoked, still in use.
class ConflictError : public DomainError {
public:
    using DomainError::DomainError;
};

// Well-formed values that cannot be used, each at its field.
class InvalidInputError : public DomainError {
public:
    using DomainError::DomainError;
    // Every field at fault; the message is the first one's (and how many more there are).
    explicit InvalidInputError(QList<FieldError> errors);
    const QList<FieldError>& errors() const { return m_errors; }

private:
    QList<FieldError> m_errors;
};

// Input that is not the shape asked for: wrong types, text that would break a log line.
class MalformedInputError : public InvalidInputError {
public:
    using InvalidInputError::InvalidInputError;
};

// The edition's limit does not allow this many managed certificates.
class LimitReachedError : public DomainError {
public:
    using DomainError::DomainError;
};

// A party outside the service refused or could not be reached: the CA (acme::AcmeError carries
// its problem), a DNS server or provider, a mail server or webhook.
class UpstreamError : public DomainError {
public:
    using DomainError::DomainError;
};

// The service cannot do it now (the database is closed while shutting down).
class UnavailableError : public DomainError {
public:
    using DomainError::DomainError;
};

// The disk holding the data directory is full (ENOSPC, EDQUOT, SQLITE_FULL): nothing was changed,
// and the same call succeeds once there is space again. Not a fault of ours, but the operator's
// to act on, so it is answered in words of its own (507) instead of as an internal error.
class StorageFullError : public DomainError {
public:
    using DomainError::DomainError;
    // "The disk holding the data directory is full, so `what` (the settings) could not be saved
    // (`detail`, the system's own words). Nothing was changed: free some space there and try
    // again."
    static StorageFullError whileSaving(const QString& what, const QString& detail);
};

// A fault of ours whose words still help the user (a damaged database row, a file that cannot
// be written); logged as an error where it is answered.
class InternalError : public DomainError {
public:
    using DomainError::DomainError;
};

} // namespace ck
