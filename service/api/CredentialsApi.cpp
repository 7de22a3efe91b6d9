// /api/credentials: stored credentials for providers. Answers never carry a secret; a
// credential that a managed certificate still uses cannot be deleted.

#include "api/ApiContext.h"
#include "api/RequestDecode.h"
#include "credentials/CredentialStore.h"
#include "dnsapi/LexiconCatalogue.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "logging/Logger.h"
#include "model/DeploymentTaskTypes.h"
#include "model/PlainText.h"
#include "preview/CredentialTester.h"
#include "store/PreferencesStore.h"
#include "store/StoreWorker.h"

#include <QJsonArray>

namespace ck::api {

namespace {
// A task whose credential parameter (the ssh task's key) names it.
bool taskUsesCredential(const DeploymentTask& task, const QString& id) {
    const TaskTypeSpec* type = findTaskType(task.type);
    return type && std::any_of(type->parameters.begin(), type->parameters.end(),
                               [&](const TaskParameterSpec& p) {
                                   return p.kind == TaskParameterKind::Credential &&
                                          task.parameters.value(p.key).toString() == id;
                               });
}

bool usesCredential(const ManagedCertificate& item, const QString& id) {
    if (item.requestConfig.pfxPasswordCredentialId == id)
        return true;
    for (const auto* tasks : {&item.preRequestTasks, &item.postRequestTasks})
        for (const DeploymentTask& task : *tasks)
            if (taskUsesCredential(task, id))
                return true;
    return std::any_of(item.requestConfig.challenges.begin(), item.requestConfig.challenges.end(),
                       [&](const ChallengeConfig& c) { return c.credentialId == id; });
}

NotFoundError notFound(const QString& id) {
    return NotFoundError(QStringLiteral("No stored credential has the id '%1'").arg(id));
}
} // namespace

void addCredentialRoutes(http::Router& router, CredentialRouteServices ctx) {
    router.add(
        beast::http::verb::get, "/api/credentials/types",
        [ctx](http::RequestContext&) -> awaitable<HttpResponse> {
            QJsonArray arr;
            const auto dns = co_await dnsapi::settledCatalogue(ctx.dns);
            for (const auto& t : dns->credentialTypes())
                arr.append(t.toJson());
            co_return http::jsonResponse(beast::http::status::ok, QJsonObject{{"items", arr}});
        });

    router.add(
        beast::http::verb::get, "/api/credentials",
        [ctx](http::RequestContext&) -> awaitable<HttpResponse> {
            QJsonArray arr;
            for (const auto& c : ctx.credentials.list())
                arr.append(c.toJson());
            co_return http::jsonResponse(beast::http::status::ok, QJsonObject{{"items", arr}});
        });

    router.add(
        beast::http::verb::post, "/api/credentials",
        [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
            const QJsonObject body = req.jsonBody();
            QList<FieldError> typeErrors;
            for (const char* key : {"type", "title"})
                if (!body.value(QLatin1String(key)).isString())
                    typeErrors.append({QLatin1String(key), QStringLiteral("must be text")});
            if (!body.value(QLatin1String("values")).isObject())
                typeErrors.append({QStringLiteral("values"),
                                   QStringLiteral("must be an object of field values")});
            if (const auto problem = lineTextProblem(body.value(QLatin1String("title")).toString(),
                                                     QStringLiteral("The credential's name")))
                typeErrors.append({QStringLiteral("title"), *problem}); // logs quote it
            refuseIfMalformed(typeErrors);
            co_await dnsapi::settledCatalogue(ctx.dns); // lexicon's types are known
            const StoredCredential created =
                ctx.credentials.create(body.value(QLatin1String("type")).toString(),
                                       body.value(QLatin1String("title")).toString(),
                                       body.value(QLatin1String("values")).toObject());
            ctx.log.info(
                QStringLiteral("Stored credential '%1' (%2)").arg(created.title, created.type));
            co_return http::jsonResponse(beast::http::status::created, created.toJson());
        });

    router.add(beast::http::verb::post, "/api/credentials/{id}/test",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const QString id = req.param("id");
                   auto credential = ctx.credentials.find(id);
                   if (!credential)
                       throw notFound(id);
                   const CredentialTest answer = co_await preview::testStoredCredential(
                       std::move(*credential), ctx.credentials, ctx.processes, ctx.log, ctx.dns);
                   co_return http::jsonResponse(beast::http::status::ok, answer.toJson());
               });

    router.add(beast::http::verb::delete_, "/api/credentials/{id}",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const QString id = req.param("id");
                   const auto credential = ctx.credentials.find(id);
                   if (!credential)
                       throw notFound(id);
                   auto work = [id](store::ItemStore& s) {
                       QStringList users;
                       for (const auto& item : s.all())
                           if (usesCredential(item, id))
                               users << item.name;
                       return users;
                   };
                   QStringList users = co_await ctx.store.run(std::move(work));
                   const Preferences& settings = ctx.settings.current();
                   if (settings.notifications.smtp.passwordCredentialId == id)
                       users << QStringLiteral("the notification settings (SMTP password)");
                   if (settings.defaultPfxPasswordCredentialId == id)
                       users << QStringLiteral("the settings (default PFX password)");
                   if (!users.isEmpty())
                       throw ConflictError(
                           QStringLiteral("'%1' is used by %2; change those first")
                               .arg(credential->title, users.join(QStringLiteral(", "))));
                   ctx.credentials.remove(id);
                   ctx.log.info(QStringLiteral("Removed credential '%1'").arg(credential->title));
                   co_return http::emptyResponse(beast::http::status::no_content);
               });
}

} // namespace ck::api
