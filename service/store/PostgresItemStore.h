#pragma once
// The managed-item store in a PostgreSQL database (Qt SQL's QPSQL driver), shared by several
// services: each write is one transaction, rows are locked as they are read for a change, and
// the change tag is a counter in the database that every service's writes move. The database is
// its administrator's to back up and replicate; backup() says so and makes no copy.

#include "base/Clock.h"
#include "config/StoreSettings.h"
#include "store/SqlItemStore.h"

namespace ck::store {

class PostgresItemStore final : public SqlItemStore {
public:
    // Connects with `settings` and `password` (empty: none, e.g. a trusted local socket),
    // creates the schema in an empty database or brings an older one up to date (one service at
    // a time, under a lock). Throws UnavailableError when the server cannot be reached or
    // refuses the login, InternalError when the database holds a newer schema.
    static std::unique_ptr<PostgresItemStore> open(const StoreSettings& settings,
                                                   const QString& password,
                                                   const Clock& clock = Clock::system());
    ~PostgresItemStore() override;

    QByteArray stateTag() const override;
    BackupResult backup(const QDateTime& now) override;
    bool makesOwnBackups() const override { return false; }
    QString integrityCheck() const override; // "ok" when the tables answer, else why not
    QString location() const override;       // postgresql://user@host:port/database

private:
    explicit PostgresItemStore(std::unique_ptr<Impl> impl);
};

} // namespace ck::store
