// Deployment tasks: GET /api/deploymenttasks/types (the catalogue the app builds task forms
// from) and POST /api/managedcertificates/{id}/deploy (run the item's tasks now, without a
// request: all post-request tasks, or one task by id). The deploy answer lists every task's
// result; a failed task is a result, not an HTTP error, and its message is in the item's log too.

#include "api/ApiContext.h"
#include "api/ServiceState.h"
#include "deploy/DeploymentRunner.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "logging/ItemLog.h"
#include "request/RequestService.h"
#include "store/StoreWorker.h"

#include "config/DataPaths.h"
#include "model/DeploymentTaskTypes.h"

#include <QJsonArray>

namespace ck::api {

void addDeployRoutes(http::Router& router, DeployRouteServices ctx) {
    router.add(
        beast::http::verb::get, "/api/deploymenttasks/types",
        [](http::RequestContext&) -> awaitable<HttpResponse> {
            QJsonArray items;
            for (const auto& type : deploymentTaskTypes())
                items.append(type.toJson());
            co_return http::jsonResponse(beast::http::status::ok, QJsonObject{{"items", items}});
        });

    router.add(
        beast::http::verb::post, "/api/managedcertificates/{id}/deploy",
        [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
            const QJsonObject body = req.jsonBody();
            const QJsonValue taskValue = body.value(QLatin1String("taskId"));
            if (!taskValue.isUndefined() && !taskValue.isNull() && !taskValue.isString())
                throw MalformedInputError(
                    QStringLiteral("taskId must be the id of one task, as text"),
                    QStringLiteral("taskId"));
            const QString taskId = taskValue.toString().trimmed();
            const QString id = req.param("id");
            auto load = [id](store::ItemStore& s) { return s.get(id); };
            const ManagedCertificate item = co_await ctx.store.run(std::move(load));
            if (ctx.requests.isActive(item.id))
                throw ConflictError(
                    QStringLiteral("A request for '%1' is running; its post-request "
                                   "tasks run when it finishes")
                        .arg(item.name));
            logging::ItemLog log(paths::file(ctx.state.dataDir, paths::kLogsDir), item.id, ctx.log);
            const QList<TaskRunResult> results = co_await ctx.deploy.deployNow(item, taskId, log);
            co_return http::jsonResponse(beast::http::status::ok, taskRunResultsToJson(results));
        });
}

} // namespace ck::api
