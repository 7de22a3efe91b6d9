// What a recovery did and what may be missing, in words an administrator can act on.

#include "store/StoreInternal.h"

#include <QFileInfo>

namespace ck::store {

namespace detail {

namespace {
QString items(int n) {
    return n == 1 ? QStringLiteral("1 item") : QStringLiteral("%1 items").arg(n);
}

QString when(const QDateTime& t) {
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QStringLiteral(" UTC");
}

QString damagedSummary(const RecoveryFacts& f, const QString& backup) {
    QString text = QStringLiteral("The managed-items database was damaged (%1) and was moved "
                                  "aside to %2; ")
                       .arg(f.reason, f.quarantinedFile);
    const int read = f.rowsRecovered;
    if (read > 0 && !backup.isEmpty())
        text += QStringLiteral("%1 read back from it and %2 restored from %3")
                    .arg(items(read), items(f.rowsFromBackup), backup);
    else if (!backup.isEmpty())
        text += QStringLiteral("nothing could be read back from it, so the %1 of %2 were restored")
                    .arg(items(f.rowsFromBackup), backup);
    else if (read > 0)
        text += QStringLiteral("%1 read back from it; no usable backup was found").arg(items(read));
    else
        text += QStringLiteral("nothing could be read back from it and no usable backup was "
                               "found, so the service starts with no managed certificates");
    return text;
}

QString damagedMissing(const RecoveryFacts& f, const QString& backupTime) {
    const bool backup = !f.backupUsed.isEmpty();
    if (f.readComplete) {
        QString text = QStringLiteral(
            "Nothing is known to be missing: every row of the damaged file was read back.");
        if (backup && f.rowsFromBackup > 0)
            text += QStringLiteral(" Certificates deleted after the backup of %1 may have "
                                   "reappeared; delete them again.")
                        .arg(backupTime);
        return text;
    }
    if (backup && f.rowsRecovered > 0)
        return QStringLiteral("Changes made after the backup of %1 that could not be read back "
                              "from the damaged file (kept at %2).")
            .arg(backupTime, f.quarantinedFile);
    if (backup)
        return QStringLiteral("Every change made after the backup of %1: certificates added, "
                              "edited or deleted since then (the damaged file is kept at %2).")
            .arg(backupTime, f.quarantinedFile);
    if (f.rowsRecovered > 0)
        return QStringLiteral("Managed certificates stored in the parts of the damaged file that "
                              "could not be read (it is kept at %1).")
            .arg(f.quarantinedFile);
    return QStringLiteral("All managed certificates may be lost; the damaged file is kept at %1 "
                          "for manual recovery.")
        .arg(f.quarantinedFile);
}
} // namespace

RecoveryEvent describeRecovery(const RecoveryFacts& facts, const QDateTime& now) {
    RecoveryEvent event;
    event.time = now;
    event.quarantinedFile = facts.quarantinedFile;
    event.backupUsed = facts.backupUsed;
    event.rowsRecovered = facts.rowsRecovered;
    event.rowsFromBackup = facts.rowsFromBackup;

    const QString backupTime = facts.backupTime.isValid() ? when(facts.backupTime) : QString();
    const QString backup = facts.backupUsed.isEmpty()
                               ? QString()
                               : QStringLiteral("the backup of %1 (%2)")
                                     .arg(backupTime, QFileInfo(facts.backupUsed).fileName());
    const QString rejected = facts.rejectedBackups.isEmpty()
                                 ? QString()
                                 : QStringLiteral(" (backups not used: %1)")
                                       .arg(facts.rejectedBackups.join(QStringLiteral("; ")));

    if (facts.cause == RecoveryFacts::Cause::Damaged) {
        event.summary = damagedSummary(facts, backup) + rejected + QLatin1Char('.');
        event.possiblyMissing = damagedMissing(facts, backupTime);
    } else if (!backup.isEmpty()) {
        event.summary = QStringLiteral("The managed-items database file was missing; the %1 of "
                                       "%2 were restored%3.")
                            .arg(items(facts.rowsFromBackup), backup, rejected);
        event.possiblyMissing = QStringLiteral("Every change made after the backup of %1: "
                                               "certificates added, edited or deleted since then.")
                                    .arg(backupTime);
    } else {
        event.summary = QStringLiteral("The managed-items database file was missing and no "
                                       "backup beside it could be used%1; the service starts "
                                       "with no managed certificates.")
                            .arg(rejected);
        event.possiblyMissing = QStringLiteral("All managed certificates may be lost.");
    }
    return event;
}

} // namespace detail
} // namespace ck::store
