#pragma once
// The challenge responses (DNS records, webroot files) a service stopped in the middle of a
// request left placed, as their journals list them. At the next start they are removed, except
// those of an item whose order is continued: the CA may still be validating them, so removing
// them first could fail an order that was about to succeed. That item's request removes them
// when it ends.

#include "base/Async.h"
#include "challenges/ChallengePlacement.h"
#include "logging/ItemLog.h"

#include <QSet>
#include <QString>
#include <QStringList>

namespace ck::challenges {

// A new journal's path in `folder`, which is made (0700) when missing; empty, with the reason in
// `error`, when it cannot be.
QString newJournalFile(const QString& folder, QString* error);
// The journals in `folder`, by name.
QStringList journalsIn(const QString& folder);

// The item a journal (DNS or webroot) was written for; empty for one written before journals
// named it, or unreadable.
QString journalItemId(const QString& journalFile);

struct LeftOverJournals {
    QStringList dns;
    QStringList webroot;
};

// The journals of items not in `continuing` (to remove at start).
LeftOverJournals leftOversExcept(const QString& dataDir, const QSet<QString>& continuing);
// The journals of one item (to remove when its continued request ends).
LeftOverJournals leftOversOf(const QString& dataDir, const QString& itemId);

// Removes what an earlier run left for this item; what it did goes to the item's log.
awaitable<void> removeLeftOversOf(QString dataDir, DnsProviderFactory providers,
                                  logging::ItemLog& log);

} // namespace ck::challenges
