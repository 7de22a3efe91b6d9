#pragma once
// GET /api/system/diagnostics: what the running service knows about itself. Its process and data
// directory, the address it bound (and why it is not the configured one), its settings, its
// database (integrity, the last backup, what start-up recovered), its notices, the edition and
// the renewal scheduler. Read strictly (see StrictDecode.h): a field of the wrong type is an
// error naming it. Qt Core only.

#include "ApiError.h"
#include "config/ServiceConfig.h"
#include "model/License.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace ck {

struct ServiceDiagnostics {
    // Where the API listens; `negotiated` when the configured port was taken.
    struct Bind {
        QString host;
        int requestedPort = 0;
        int boundPort = 0;
        bool negotiated = false;
        QString reason; // why the configured port could not be used
        QJsonObject toJson() const;
        bool operator==(const Bind&) const = default;
    };
    struct Backup {
        bool ok = false;
        QString path;
        QDateTime time;
        int rows = 0;
        QString error; // why it failed; the previous backup is then untouched
        QJsonObject toJson() const;
        bool operator==(const Backup&) const = default;
    };
    // A damaged database found at start-up and what was done about it, in the service's words.
    struct Recovery {
        QDateTime time;
        QString summary;
        QString quarantinedFile; // where the damaged file was kept
        QString backupUsed;
        int rowsRecovered = 0;
        int rowsFromBackup = 0;
        QString possiblyMissing; // in words: "changes after 2026-11-20 10:00 UTC"
        QJsonObject toJson() const;
        bool operator==(const Recovery&) const = default;
    };
    struct Database {
        QString path;
        QString integrity; // "ok", or what is damaged
        int itemCount = 0;
        Backup lastBackup;
        QList<Recovery> recovery;
        bool operator==(const Database&) const = default;
    };
    struct Scheduler {
        QDateTime lastRun;
        QDateTime nextRun;
        int checks = 0; // passes completed
        bool automaticRenewal = true;
        int intervalMinutes = 0;
        int maxParallelRenewals = 0;
        int itemsDue = 0;
        QStringList running; // ids renewing now
        int waiting = 0;
        QJsonObject toJson() const;
        bool operator==(const Scheduler&) const = default;
    };

    QString product;
    QString version;
    QStringList libraries; // what the service runs with, as "OpenSSL 3.0.15", for support
    qint64 pid = 0;
    QString dataDir;
    bool systemMode = false;
    QDateTime startedAt;
    ServiceConfig config; // serviceconfig.json as the service read it
    Bind bind;
    Database database;
    QStringList notices; // start-up notes worth showing
    // The proxy outgoing HTTPS goes through, in words (ProxySettings' describe()), or "none".
    QString outgoingProxy;
    QString edition; // the edition's title
    LicenseInfo license;
    Scheduler scheduler;

    QJsonObject toJson() const;
    static ServiceDiagnostics fromJson(const QJsonObject& o, QList<FieldError>* errors);
};

} // namespace ck
