#pragma once
// Mail to the machine's administrator, root, about a renewal that failed while no email
// notifications are set up. It is handed to the machine's own mail server by SMTP first
// (serviceconfig.json "localMailServer", localhost:25 by default, where Postfix, Exim, OpenSMTPD
// and sendmail listen out of the box): that needs no privilege, so it works under the packaged
// unit's hardening (NoNewPrivileges=, ProtectSystem=strict), which stops a sendmail that queues
// through a setuid or setgid helper. When nothing accepts it there, the local `sendmail` is run:
// every Unix mail system (nullmailer, msmtp-mta and dma too, which listen on no port) installs
// one. Either way root's mail reaches its mailbox, or wherever /etc/aliases sends it, with
// nothing to set up in Certkeeper.

#include "model/ManagedCertificate.h"
#include "model/Preferences.h"
#include "net/CurlTransfer.h"

#include <QDateTime>
#include <QString>

#include <atomic>
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

// The machine's mail server as serviceconfig.json "localMailServer" names it; no host: not used.
struct LocalMailServer {
    // Connecting to a mail server on this machine takes a moment or fails at once; a host that
    // drops the connection attempts falls through to sendmail after this.
    static constexpr std::chrono::seconds kConnectTimeout{2};
    static constexpr std::chrono::seconds kTimeout{30}; // the whole exchange, as sendmail's limit

    QString host; // a name or an IP address (IPv6 without brackets)
    int port = 25;

    bool isSet() const { return !host.isEmpty(); }
    QString address() const; // "localhost:25", "[::1]:25"
    // Plain SMTP without login (the server is on this machine; STARTTLS is not asked for),
    // given up when `stop` turns true.
    net::MailServer mailServer(const std::atomic<bool>* stop) const;
};

// The mail to root (mailToRoot) as handed to a mail server by SMTP: from
// certkeeper-service@<host>, to root@localhost, a domain every mail server takes as its own
// (Postfix's mydestination and Exim's local_domains hold it by default; an address without a
// domain is refused over SMTP by Exim and sendmail).
net::MailMessage forMailServer(net::MailMessage mail, const QString& hostName);

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
