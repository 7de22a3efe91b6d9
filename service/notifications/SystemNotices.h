#pragma once
// Failure notices with no configuration: the channel beside the Notifier's webhook and email
// that needs nothing set up. After each request it
//  - writes a failure to the system journal at priority err (and a recovery at notice), see
//    SystemJournal.h;
//  - mails root through the local sendmail when the request failed, no email notification is
//    set up for the item and a sendmail is installed, at most once a day per item while it
//    keeps failing (LocalMail.h).
// The setting notifications.systemNotices (on by default) turns both off.
//
// sendmail runs on this channel's own two threads, never on the network thread, with a time
// limit; a hanging one is stopped (its whole process group) when the limit passes or the service
// stops, and holds up neither renewals nor the Notifier's senders. What was mailed, or why not,
// goes to the item's log; that no sendmail is installed goes once to the service log.

#include "base/Async.h"
#include "base/Clock.h"
#include "logging/Logger.h"
#include "model/ManagedCertificate.h"
#include "model/Preferences.h"
#include "net/CurlTransfer.h"
#include "notifications/LocalMail.h"
#include "process/ChildProcess.h"

#include <QString>

#include <chrono>

namespace ck::notifications {

class SystemNotices {
public:
    // A local sendmail hands the message to its queue at once; one that takes longer is stuck.
    static constexpr std::chrono::seconds kSendmailTimeout{30};

    SystemNotices(asio::io_context& ioc, logging::Logger& log, QString logsDir, const Clock& clock);

    // After a request ended (`failure` empty on success; `item` as stored after it).
    void requestFinished(const ManagedCertificate& item, const QString& failure,
                         int previousFailures, const NotificationSettings& settings);

    // The service is stopping: a sendmail still running is stopped now rather than at its time
    // limit, and none is started any more.
    void stop() { m_sendmail.stopChildren(); }

private:
    void writeJournal(const ManagedCertificate& item, const QString& failure, int previousFailures);
    void mailRootIfDue(const ManagedCertificate& item, const QString& failure,
                       int previousFailures);
    awaitable<void> sendToRoot(QString itemId, QString sendmail, net::MailMessage mail);

    asio::io_context& m_ioc;
    logging::Logger& m_log;
    QString m_logsDir;
    const Clock& m_clock;
    QString m_hostName;
    QString m_userName;
    bool m_journalFailed = false;         // said once in the service log, not at every failure
    bool m_noSendmailSaid = false;        // the same
    MailThrottle m_throttle;              // used on the network thread only
    process::ProcessRunner m_sendmail{2}; // last: joined before the rest goes away
};

} // namespace ck::notifications
