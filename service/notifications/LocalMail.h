#pragma once
// Mail to the machine's administrator, root, through the local `sendmail`, about a renewal that
// failed while no email notifications are set up. Every Unix mail system (Postfix, Exim,
// OpenSMTPD, nullmailer, msmtp-mta, dma) installs a `sendmail` that delivers root's mail to its
// mailbox or forwards it where /etc/aliases says, so this reaches whoever runs the machine with
// nothing to set up in Certkeeper.

#include "model/ManagedCertificate.h"
#include "model/Preferences.h"
#include "net/CurlTransfer.h"

#include <QDateTime>
#include <QString>

#include <chrono>
#include <map>

namespace ck::notifications {

// The sendmail to run: `sendmail` in PATH, else /usr/sbin/sendmail, else /usr/lib/sendmail (the
// places mail systems install it); empty when there is none that may be executed.
QString findSendmail();

// Whether the email notifications of this item (its override, else the global targets) would
// send someone a message: an address is listed and a mail server is set. Then root is not
// mailed: the user has chosen where mail about certificates goes (and whether failures are
// mailed at all, with onFailure).
bool emailConfigured(const ManagedCertificate& item, const NotificationSettings& settings);

// The message to root about a failed request (`item` as stored after it), from
// "certkeeper-service on <host>" <user@host>. Addresses in the failure are cut to their host.
net::MailMessage mailToRoot(const ManagedCertificate& item, const QString& failure,
                            int previousFailures, const QString& hostName, const QString& userName);

// How often root is mailed about one certificate: at the first failure of a run of failures,
// then at most once a day while it goes on failing (a failing renewal is retried at every
// scheduler run at first, then hours apart: one mail per attempt would be dozens a day). A
// success ends the run, so the next failure is mailed at once. Kept in memory: a restart may
// mail one more time.
class MailThrottle {
public:
    static constexpr std::chrono::hours kInterval{24};

    // Whether a failure of `itemId` at `now` is mailed; when not, `why` says why for its log.
    bool due(const QString& itemId, const QDateTime& now, QString* why) const;
    void mailed(const QString& itemId, const QDateTime& now) { m_lastMailed[itemId] = now; }
    void succeeded(const QString& itemId) { m_lastMailed.erase(itemId); }

private:
    std::map<QString, QDateTime> m_lastMailed;
};

} // namespace ck::notifications
