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
                                        const ApiToken& token, bool hasBody) const {
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
    request.setTransferTimeout(int(m_timeout.count()));
    return request;
}

void ApiClient::send(const QByteArray& verb, const QString& path, const QUrlQuery& query,
                     std::optional<QJsonObject> body, QObject* context, OnJson ok, OnFailure fail) {
    Q_ASSERT(context);
    auto call = std::make_shared<Call>();
    call->verb = verb;
    call->path = path;
    call->query = query;
    call->body = std::move(body);
    call->context = context;
    call->ok = std::move(ok);
    call->fail = std::move(fail);
    start(std::move(call));
}

void ApiClient::start(std::shared_ptr<Call> call) {
    call->server = m_server;
    // Read for every request: the service may have been started (or its token renewed) since.
    // A missing token still sends the request, so that "not running" can be told apart from
    // "running, but the token cannot be read".
    call->token = ApiToken::read(m_server.tokenFile);
    const QNetworkRequest request =
        buildRequest(call->path, call->query, call->token, call->body.has_value());
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
    attempt.timeoutSeconds = int(std::chrono::ceil<std::chrono::seconds>(m_timeout).count());
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

// Preview and Test.

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
                           OnJson ok, OnFailure fail) {
    const QString path = (id.isEmpty() ? kItems : itemPath(id)) + u'/' + action;
    QJsonObject body;
    if (edits)
        body.insert(QStringLiteral("item"), toJson(*edits));
    send("POST", path, {}, body, context, std::move(ok), std::move(fail));
}

void ApiClient::previewItem(const QString& id, const std::optional<ManagedCertificate>& edits,
                            QObject* context, OnSuccess<QList<ActionStep>> ok, OnFailure fail) {
    postToItem(id, QStringLiteral("preview"), edits, context,
               decoding<QList<ActionStep>>(previewFromJson, std::move(ok), fail), fail);
}

void ApiClient::testItem(const QString& id, const std::optional<ManagedCertificate>& edits,
                         QObject* context, OnSuccess<TestReport> ok, OnFailure fail) {
    postToItem(id, QStringLiteral("test"), edits, context,
               decoding<TestReport>(testReportFromJson, std::move(ok), fail), fail);
}

} // namespace ck
