#pragma once
// The answers of the API calls that are not a resource of their own: a request started, renewals
// started, a stored credential and its test, a backup package made and imported, many items
// created at once. Each is read strictly (see
// StrictDecode.h): a field of the wrong type, or a field the answer must have and has not, is an
// error naming the field, never a default. Qt Core only.

#include "ApiError.h"
#include "model/ManagedCertificate.h"
#include "model/StoredCredential.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace ck {

// POST /api/managedcertificates/{id}/request (202): the request is queued.
struct RequestStarted {
    QString id;
    RequestState status = RequestState::Queued;
    QJsonObject toJson() const;
    static RequestStarted fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const RequestStarted&) const = default;
};

// POST /api/managedcertificates/renew: the ids whose renewal started, and those that did not.
struct RenewalsStarted {
    struct Skipped {
        QString id;
        QString reason; // the service's words
        bool operator==(const Skipped&) const = default;
    };
    QStringList queued;
    QList<Skipped> skipped;
    QJsonObject toJson() const;
    static RenewalsStarted fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const RenewalsStarted&) const = default;
};

// A stored credential as the API serves it (no secrets): GET /api/credentials, POST answers.
StoredCredential storedCredentialFromJson(const QJsonObject& o, QList<FieldError>* errors);
// {"items": [credential]}
QJsonObject credentialListToJson(const QList<StoredCredential>& list);

// POST /api/credentials/{id}/test.
struct CredentialTest {
    // true: it works; false: it does not (message says why, advice what to do); none: it cannot
    // be tested on its own (the message says where it is checked instead).
    std::optional<bool> ok;
    QString message;
    QString advice;
    QStringList zones; // a DNS host's credential: the zones it sees
    QString cname;     // an acme-dns credential: the name _acme-challenge CNAMEs must point to
    QJsonObject toJson() const;
    static CredentialTest fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const CredentialTest&) const = default;
};

// POST /api/system/export: the package (its text, to write to a file) and what is in it.
struct BackupExport {
    struct Counts {
        int items = 0;
        int credentials = 0;
        int certificateAuthorities = 0;
        int accounts = 0;
        QJsonObject toJson() const;
        bool operator==(const Counts&) const = default;
    };
    QString package;
    QString fileName; // the name the service suggests
    Counts counts;
    QStringList warnings; // what the package could not hold
    QJsonObject toJson() const;
    static BackupExport fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const BackupExport&) const = default;
};

// POST /api/system/import: what the package holds, and what was done (or, previewed, would be
// done) with each entry.
struct BackupImport {
    enum class Action { Add, Replace, Skip };
    struct Entry {
        QString kind; // "item", "credential", "certificateAuthority", "account"
        QString id;
        QString title;
        Action action = Action::Skip;
        bool operator==(const Entry&) const = default;
    };
    struct Counts {
        int add = 0;
        int replace = 0;
        int skip = 0;
        bool operator==(const Counts&) const = default;
    };
    struct Package {
        QDateTime createdAt;
        QString productVersion;
        BackupExport::Counts counts;
        bool operator==(const Package&) const = default;
    };
    bool preview = false;
    bool replaceExisting = false; // entries already here are replaced (else skipped)
    QList<Entry> entries;
    Counts counts;
    int itemsAdded = 0;
    QString limitProblem; // why the edition's limit stops the import; empty: it does not
    Package package;
    QJsonObject toJson() const;
    static BackupImport fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const BackupImport&) const = default;
};

// POST /api/managedcertificates/batch: one result for each item sent, in the order sent.
struct BatchCreateResult {
    enum class Status { Created, Valid, Refused }; // Valid: would be created (a dry run)
    struct Item {
        int index = 0; // of the item in the request
        Status status = Status::Refused;
        QString id;                // when created
        QString reason;            // when refused: the service's words
        QList<FieldError> errors;  // when refused: the fields at fault
        bool limitReached = false; // refused because of the edition's limit
        bool operator==(const Item&) const = default;
    };
    bool dryRun = false;
    int accepted = 0;
    int refused = 0;
    QList<Item> results;
    QJsonObject toJson() const;
    static BatchCreateResult fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const BatchCreateResult&) const = default;
};

} // namespace ck
