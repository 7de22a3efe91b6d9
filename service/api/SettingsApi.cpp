// /api/settings: the service's preferences (renewal defaults, scheduler limits, notifications),
// kept in settings.json. PUT takes a whole or partial document: fields left out keep their
// current values; every problem is reported at its field. POST
// /api/settings/notifications/test sends a test message through the saved settings.

#include "api/ApiContext.h"
#include "api/RequestDecode.h"
#include "api/ServiceState.h"
#include "credentials/CredentialStore.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "logging/Logger.h"
#include "notifications/Notifier.h"
#include "renewal/RenewalScheduler.h"
#include "store/PreferencesStore.h"

#include <QFileInfo>
#include <QSysInfo>

namespace ck::api {

namespace {
// `patch` over `base`: objects merge member by member, anything else replaces.
QJsonObject mergeObjects(QJsonObject base, const QJsonObject& patch) {
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        const QJsonValue current = base.value(it.key());
        if (current.isObject() && it.value().isObject())
            base.insert(it.key(), mergeObjects(current.toObject(), it.value().toObject()));
        else
            base.insert(it.key(), it.value());
    }
    return base;
}

// What validatePreferences cannot know: the stored credentials and the service's files.
QList<FieldError> checkReferences(const Preferences& p,
                                  const credentials::CredentialStore& credentials) {
    QList<FieldError> errors;
    auto credential = [&](const QString& id, const char* field) {
        if (!id.isEmpty() && !credentials.find(id))
            errors.append({QLatin1String(field),
                           QStringLiteral("no stored credential has the id '%1'").arg(id)});
    };
    credential(p.notifications.smtp.passwordCredentialId,
               "notifications.smtp.passwordCredentialId");
    credential(p.defaultPfxPasswordCredentialId, "defaultPfxPasswordCredentialId");
    const SmtpSettings& smtp = p.notifications.smtp;
    static const QStringList loopback{QStringLiteral("localhost"), QStringLiteral("127.0.0.1"),
                                      QStringLiteral("::1")};
    if (smtp.security == SmtpSecurity::None && !smtp.passwordCredentialId.isEmpty() &&
        !loopback.contains(smtp.host))
        errors.append({QStringLiteral("notifications.smtp.security"),
                       QStringLiteral("the password would cross the network unencrypted; choose "
                                      "starttls or tls")});
    const QString& root = smtp.trustedRootFile;
    if (!root.isEmpty() && !QFileInfo(root).isReadable())
        errors.append({QStringLiteral("notifications.smtp.trustedRootFile"),
                       QStringLiteral("the service cannot read %1").arg(root)});
    return errors;
}
} // namespace

void addSettingsRoutes(http::Router& router, SettingsRouteServices ctx) {
    router.add(beast::http::verb::get, "/api/settings",
               [ctx](http::RequestContext&) -> awaitable<HttpResponse> {
                   co_return http::jsonResponse(beast::http::status::ok,
                                                toJson(ctx.settings.current()));
               });

    router.add(beast::http::verb::put, "/api/settings",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const QJsonObject merged =
                       mergeObjects(toJson(ctx.settings.current()), req.jsonBody());
                   const Preferences p = decodeOrRefuse(merged, preferencesFromJson);
                   refuseIfInvalid(validatePreferences(p) + checkReferences(p, ctx.credentials));
                   ctx.settings.save(p);
                   ctx.log.info(QStringLiteral("Settings saved to %1").arg(ctx.settings.path()));
                   ctx.scheduler.wake(); // plan every item again with the new settings now
                   co_return http::jsonResponse(beast::http::status::ok, toJson(p));
               });

    router.add(
        beast::http::verb::post, "/api/settings/notifications/test",
        [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
            const QString channel = req.jsonBody().value(QLatin1String("channel")).toString();
            if (channel != QLatin1String("email") && channel != QLatin1String("webhook"))
                throw MalformedInputError(QStringLiteral("Say which channel to test: \"email\" or "
                                                         "\"webhook\""),
                                          QStringLiteral("channel"));
            const QString address = QStringLiteral("%1 (port %2)")
                                        .arg(QSysInfo::machineHostName())
                                        .arg(ctx.state.bind.boundPort);
            const notifications::Channel which = channel == QLatin1String("email")
                                                     ? notifications::Channel::Email
                                                     : notifications::Channel::Webhook;
            const NotificationSettings settings = ctx.settings.current().notifications;
            const QString message = co_await ctx.notifier.sendTest(which, settings, address);
            co_return http::jsonResponse(beast::http::status::ok,
                                         QJsonObject{{"ok", true}, {"message", message}});
        });
}

} // namespace ck::api
