#include "client/EventStream.h"

#include "model/StrictDecode.h"

#include "client/ApiClient.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>

#include <algorithm>

namespace ck {

namespace {
QJsonObject objectOf(const QByteArray& data) {
    return QJsonDocument::fromJson(data).object();
}
} // namespace

bool RequestProgress::isActive() const {
    if (state.isEmpty())
        return true; // a step is reported while the request runs
    const auto parsed = requestStateFromString(state);
    return parsed == RequestState::Queued || parsed == RequestState::Running;
}

RequestProgress RequestProgress::fromJson(const QJsonObject& o) {
    return {o.value("itemId").toString(), o.value("state").toString(), o.value("step").toString(),
            o.value("message").toString(), o.value("level").toString()};
}

EventStream::EventStream(ApiClient* client, QObject* parent)
    : QObject(parent), m_client(client), m_retryTimer(new QTimer(this)),
      m_idleTimer(new QTimer(this)) {
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &EventStream::connectNow);
    m_idleTimer->setSingleShot(true);
    m_idleTimer->setInterval(kDefaultIdleTimeout);
    connect(m_idleTimer, &QTimer::timeout, this, [this] {
        fail(ApiError(ApiError::Kind::Connection,
                      tr("The event stream sent nothing for %1 s; connecting again")
                          .arg(m_idleTimer->interval() / 1000)));
    });
}

EventStream::~EventStream() {
    dropReply();
}

void EventStream::setRetryDelays(std::chrono::milliseconds first, std::chrono::milliseconds max) {
    m_firstRetry = first;
    m_maxRetry = std::max(first, max);
    m_nextRetry = first;
}

void EventStream::setIdleTimeout(std::chrono::milliseconds timeout) {
    m_idleTimer->setInterval(timeout);
}

void EventStream::start() {
    if (m_state != State::Stopped)
        return;
    m_nextRetry = m_firstRetry;
    connectNow();
}

void EventStream::stop() {
    m_retryTimer->stop();
    dropReply();
    m_state = State::Stopped;
}

void EventStream::connectNow() {
    dropReply();
    m_parser.resetConnection();
    m_state = State::Connecting;
    m_reply = m_client->openEventStream(m_itemId, m_parser.lastEventId());
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &EventStream::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &EventStream::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &EventStream::onFinished);
}

void EventStream::onMetaData() {
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString type = m_reply->header(QNetworkRequest::ContentTypeHeader).toString();
    if (status != 200 || m_streaming)
        return; // a refusal is read in full when it finishes
    if (!type.startsWith(QLatin1String("text/event-stream"))) {
        fail(ApiError(ApiError::Kind::Internal,
                      tr("The service answered /api/events with %1, not an event stream")
                          .arg(type.isEmpty() ? tr("no content type") : type)));
        return;
    }
    m_streaming = true;
    m_state = State::Connected;
    if (m_idleTimer->interval() > 0)
        m_idleTimer->start();
    Q_EMIT connected();
}

void EventStream::onReadyRead() {
    if (!m_streaming)
        return; // the body of a refusal: read when it finishes
    if (m_idleTimer->interval() > 0)
        m_idleTimer->start();
    const QList<SseEvent> events = m_parser.feed(m_reply->readAll());
    if (!m_parser.error().isEmpty()) {
        fail(ApiError(ApiError::Kind::Internal, m_parser.error()));
        return;
    }
    QPointer<EventStream> alive(this);
    for (const SseEvent& event : events) {
        handle(event);
        if (!alive || !m_streaming)
            return; // a listener stopped or deleted the stream
    }
}

void EventStream::onFinished() {
    QNetworkReply* reply = m_reply;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200 && !m_streaming) {
        onMetaData(); // a short stream can finish before its headers were announced
        if (m_reply != reply)
            return;
    }
    if (m_streaming) {
        onReadyRead(); // the last bytes
        if (m_reply == reply)
            fail(ApiError(ApiError::Kind::Connection, tr("The service closed the event stream")));
        return;
    }
    if (status == 0) {
        fail(ApiError(
            ApiError::Kind::Connection,
            tr("The service cannot be reached for live updates: %1").arg(reply->errorString())));
        return;
    }
    const QJsonObject problem = objectOf(reply->readAll());
    if (!problem.isEmpty()) {
        fail(ApiError::fromProblemJson(status, problem));
        return;
    }
    fail(ApiError(
        ApiError::kindForStatus(status),
        tr("The service answered /api/events with %1 %2")
            .arg(status)
            .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString())));
}

void EventStream::handle(const SseEvent& event) {
    const QJsonObject body = objectOf(event.data);
    if (body.isEmpty())
        return; // not JSON: nothing this client understands
    if (event.type == QLatin1String("progress")) {
        Q_EMIT progress(RequestProgress::fromJson(body));
    } else if (event.type == QLatin1String("itemUpdated")) {
        if (body.value("deleted").toBool()) {
            Q_EMIT itemDeleted(body.value("itemId").toString());
            return;
        }
        const auto item = decodeStrict(body.value("item").toObject(), managedCertificateFromJson);
        if (item.ok() && !item.value.id.isEmpty())
            Q_EMIT itemUpdated(item.value);
    } else if (event.type == QLatin1String("reset")) {
        Q_EMIT resetRequested(body.value("reason").toString());
    } else if (event.type == QLatin1String("log")) {
        Q_EMIT logEntry(body.value("itemId").toString(),
                        LogEntry::fromJson(body.value("entry").toObject()));
    }
}

void EventStream::fail(const ApiError& why) {
    const bool wasHealthy = m_streaming && m_parser.anyLineSeen();
    dropReply();
    const auto asked = m_parser.retryMs();
    const std::chrono::milliseconds base = asked ? std::chrono::milliseconds(*asked) : m_firstRetry;
    // A connection that carried something starts over at the first delay; one that failed at
    // once waits longer each time, so a refusing service is not hammered.
    const std::chrono::milliseconds delay = wasHealthy ? base : std::max(base, m_nextRetry);
    m_nextRetry = std::min(delay * 2, std::max(m_maxRetry, base));
    m_state = State::WaitingToRetry;
    m_retryTimer->start(delay);
    Q_EMIT disconnected(why, delay);
}

void EventStream::dropReply() {
    m_idleTimer->stop();
    m_streaming = false;
    if (!m_reply)
        return;
    QNetworkReply* reply = m_reply;
    m_reply.clear();
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

} // namespace ck
