#pragma once
// The dns-01 records a request placed and has not removed yet, kept on disk so that a service
// stopped in the middle of a request (a crash, a power cut, a kill) removes them at its next
// start. One file per placement, <data dir>/dns-records/<random>.json (folder 0700, file
// 0600), written before each record is created and rewritten as each one is removed; it is
// gone when nothing is left. It holds no secret: a challenge configuration names its stored
// credential by id, and the provider is built again from it.

#include "base/Async.h"
#include "challenges/ChallengePlacement.h"
#include "challenges/DnsProvider.h"
#include "logging/ItemLog.h"
#include "logging/Logger.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ck::challenges {

struct JournaledRecord {
    ChallengeConfig config;
    challenges::DnsTxtRecord record;
};

class DnsRecordJournal {
public:
    // No file until add(). `itemId`: whose request placed the records.
    DnsRecordJournal(const QString& dataDir, const QString& itemId);
    ~DnsRecordJournal();
    DnsRecordJournal(const DnsRecordJournal&) = delete;
    DnsRecordJournal& operator=(const DnsRecordJournal&) = delete;

    // Before the record is created. Returns why it could not be written (empty: written).
    QString add(const ChallengeConfig& config, const challenges::DnsTxtRecord& record);
    // After the record was removed; the file goes with the last one.
    void remove(const challenges::DnsTxtRecord& record);

    static QString folder(const QString& dataDir);
    // The journals left in the data directory, read before any request starts.
    static QStringList leftOver(const QString& dataDir);
    static QList<JournaledRecord> read(const QString& file);
    // Whether a running request of this service has this record in place (network thread).
    static bool inUse(const challenges::DnsTxtRecord& record);

private:
    void write();

    QString m_folder;
    QString m_itemId;
    QString m_file;
    QList<JournaledRecord> m_records;
};

// Removes every record the left-over journals list, through the provider each names (built
// by `providers`), and deletes each journal once it is empty. A record a running request has
// placed again (the same value: its order was continued) is left to that request. A record whose
// provider cannot be built any more, or that cannot be removed from a journal older than a week, is
// given up with a warning saying to remove it by hand; otherwise it is tried again at the next
// start.
awaitable<void> removeLeftOverDnsRecords(QStringList journals, DnsProviderFactory providers,
                                         logging::Logger& log);
// The same, saying what it did in an item's log (the request that continued the item's order).
awaitable<void> removeLeftOverDnsRecords(QStringList journals, DnsProviderFactory providers,
                                         logging::ItemLog& log);

} // namespace ck::challenges
