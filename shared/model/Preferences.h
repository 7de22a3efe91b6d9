#pragma once
// The service's preferences (settings.json, GET/PUT /api/settings): renewal defaults, how often
// the scheduler looks and how much it runs at once, and notifications. Unlike
// serviceconfig.json (how the service binds), these change while it runs.

#include "ApiError.h"
#include "model/Notifications.h"
#include "model/RenewalPolicy.h"

#include <QJsonObject>

namespace ck {

struct NotificationSettings {
    NotificationTargets targets;
    SmtpSettings smtp;
    // Failure notices that need no setting up: a failed renewal is written to the system journal
    // at error priority, and mailed to root through the machine's own mail server or sendmail
    // when no email is set up (service/notifications/SystemNotices.h). False turns both off.
    bool systemNotices = true;
    bool operator==(const NotificationSettings&) const = default;
};

struct Preferences {
    // False pauses automatic renewal for the whole service (a maintenance window, or a backup
    // restored onto a second machine that must not renew the same certificates): the scheduler
    // starts nothing on its own, but finishes orders a stopped service left under way, and
    // requests and renewals asked for by hand still run.
    bool automaticRenewal = true;
    RenewalPolicy renewal;
    int renewalCheckIntervalMinutes = 5;
    int maxParallelRenewals = 4;
    // A renewal still running after this long is released (and logged) so the item can be
    // tried again; the CA's own timeouts normally end it long before.
    int renewalTimeoutMinutes = 60;
    QString defaultPfxPasswordCredentialId;
    NotificationSettings notifications;
    bool operator==(const Preferences&) const = default;
};

QJsonObject toJson(const Preferences& p);
Preferences preferencesFromJson(const QJsonObject& o, QList<FieldError>* errors);
QList<FieldError> validatePreferences(const Preferences& p);
// For a settings.json written before every field was checked: puts back values that were only
// checked once email was set up (a port out of range, a sender that is not an address) and says
// what it changed.
QStringList repairUncheckedSettings(Preferences& p);

} // namespace ck
