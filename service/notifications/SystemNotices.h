#pragma once
// Failure notices with no configuration: the channel beside the Notifier's webhook and email
// that needs nothing set up. After each request it
//  - writes a failure to the system journal at priority err (and a recovery at notice), see
//    SystemJournal.h;
//  - mails root when the request failed and no email notification is set up for the item, at
//    most once a day per item while it keeps failing: through the machine's own mail server by
//    SMTP (serviceconfig.json "localMailServer"), else, when nothing takes it there, through the
//    local sendmail (LocalMail.h).
// The setting notifications.systemNotices (on by default) turns both off.
//
// The SMTP exchange and sendmail run on this channel's own two threads, never on the network
// thread, each with a time limit (connecting to the mail server: 2 s); a hanging sendmail is
// stopped (its whole process group) when the limit passes or the service stops, and an SMTP
// exchange is given up then too, so neither holds up renewals, the Notifier's senders or a stop.
// How root was mailed, or why not (both ways' reasons), goes to the item's log; that there is
// no way at all (nothing at the mail server's address and no sendmail) goes once to the service
// log.

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

    SystemNotices(asio::io_context& ioc, logging::Logger& log, QString logsDir, const Clock& clock,
                  LocalMailServer mailServer);

    // After a request ended (`failure` empty on success; `item` as stored after it).
    void requestFinished(const ManagedCertificate& item, const QString& failure,
                         int previousFailures, const NotificationSettings& settings);

    // The service is stopping: a sendmail still running is stopped now rather than at its time
    // limit, an SMTP exchange is given up, and neither is started any more.
    void stop() { m_workers.stopChildren(); }

private:
    void writeJournal(const ManagedCertificate& item, const QString& failure, int previousFailures);
    void mailRootIfDue(const ManagedCertificate& item, const QString& failure,
                       int previousFailures);
    awaitable<void> sendToRoot(QString itemId, net::MailMessage mail);
    // Both return an empty string when the mail was handed over, else why not.
    awaitable<QString> sendThroughMailServer(const net::MailMessage& mail);
    awaitable<QString> sendThroughSendmail(const QString& sendmail, const net::MailMessage& mail);
    void sayNoWayOnce(const QString& mailServerFailure);

    asio::io_context& m_ioc;
    logging::Logger& m_log;
    QString m_logsDir;
    const Clock& m_clock;
    QString m_hostName;
    QString m_userName;
    LocalMailServer m_mailServer;
    bool m_journalFailed = false;        // said once in the service log, not at every failure
    bool m_noWaySaid = false;            // the same
    MailThrottle m_throttle;             // used on the network thread only
    process::ProcessRunner m_workers{2}; // last: joined before the rest goes away
};

} // namespace ck::notifications
