#include "notifications/SystemJournal.h"

#include "notifications/NotificationMessage.h"

#include <systemd/sd-journal.h>

#include <sys/syslog.h>
#include <sys/uio.h>

#include <vector>

namespace ck::notifications {

namespace {
// MESSAGE_IDs (journalctl MESSAGE_ID=...): fixed, so a monitoring rule can match the event
// whatever the wording of the message becomes.
constexpr const char* kRenewalFailedId = "c0e8f2df4eed4beb87bad4b92a141a49";
constexpr const char* kRenewedAgainId = "b9d468927eac460c813d979f4fa2e560";

QByteArray field(const char* name, const QString& value) {
    return QByteArray(name) + '=' + value.toUtf8();
}

QString quotedName(const ManagedCertificate& item) {
    return QStringLiteral("\"%1\"").arg(item.name);
}

QString failureMessage(const ManagedCertificate& item, QString why) {
    while (why.endsWith(QLatin1Char('.'))) // the sentence goes on after it
        why.chop(1);
    const QString domains = item.domains().join(QStringLiteral(", "));
    const QString times = item.renewalFailureCount > 1
                              ? QStringLiteral(" (%1 times in a row)").arg(item.renewalFailureCount)
                              : QString();
    return QStringLiteral("Renewing the certificate %1 for %2 failed%3: %4. Next attempt: %5.")
        .arg(quotedName(item), domains, times, why, nextAttemptText(item));
}
} // namespace

JournalFields journalEntry(const ManagedCertificate& item, const QString& failure,
                           int previousFailures) {
    const bool failed = !failure.isEmpty();
    if (!failed && previousFailures == 0)
        return {};
    JournalFields fields;
    if (failed) {
        const QString why = withoutUrlPaths(failure);
        fields << field("MESSAGE", failureMessage(item, why))
               << field("MESSAGE_ID", QString::fromLatin1(kRenewalFailedId))
               << field("PRIORITY", QString::number(LOG_ERR)) << field("CERTKEEPER_ERROR", why)
               << field("CERTKEEPER_FAILURE_COUNT", QString::number(item.renewalFailureCount));
    } else {
        const QString expiry =
            item.dateExpiry.isValid()
                ? item.dateExpiry.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))
                : QStringLiteral("unknown");
        fields << field("MESSAGE",
                        QStringLiteral("The certificate %1 for %2 was renewed again after %3 "
                                       "failed attempts; it is valid until %4.")
                            .arg(quotedName(item), item.domains().join(QStringLiteral(", ")),
                                 QString::number(previousFailures), expiry))
               << field("MESSAGE_ID", QString::fromLatin1(kRenewedAgainId))
               << field("PRIORITY", QString::number(LOG_NOTICE))
               << field("CERTKEEPER_PREVIOUS_FAILURES", QString::number(previousFailures));
    }
    fields << field("SYSLOG_IDENTIFIER", QStringLiteral("certkeeper-service"))
           << field("CERTKEEPER_ITEM_ID", item.id) << field("CERTKEEPER_ITEM_NAME", item.name)
           << field("CERTKEEPER_DOMAINS", item.domains().join(QLatin1Char(',')));
    if (item.dateNextScheduledRenewalAttempt.isValid())
        fields << field("CERTKEEPER_NEXT_ATTEMPT",
                        item.dateNextScheduledRenewalAttempt.toUTC().toString(Qt::ISODate));
    return fields;
}

int writeToJournal(const JournalFields& fields) {
    std::vector<iovec> parts;
    parts.reserve(size_t(fields.size()));
    for (const QByteArray& f : fields)
        parts.push_back({const_cast<char*>(f.constData()), size_t(f.size())});
    if (parts.empty())
        return 0;
    return sd_journal_sendv(parts.data(), int(parts.size()));
}

} // namespace ck::notifications
