// ApiClient's calls on managed certificates: the list and its summary, one item, requests,
// revocation, the item's log, renewals, many new items at once, deployment, Preview and Test.

#include "client/ApiCalls.h"

namespace ck {

using namespace api_calls;

void ApiClient::listItems(const ListQuery& query, QObject* context, OnSuccess<ItemPage> ok,
                          OnFailure fail) {
    sendRevalidated(kItems, query.toUrlQuery(), context,
                    revalidated<ItemPage>(&ItemPage::fromJson, std::move(ok), fail), fail);
}

void ApiClient::summary(QObject* context, OnSuccess<ItemSummary> ok, OnFailure fail) {
    sendRevalidated(kItems + QStringLiteral("/summary"), {}, context,
                    revalidated<ItemSummary>(&ItemSummary::fromJson, std::move(ok), fail), fail);
}

void ApiClient::getItem(const QString& id, QObject* context, OnSuccess<ManagedCertificate> ok,
                        OnFailure fail) {
    send("GET", itemPath(id), {}, std::nullopt, context,
         decoding(managedCertificateFromJson, std::move(ok), fail), fail);
}

namespace {
// An item as a create body: the service assigns the id.
QJsonObject createBody(const ManagedCertificate& item) {
    QJsonObject body = toJson(item);
    body.remove(QStringLiteral("id"));
    return body;
}
} // namespace

void ApiClient::createItem(const ManagedCertificate& item, QObject* context,
                           OnSuccess<ManagedCertificate> ok, OnFailure fail) {
    send("POST", kItems, {}, createBody(item), context,
         decoding(managedCertificateFromJson, std::move(ok), fail), fail);
}

void ApiClient::updateItem(const ManagedCertificate& item, QObject* context,
                           OnSuccess<ManagedCertificate> ok, OnFailure fail) {
    send("PUT", itemPath(item.id), {}, toJson(item), context,
         decoding(managedCertificateFromJson, std::move(ok), fail), fail);
}

void ApiClient::deleteItem(const QString& id, QObject* context, OnSuccess<QString> ok,
                           OnFailure fail) {
    send("DELETE", itemPath(id), {}, std::nullopt, context, answersWith(id, std::move(ok)),
         std::move(fail));
}

void ApiClient::requestCertificate(const QString& id, QObject* context,
                                   OnSuccess<RequestStarted> ok, OnFailure fail) {
    send("POST", itemPath(id) + QStringLiteral("/request"), {}, QJsonObject{}, context,
         decoding(&RequestStarted::fromJson, std::move(ok), fail), fail);
}

void ApiClient::revokeCertificate(const QString& id, int reason, QObject* context,
                                  OnSuccess<ManagedCertificate> ok, OnFailure fail) {
    send("POST", itemPath(id) + QStringLiteral("/revoke"), {}, QJsonObject{{"reason", reason}},
         context, decoding(managedCertificateFromJson, std::move(ok), fail), fail);
}

void ApiClient::itemLog(const QString& id, int limit, QObject* context,
                        OnSuccess<QList<LogEntry>> ok, OnFailure fail) {
    send("GET", itemPath(id) + QStringLiteral("/log"),
         QUrlQuery{{QStringLiteral("limit"), QString::number(limit)}}, std::nullopt, context,
         decoding(arrayOf("entries", &LogEntry::fromJson), std::move(ok), fail), fail);
}

void ApiClient::createItems(const QList<ManagedCertificate>& items, bool dryRun, QObject* context,
                            OnSuccess<BatchCreateResult> ok, OnFailure fail,
                            const CallOptions& options) {
    QJsonArray list;
    for (const auto& item : items)
        list.append(createBody(item));
    send("POST", kItems + QStringLiteral("/batch"), {},
         QJsonObject{{"items", list}, {"dryRun", dryRun}}, context,
         decoding(&BatchCreateResult::fromJson, std::move(ok), fail), fail, options);
}

void ApiClient::adoptCertificates(const AdoptionRequest& request, bool apply, QObject* context,
                                  OnSuccess<AdoptionPlan> ok, OnFailure fail,
                                  const CallOptions& options) {
    send("POST",
         apply ? QStringLiteral("/api/adoption/apply") : QStringLiteral("/api/adoption/plan"), {},
         request.toJson(), context, decoding(&AdoptionPlan::fromJson, std::move(ok), fail), fail,
         options);
}

void ApiClient::renewItems(const QStringList& ids, QObject* context, OnSuccess<RenewalsStarted> ok,
                           OnFailure fail) {
    QJsonObject body;
    if (!ids.isEmpty())
        body.insert("ids", QJsonArray::fromStringList(ids));
    send("POST", kItems + QStringLiteral("/renew"), {}, body, context,
         decoding(&RenewalsStarted::fromJson, std::move(ok), fail), fail);
}

// --- Deployment tasks ---

void ApiClient::deploymentTaskTypes(QObject* context, OnSuccess<QList<TaskTypeSpec>> ok,
                                    OnFailure fail) {
    send("GET", QStringLiteral("/api/deploymenttasks/types"), {}, std::nullopt, context,
         decoding(arrayOf("items", &TaskTypeSpec::fromJson), std::move(ok), fail), fail);
}

void ApiClient::deploy(const QString& id, const QString& taskId, QObject* context,
                       OnSuccess<QList<TaskRunResult>> ok, OnFailure fail,
                       const CallOptions& options) {
    QJsonObject body;
    if (!taskId.isEmpty())
        body.insert(QStringLiteral("taskId"), taskId);
    send("POST", itemPath(id) + QStringLiteral("/deploy"), {}, body, context,
         decoding(arrayOf("results", &TaskRunResult::fromJson), std::move(ok), fail), fail,
         options);
}

// --- Preview and Test ---

void ApiClient::postToItem(const QString& id, const QString& action,
                           const std::optional<ManagedCertificate>& edits, QObject* context,
                           OnJson ok, OnFailure fail, const CallOptions& options) {
    const QString path = (id.isEmpty() ? kItems : itemPath(id)) + u'/' + action;
    QJsonObject body;
    if (edits)
        body.insert(QStringLiteral("item"), toJson(*edits));
    send("POST", path, {}, body, context, std::move(ok), std::move(fail), options);
}

void ApiClient::previewItem(const QString& id, const std::optional<ManagedCertificate>& edits,
                            QObject* context, OnSuccess<QList<ActionStep>> ok, OnFailure fail,
                            const CallOptions& options) {
    postToItem(id, QStringLiteral("preview"), edits, context,
               decoding(previewFromJson, std::move(ok), fail), fail, options);
}

void ApiClient::testItem(const QString& id, const std::optional<ManagedCertificate>& edits,
                         QObject* context, OnSuccess<TestReport> ok, OnFailure fail,
                         const CallOptions& options) {
    postToItem(id, QStringLiteral("test"), edits, context,
               decoding(testReportFromJson, std::move(ok), fail), fail, options);
}

} // namespace ck
