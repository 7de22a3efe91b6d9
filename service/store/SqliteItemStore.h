#pragma once
// The managed-item store in one SQLite database (manageditems.db) through Qt SQL, the default:
// one machine needs nothing else. Every write is durable (WAL, synchronous=FULL) before the
// call returns; the file is backed up beside itself and recovered at start when damaged.

#include "base/Clock.h"
#include "store/SqlItemStore.h"

namespace ck::store {

class SqliteItemStore final : public SqlItemStore {
public:
    // Opens dataDir/manageditems.db, creating it if absent. A database that fails
    // PRAGMA integrity_check (or cannot be opened at all) is quarantined, its readable rows are
    // recovered, the newest good backup (.bak, then .bak.old) fills in the rest, and what was
    // done is appended to `events`. Throws InternalError only when no usable database can
    // be made at all.
    // `clock` stamps the rows and the recovery report.
    static std::unique_ptr<SqliteItemStore> open(const QString& dataDir,
                                                 QList<RecoveryEvent>* events,
                                                 const Clock& clock = Clock::system());
    ~SqliteItemStore() override;

    QByteArray stateTag() const override;
    // Online backup to manageditems.db.bak: written to a temp file (VACUUM INTO), verified with
    // PRAGMA integrity_check, then the old .bak becomes .bak.old and the new one takes its place.
    BackupResult backup(const QDateTime& now) override;
    QString integrityCheck() const override; // "ok" or SQLite's report
    QString location() const override;       // the database file

private:
    explicit SqliteItemStore(std::unique_ptr<Impl> impl);
};

} // namespace ck::store
