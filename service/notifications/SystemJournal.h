#pragma once
// Renewal failures in the system journal (systemd-journald), where `journalctl -p err` and the
// log monitoring a server already has will see them without any setting up: one entry per
// failed request at priority err, with the facts as fields of their own for filters
// (`journalctl CERTKEEPER_ITEM_ID=...`), and one at notice when a certificate that had been
// failing is renewed again.
//
// Written with libsystemd's native protocol (a datagram to /run/systemd/journal/socket). With
// no journal (no socket: a container, a system without systemd) libsystemd reports success and
// nothing is written: the item's log and the service log keep the failure either way.

#include "model/ManagedCertificate.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace ck::notifications {

// One journal entry: "FIELD=value" each, in the order written.
using JournalFields = QList<QByteArray>;

// What the journal gets for a finished request (`failure` empty for a success; `item` as stored
// after it). Empty when there is nothing to say: a success that ended no run of failures.
// Addresses in the failure are cut to their host (withoutUrlPaths): a journal is read by more
// people than the item's log.
JournalFields journalEntry(const ManagedCertificate& item, const QString& failure,
                           int previousFailures);

// Sends the entry. 0 when it was sent or there is no journal, else -errno (a full or broken
// socket). Blocks only while journald's queue is full, as the service's own output to journald
// already does when it runs as a systemd service.
int writeToJournal(const JournalFields& fields);

} // namespace ck::notifications
