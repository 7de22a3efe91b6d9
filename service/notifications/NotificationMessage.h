#pragma once
// What a notification says, and when one is sent: plain text a person can act on (which
// certificate, its names, what went wrong, when the next attempt is) and the same facts as JSON
// for a webhook. Never a secret: the texts come from the item's names, dates and the error
// message, which the service never fills with keys or passwords.

#include "model/ManagedCertificate.h"
#include "model/Notifications.h"

#include <QJsonObject>
#include <QString>

namespace ck::notifications {

struct NotificationText {
    QString subject;
    QString body;        // plain text
    QJsonObject webhook; // the facts, with "subject" and "text" (the body) for chat webhooks
};

// Whether a request's outcome is worth a message to `targets`. Failures: the first one, and
// each one after the quick retries (those come minutes apart, the later ones hours apart), so a
// broken renewal is not a flood of mail. Success: when asked for, and always when failures had
// been reported before (the problem is gone).
bool shouldNotify(const NotificationTargets& targets, bool failed, int failureCount,
                  int previousFailures);

// The message for a finished request: `failure` empty for a success. `item` as stored after it.
NotificationText describeOutcome(const ManagedCertificate& item, const QString& failure,
                                 int previousFailures);
// The message sent by the "send a test" button.
NotificationText describeTest(const QString& serviceAddress);

// When the item is tried next, in words: a UTC time, or why there is none.
QString nextAttemptText(const ManagedCertificate& item);

// `text` with every http(s) address cut down to its scheme and host
// ("https://hooks.example.com/…"): a path or query may hold a secret token (a webhook's usually
// does), and so may a user:password@ part. For texts that leave the service for places others read
// (the system journal, mail to root); the item's own log keeps the whole message.
QString withoutUrlPaths(const QString& text);

// The targets for an item: its own override, else the global ones.
NotificationTargets targetsFor(const ManagedCertificate& item, const NotificationTargets& global);

} // namespace ck::notifications
