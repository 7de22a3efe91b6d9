#include "ApiClient.h"

#include "ConnectionDiagnosis.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

namespace ck {

namespace {
const QString kItems = QStringLiteral("/api/managedcertificates");

QString itemPath(const QString& id) {
    // Percent-encoded so that an id typed by a user cannot name another route.
    return kItems + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

QString describeFieldErrors(const QList<FieldError>& errors) {
    QStringList parts;
    for (const auto& e : errors)
        parts.append(QStringLiteral("%1: %2").arg(e.field, e.detail));
    return parts.join(QStringLiteral("; "));
}

ApiError unreadableAnswer(const QString& why) {
    return ApiError(ApiError::Kind::Internal,
                    QStringLiteral("The service's answer could not be read (%1). Are the app and "
                                   "the service the same version?")
                        .arg(why));
}
} // namespace

QJsonObject ServiceVersion::toJson() const {
    return {{"product", product}, {"version", version}, {"apiVersion", apiVersion}};
}

ServiceVersion ServiceVersion::fromJson(const QJsonObject& o) {
    return {o.value("product").toString(), o.value("version").toString(),
            o.value("apiVersion").toInt()};
}

// One request in flight, kept so that it can be sent again when the service has moved.
struct ApiClient::Call {
    QByteArray verb;
    QString path;
    QUrlQuery query;
    std::optional<QJsonObject> body;
    QPointer<QObject> context;
    OnJson ok;
    OnFailure fail;
    std::chrono::milliseconds timeout{};
    ServerEntry server; // where it went
    ApiToken token;     // what it carried
    bool followedMove = false;
    bool cancelled = false;
};

ApiClient::ApiClient(ServerEntry server, QString dataDir, QObject* parent)
    : QObject(parent), m_server(std::move(server)), m_dataDir(std::move(dataDir)),
      m_network(new QNetworkAccessManager(this)) {
    // The service is on this machine. A proxy from the environment (http_proxy) would at best
    // fail and at worst receive the API token.
    m_network->setProxy(QNetworkProxy::NoProxy);
}

ApiClient::~ApiClient() = default;

QNetworkRequest ApiClient::buildRequest(const QString& path, const QUrlQuery& query,
                                        const ApiToken& token, bool hasBody,
                                        std::chrono::milliseconds timeout) const {
    QUrl url(m_server.baseUrl());
    url.setPath(path, QUrl::TolerantMode);
    if (!query.isEmpty())
        url.setQuery(query);
    QNetworkRequest request(url);
    if (token.ok())
        request.setRawHeader("Authorization", "Bearer " + token.token.toLatin1());
    request.setRawHeader("Accept", "application/json");
    if (hasBody)
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    // Never follow a redirect: the token must go to the service and nowhere else.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(int(timeout.count()));
    return request;
}

void ApiClient::send(const QByteArray& verb, const QString& path, const QUrlQuery& query,
                     std::optional<QJsonObject> body, QObject* context, OnJson ok, OnFailure fail,
                     const CallOptions& options) {
    Q_ASSERT(context);
    auto call = std::make_shared<Call>();
    call->verb = verb;
    call->path = path;
    call->query = query;
    call->body = std::move(body);
    call->context = context;
    call->ok = std::move(ok);
    call->fail = std::move(fail);
    call->timeout = options.timeout.value_or(m_timeout);
    start(std::move(call));
}

void ApiClient::start(std::shared_ptr<Call> call) {
    call->server = m_server;
    // Read for every request: the service may have been started (or its token renewed) since.
    // A missing token still sends the request, so that "not running" can be told apart from
    // "running, but the token cannot be read".
    call->token = ApiToken::read(m_server.tokenFile);
    const QNetworkRequest request =
        buildRequest(call->path, call->query, call->token, call->body.has_value(), call->timeout);
    QNetworkReply* reply =
        call->body
            ? m_network->sendCustomRequest(
                  request, call->verb, QJsonDocument(*call->body).toJson(QJsonDocument::Compact))
            : m_network->sendCustomRequest(request, call->verb);
    connect(reply, &QNetworkReply::finished, this, [this, call, reply] {
        reply->deleteLater();
        if (!call->cancelled && call->context)
            finish(call, reply);
    });
    connect(call->context.data(), &QObject::destroyed, reply, [call, reply] {
        call->cancelled = true;
        reply->abort();
    });
}

std::optional<ApiError> ApiClient::connectionFailure(const std::shared_ptr<Call>& call,
                                                     QNetworkReply* reply, int httpStatus) {
    ConnectionAttempt attempt;
    attempt.dataDir = m_dataDir;
    attempt.server = call->server;
    attempt.failure =
        httpStatus == 401 ? ConnectionFailure::Unauthorized : classifyNetworkError(reply->error());
    attempt.errorText = reply->errorString();
    attempt.timeoutSeconds = int(std::chrono::ceil<std::chrono::seconds>(call->timeout).count());
    attempt.token = call->token;
    if (httpStatus == 401)
        attempt.serviceDetail =
            QJsonDocument::fromJson(reply->readAll()).object().value("detail").toString();
    const auto diagnosis = ConnectionDiagnosis::diagnose(attempt);
    if (diagnosis.movedTo && !call->followedMove) {
        if (m_server == call->server) // unless someone chose another server meanwhile
            m_server = *diagnosis.movedTo;
        Q_EMIT serverMoved(m_server, diagnosis.explanation);
        call->followedMove = true;
        start(call);
        return std::nullopt;
    }
    // A token that cannot be read is a connection problem (fix the setup); a token the service
    // refuses is an authorization problem.
    const bool unauthorized = httpStatus == 401 && !diagnosis.tokenProblem;
    return ApiError(unauthorized ? ApiError::Kind::Unauthorized : ApiError::Kind::Connection,
                    diagnosis.explanation);
}

void ApiClient::finish(const std::shared_ptr<Call>& call, QNetworkReply* reply) {
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;
    if (status == 0 || status == 401) {
        if (auto error = connectionFailure(call, reply, status))
            call->fail(*error);
        return;
    }
    const QByteArray bytes = reply->readAll();
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (status >= 300) {
        if (document.isObject()) {
            call->fail(ApiError::fromProblemJson(status, document.object()));
        } else {
            const QString reason =
                reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
            call->fail(
                ApiError(ApiError::kindForStatus(status),
                         QStringLiteral("The service answered %1 %2").arg(status).arg(reason)));
        }
        return;
    }
    if (bytes.isEmpty()) {
        call->ok({});
        return;
    }
    if (!document.isObject()) {
        call->fail(unreadableAnswer(parseError.error != QJsonParseError::NoError
                                        ? parseError.errorString()
                                        : QStringLiteral("not a JSON object")));
        return;
    }
    call->ok(document.object());
}

void ApiClient::decodeItem(const QJsonObject& body, const OnSuccess<ManagedCertificate>& ok,
                           const OnFailure& fail) {
    QList<FieldError> errors;
    const auto item = managedCertificateFromJson(body, &errors);
    if (!errors.isEmpty())
        fail(unreadableAnswer(describeFieldErrors(errors)));
    else
        ok(item);
}

void ApiClient::appVersion(QObject* context, OnSuccess<ServiceVersion> ok, OnFailure fail) {
    send(
        "GET", QStringLiteral("/api/system/appversion"), {}, std::nullopt, context,
        [ok](const QJsonObject& body) { ok(ServiceVersion::fromJson(body)); }, std::move(fail));
}

void ApiClient::diagnostics(QObject* context, OnSuccess<QJsonObject> ok, OnFailure fail) {
    send("GET", QStringLiteral("/api/system/diagnostics"), {}, std::nullopt, context, std::move(ok),
         std::move(fail));
}

void ApiClient::listItems(const ListQuery& query, QObject* context, OnSuccess<ItemPage> ok,
                          OnFailure fail) {
    send(
        "GET", kItems, query.toUrlQuery(), std::nullopt, context,
        [ok, fail](const QJsonObject& body) {
            QList<FieldError> errors;
            const auto page = ItemPage::fromJson(body, &errors);
            if (!errors.isEmpty())
                fail(unreadableAnswer(describeFieldErrors(errors)));
            else
                ok(page);
        },
        fail);
}

void ApiClient::summary(QObject* context, OnSuccess<ItemSummary> ok, OnFailure fail) {
    send(
        "GET", kItems + QStringLiteral("/summary"), {}, std::nullopt, context,
        [ok](const QJsonObject& body) { ok(ItemSummary::fromJson(body)); }, std::move(fail));
}

void ApiClient::getItem(const QString& id, QObject* context, OnSuccess<ManagedCertificate> ok,
                        OnFailure fail) {
    send(
        "GET", itemPath(id), {}, std::nullopt, context,
        [ok, fail](const QJsonObject& body) { decodeItem(body, ok, fail); }, fail);
}

void ApiClient::createItem(const ManagedCertificate& item, QObject* context,
                           OnSuccess<ManagedCertificate> ok, OnFailure fail) {
    QJsonObject body = toJson(item);
    body.remove(QStringLiteral("id")); // the service assigns it
    send(
        "POST", kItems, {}, body, context,
        [ok, fail](const QJsonObject& answer) { decodeItem(answer, ok, fail); }, fail);
}

void ApiClient::updateItem(const ManagedCertificate& item, QObject* context,
                           OnSuccess<ManagedCertificate> ok, OnFailure fail) {
    send(
        "PUT", itemPath(item.id), {}, toJson(item), context,
        [ok, fail](const QJsonObject& answer) { decodeItem(answer, ok, fail); }, fail);
}

void ApiClient::deleteItem(const QString& id, QObject* context, OnSuccess<QString> ok,
                           OnFailure fail) {
    send(
        "DELETE", itemPath(id), {}, std::nullopt, context, [ok, id](const QJsonObject&) { ok(id); },
        std::move(fail));
}

void ApiClient::requestCertificate(const QString& id, QObject* context, OnSuccess<QJsonObject> ok,
                                   OnFailure fail) {
    send("POST", itemPath(id) + QStringLiteral("/request"), {}, QJsonObject{}, context,
         std::move(ok), std::move(fail));
}

void ApiClient::revokeCertificate(const QString& id, int reason, QObject* context,
                                  OnSuccess<ManagedCertificate> ok, OnFailure fail) {
    send(
        "POST", itemPath(id) + QStringLiteral("/revoke"), {}, QJsonObject{{"reason", reason}},
        context, [ok, fail](const QJsonObject& answer) { decodeItem(answer, ok, fail); }, fail);
}

void ApiClient::itemLog(const QString& id, int limit, QObject* context,
                        OnSuccess<QList<LogEntry>> ok, OnFailure fail) {
    send(
        "GET", itemPath(id) + QStringLiteral("/log"),
        QUrlQuery{{QStringLiteral("limit"), QString::number(limit)}}, std::nullopt, context,
        [ok](const QJsonObject& body) {
            QList<LogEntry> entries;
            for (const auto& v : body.value("entries").toArray())
                entries.append(LogEntry::fromJson(v.toObject()));
            ok(entries);
        },
        std::move(fail));
}

void ApiClient::certificateAuthorities(QObject* context, OnSuccess<QList<CertificateAuthority>> ok,
                                       OnFailure fail) {
    send(
        "GET", QStringLiteral("/api/certificateauthorities"), {}, std::nullopt, context,
        [ok](const QJsonObject& body) {
            QList<CertificateAuthority> list;
            for (const auto& v : body.value("items").toArray()) {
                QList<FieldError> ignored; // the service only serves valid entries
                list.append(CertificateAuthority::fromJson(v.toObject(), &ignored));
            }
            ok(list);
        },
        std::move(fail));
}

void ApiClient::accounts(QObject* context, OnSuccess<QList<AcmeAccount>> ok, OnFailure fail) {
    send(
        "GET", QStringLiteral("/api/accounts"), {}, std::nullopt, context,
        [ok](const QJsonObject& body) {
            QList<AcmeAccount> list;
            for (const auto& v : body.value("items").toArray()) {
                QList<FieldError> ignored;
                list.append(AcmeAccount::fromJson(v.toObject(), &ignored));
            }
            ok(list);
        },
        std::move(fail));
}

void ApiClient::registerAccount(const QJsonObject& request, QObject* context,
                                OnSuccess<AcmeAccount> ok, OnFailure fail) {
    send(
        "POST", QStringLiteral("/api/accounts"), {}, request, context,
        [ok](const QJsonObject& body) {
            QList<FieldError> ignored;
            ok(AcmeAccount::fromJson(body, &ignored));
        },
        std::move(fail));
}

// --- Editions, backup packages, bulk import, credentials and account upkeep ---

namespace {
const QString kLicense = QStringLiteral("/api/license");

QString encodedPath(const QString& base, const QString& id) {
    return base + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

OnSuccess<QJsonObject> asLicense(OnSuccess<LicenseInfo> ok) {
    return [ok](const QJsonObject& body) { ok(LicenseInfo::fromJson(body)); };
}

OnSuccess<QJsonObject> asAccount(OnSuccess<AcmeAccount> ok) {
    return [ok](const QJsonObject& body) {
        QList<FieldError> ignored;
        ok(AcmeAccount::fromJson(body, &ignored));
    };
}
} // namespace

void ApiClient::license(QObject* context, OnSuccess<LicenseInfo> ok, OnFailure fail) {
    send("GET", kLicense, {}, std::nullopt, context, asLicense(std::move(ok)), std::move(fail));
}

void ApiClient::activateLicense(const QString& key, QObject* context, OnSuccess<LicenseInfo> ok,
                                OnFailure fail) {
    send("POST", kLicense + QStringLiteral("/activate"), {}, QJsonObject{{"key", key}}, context,
         asLicense(std::move(ok)), std::move(fail));
}

void ApiClient::deactivateLicense(QObject* context, OnSuccess<LicenseInfo> ok, OnFailure fail) {
    send("POST", kLicense + QStringLiteral("/deactivate"), {}, QJsonObject{}, context,
         asLicense(std::move(ok)), std::move(fail));
}

void ApiClient::exportBackup(const QString& passphrase, QObject* context, OnSuccess<QJsonObject> ok,
                             OnFailure fail, const CallOptions& options) {
    send("POST", QStringLiteral("/api/system/export"), {}, QJsonObject{{"passphrase", passphrase}},
         context, std::move(ok), std::move(fail), options);
}

void ApiClient::importBackup(const QByteArray& package, const QString& passphrase,
                             bool replaceExisting, bool preview, QObject* context,
                             OnSuccess<QJsonObject> ok, OnFailure fail,
                             const CallOptions& options) {
    const QJsonObject body{{"package", QString::fromLatin1(package)},
                           {"passphrase", passphrase},
                           {"existing", replaceExisting ? "replace" : "skip"},
                           {"preview", preview}};
    send("POST", QStringLiteral("/api/system/import"), {}, body, context, std::move(ok),
         std::move(fail), options);
}

void ApiClient::createItems(const QList<QJsonObject>& items, bool dryRun, QObject* context,
                            OnSuccess<QJsonObject> ok, OnFailure fail, const CallOptions& options) {
    QJsonArray list;
    for (const auto& item : items)
        list.append(item);
    send("POST", kItems + QStringLiteral("/batch"), {},
         QJsonObject{{"items", list}, {"dryRun", dryRun}}, context, std::move(ok), std::move(fail),
         options);
}

void ApiClient::credentialList(QObject* context, OnSuccess<QJsonObject> ok, OnFailure fail) {
    send("GET", QStringLiteral("/api/credentials"), {}, std::nullopt, context, std::move(ok),
         std::move(fail));
}

void ApiClient::addCredential(const QString& type, const QString& title, const QJsonObject& values,
                              QObject* context, OnSuccess<QJsonObject> ok, OnFailure fail) {
    send("POST", QStringLiteral("/api/credentials"), {},
         QJsonObject{{"type", type}, {"title", title}, {"values", values}}, context, std::move(ok),
         std::move(fail));
}

void ApiClient::removeCredential(const QString& id, QObject* context, OnSuccess<QString> ok,
                                 OnFailure fail) {
    send(
        "DELETE", encodedPath(QStringLiteral("/api/credentials"), id), {}, std::nullopt, context,
        [ok, id](const QJsonObject&) { ok(id); }, std::move(fail));
}

void ApiClient::rolloverAccount(const QString& id, const QString& keyAlgorithm, QObject* context,
                                OnSuccess<AcmeAccount> ok, OnFailure fail) {
    QJsonObject body;
    if (!keyAlgorithm.isEmpty())
        body.insert("keyAlgorithm", keyAlgorithm);
    send("POST", encodedPath(QStringLiteral("/api/accounts"), id) + QStringLiteral("/rollover"), {},
         body, context, asAccount(std::move(ok)), std::move(fail));
}

void ApiClient::removeAccount(const QString& id, QObject* context, OnSuccess<QString> ok,
                              OnFailure fail) {
    send(
        "DELETE", encodedPath(QStringLiteral("/api/accounts"), id), {}, std::nullopt, context,
        [ok, id](const QJsonObject&) { ok(id); }, std::move(fail));
}

namespace {
void decodePreferences(const QJsonObject& body, const OnSuccess<Preferences>& ok,
                       const OnFailure& fail) {
    QList<FieldError> errors;
    const Preferences p = preferencesFromJson(body, &errors);
    if (!errors.isEmpty())
        return fail(unreadableAnswer(describeFieldErrors(errors)));
    ok(p);
}
} // namespace

void ApiClient::settings(QObject* context, OnSuccess<Preferences> ok, OnFailure fail) {
    send(
        "GET", QStringLiteral("/api/settings"), {}, std::nullopt, context,
        [ok, fail](const QJsonObject& body) { decodePreferences(body, ok, fail); }, fail);
}

void ApiClient::updateSettings(const Preferences& preferences, QObject* context,
                               OnSuccess<Preferences> ok, OnFailure fail) {
    send(
        "PUT", QStringLiteral("/api/settings"), {}, toJson(preferences), context,
        [ok, fail](const QJsonObject& body) { decodePreferences(body, ok, fail); }, fail);
}

void ApiClient::testNotification(const QString& channel, QObject* context, OnSuccess<QString> ok,
                                 OnFailure fail) {
    send(
        "POST", QStringLiteral("/api/settings/notifications/test"), {},
        QJsonObject{{"channel", channel}}, context,
        [ok](const QJsonObject& body) { ok(body.value("message").toString()); }, std::move(fail));
}

void ApiClient::renewItems(const QStringList& ids, QObject* context, OnSuccess<QJsonObject> ok,
                           OnFailure fail) {
    QJsonObject body;
    if (!ids.isEmpty())
        body.insert("ids", QJsonArray::fromStringList(ids));
    send("POST", kItems + QStringLiteral("/renew"), {}, body, context, std::move(ok),
         std::move(fail));
}

// --- Deployment tasks ---

void ApiClient::deploymentTaskTypes(QObject* context, OnSuccess<QList<TaskTypeSpec>> ok,
                                    OnFailure fail) {
    send(
        "GET", QStringLiteral("/api/deploymenttasks/types"), {}, std::nullopt, context,
        [ok](const QJsonObject& body) {
            QList<TaskTypeSpec> types;
            for (const auto& v : body.value("items").toArray())
                types.append(TaskTypeSpec::fromJson(v.toObject()));
            ok(types);
        },
        std::move(fail));
}

void ApiClient::deploy(const QString& id, const QString& taskId, QObject* context,
                       OnSuccess<QList<TaskRunResult>> ok, OnFailure fail,
                       const CallOptions& options) {
    QJsonObject body;
    if (!taskId.isEmpty())
        body.insert(QStringLiteral("taskId"), taskId);
    send(
        "POST", itemPath(id) + QStringLiteral("/deploy"), {}, body, context,
        [ok](const QJsonObject& answer) { ok(taskRunResultsFromJson(answer)); }, std::move(fail),
        options);
}

// --- Preview and Test ---

namespace {
// Decodes an answer with `decode(json, &errors)`; an answer that does not decode is a failure.
template <typename T, typename Decode>
std::function<void(const QJsonObject&)> decoding(Decode decode, OnSuccess<T> ok, OnFailure fail) {
    return [decode, ok, fail](const QJsonObject& body) {
        QList<FieldError> errors;
        const T value = decode(body, &errors);
        if (!errors.isEmpty())
            fail(unreadableAnswer(describeFieldErrors(errors)));
        else
            ok(value);
    };
}
} // namespace

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
               decoding<QList<ActionStep>>(previewFromJson, std::move(ok), fail), fail, options);
}

void ApiClient::testItem(const QString& id, const std::optional<ManagedCertificate>& edits,
                         QObject* context, OnSuccess<TestReport> ok, OnFailure fail,
                         const CallOptions& options) {
    postToItem(id, QStringLiteral("test"), edits, context,
               decoding<TestReport>(testReportFromJson, std::move(ok), fail), fail, options);
}

// --- Main window (issue 5): live events ---

QNetworkReply* ApiClient::openEventStream(const QString& itemId, const QByteArray& lastEventId) {
    QUrlQuery query;
    if (!itemId.isEmpty())
        query.addQueryItem(QStringLiteral("itemId"), itemId);
    QNetworkRequest request = buildRequest(QStringLiteral("/api/events"), query,
                                           ApiToken::read(m_server.tokenFile), false, m_timeout);
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Cache-Control", "no-cache");
    if (!lastEventId.isEmpty())
        request.setRawHeader("Last-Event-ID", lastEventId);
    request.setTransferTimeout(0);
    return m_network->get(request);
}

// --- The certificate editor and the settings (issue 5) ---

namespace {
const QString kAuthorities = QStringLiteral("/api/certificateauthorities");
} // namespace

void ApiClient::getItemJson(const QString& id, QObject* context, OnSuccess<QJsonObject> ok,
                            OnFailure fail) {
    send("GET", itemPath(id), {}, std::nullopt, context, std::move(ok), std::move(fail));
}

void ApiClient::saveItemJson(const QJsonObject& item, QObject* context, OnSuccess<QJsonObject> ok,
                             OnFailure fail) {
    const QString id = item.value("id").toString();
    if (id.isEmpty()) {
        QJsonObject body = item;
        body.remove(QStringLiteral("id")); // the service assigns it
        send("POST", kItems, {}, body, context, std::move(ok), std::move(fail));
    } else {
        send("PUT", itemPath(id), {}, item, context, std::move(ok), std::move(fail));
    }
}

void ApiClient::credentialTypes(QObject* context, OnSuccess<QJsonArray> ok, OnFailure fail) {
    send(
        "GET", QStringLiteral("/api/credentials/types"), {}, std::nullopt, context,
        [ok](const QJsonObject& body) { ok(body.value("items").toArray()); }, std::move(fail));
}

void ApiClient::testCredential(const QString& id, QObject* context, OnSuccess<QJsonObject> ok,
                               OnFailure fail) {
    send("POST", encodedPath(QStringLiteral("/api/credentials"), id) + QStringLiteral("/test"), {},
         QJsonObject{}, context, std::move(ok), std::move(fail));
}

void ApiClient::addCertificateAuthority(const CertificateAuthority& ca, QObject* context,
                                        OnSuccess<CertificateAuthority> ok, OnFailure fail) {
    send(
        "POST", kAuthorities, {}, ca.toJson(), context,
        [ok](const QJsonObject& body) {
            QList<FieldError> ignored; // the service answers with what it stored
            ok(CertificateAuthority::fromJson(body, &ignored));
        },
        std::move(fail));
}

void ApiClient::deleteCertificateAuthority(const QString& id, QObject* context,
                                           OnSuccess<QString> ok, OnFailure fail) {
    send(
        "DELETE", encodedPath(kAuthorities, id), {}, std::nullopt, context,
        [ok, id](const QJsonObject&) { ok(id); }, std::move(fail));
}

} // namespace ck
