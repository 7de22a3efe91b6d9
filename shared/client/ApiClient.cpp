#include "client/ApiClient.h"

#include "client/ApiCalls.h"
#include "client/ConnectionDiagnosis.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

namespace ck {

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
    QByteArray ifNoneMatch;            // a conditional GET: the ETag of the answer remembered
    QByteArray etag;                   // of the answer, when it had one
    std::function<void()> notModified; // a conditional GET answered 304
    ServerEntry server;                // where it went
    ApiToken token;                    // what it carried
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

void ApiClient::setServer(const ServerEntry& server) {
    m_server = server;
    m_remembered.clear(); // another service's answers; their ETags would not match anyway
    m_rememberedOrder.clear();
}

QNetworkRequest ApiClient::buildRequest(const QString& path, const QUrlQuery& query,
                                        const ApiToken& token, bool hasBody,
                                        std::chrono::milliseconds timeout,
                                        const QByteArray& ifNoneMatch) const {
    QUrl url(m_server.baseUrl());
    url.setPath(path, QUrl::TolerantMode);
    if (!query.isEmpty())
        url.setQuery(query);
    QNetworkRequest request(url);
    if (token.ok())
        request.setRawHeader("Authorization", "Bearer " + token.token.toLatin1());
    request.setRawHeader("Accept", "application/json");
    if (!ifNoneMatch.isEmpty())
        request.setRawHeader("If-None-Match", ifNoneMatch);
    if (hasBody)
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    // Never follow a redirect: the token must go to the service and nowhere else.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(int(timeout.count()));
    return request;
}

std::shared_ptr<ApiClient::Call> ApiClient::makeCall(const QByteArray& verb, const QString& path,
                                                     const QUrlQuery& query,
                                                     std::optional<QJsonObject> body,
                                                     QObject* context, OnJson ok, OnFailure fail,
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
    return call;
}

void ApiClient::send(const QByteArray& verb, const QString& path, const QUrlQuery& query,
                     std::optional<QJsonObject> body, QObject* context, OnJson ok, OnFailure fail,
                     const CallOptions& options) {
    start(makeCall(verb, path, query, std::move(body), context, std::move(ok), std::move(fail),
                   options));
}

void ApiClient::sendRevalidated(const QString& path, const QUrlQuery& query, QObject* context,
                                api_calls::Revalidated handling, OnFailure fail) {
    const QString url = m_server.baseUrl() + path + QLatin1Char('?') + query.toString();
    auto call = makeCall("GET", path, query, std::nullopt, context, {}, fail, {});
    if (const auto known = m_remembered.constFind(url); known != m_remembered.cend())
        call->ifNoneMatch = known->etag;
    Call* self = call.get(); // the call owns these callbacks: it outlives them
    call->ok = [this, self, url, handling](const QJsonObject& body) {
        auto answer = handling.decode(body);
        if (!answer)
            return;
        if (!self->etag.isEmpty())
            remember(url, self->etag, *answer);
        handling.deliver(*answer, false);
    };
    call->notModified = [this, url, deliver = handling.deliver, fail] {
        const auto known = m_remembered.constFind(url);
        if (known == m_remembered.cend()) // 304 to a question it was not asked
            return fail(api_calls::unreadableAnswer(QStringLiteral("\"not modified\" without a "
                                                                   "remembered answer")));
        deliver(known->answer, true);
    };
    start(std::move(call));
}

void ApiClient::remember(const QString& url, const QByteArray& etag, std::any answer) {
    if (!m_remembered.contains(url)) {
        m_rememberedOrder.append(url);
        if (m_rememberedOrder.size() > kRememberedAnswers)
            m_remembered.remove(m_rememberedOrder.takeFirst());
    }
    m_remembered.insert(url, {etag, std::move(answer)});
}

void ApiClient::start(std::shared_ptr<Call> call) {
    call->server = m_server;
    // Read for every request: the service may have been started (or its token renewed) since.
    // A missing token still sends the request, so that "not running" can be told apart from
    // "running, but the token cannot be read".
    call->token = ApiToken::read(m_server.tokenFile);
    const QNetworkRequest request =
        buildRequest(call->path, call->query, call->token, call->body.has_value(), call->timeout,
                     call->ifNoneMatch);
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
    if (status == 304 && call->notModified) {
        call->notModified();
        return;
    }
    call->etag = reply->rawHeader("ETag");
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
        call->fail(api_calls::unreadableAnswer(parseError.error != QJsonParseError::NoError
                                                   ? parseError.errorString()
                                                   : QStringLiteral("not a JSON object")));
        return;
    }
    call->ok(document.object());
}

// --- Live events ---

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

} // namespace ck
