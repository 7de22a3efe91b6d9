#pragma once
// A subscription to the service's live events (GET /api/events, Server-Sent Events): a running
// request's progress step by step, items as they change (or go), and new log lines, each as a
// Qt signal (and "reset" when the service could not replay what was missed). It stays subscribed:
// when the connection drops or the service refuses it, it tries again with a growing delay (1 s
// doubling to 30 s, or what the server asked for with "retry"), and resumes where it left off by
// sending the last event id as Last-Event-ID. Every request goes through ApiClient (token, address,
// no proxy), so a service that moved is followed too.

#include "ApiError.h"
#include "client/SseParser.h"
#include "model/LogEntry.h"
#include "model/ManagedCertificate.h"

#include <QObject>
#include <QPointer>

#include <chrono>

class QNetworkReply;
class QTimer;

namespace ck {

class ApiClient;

// One "progress" event: a step of a running request.
struct RequestProgress {
    RequestProgress() = default;
    RequestProgress(QString item, QString requestState, QString stepKey = {}, QString text = {},
                    QString logLevel = {})
        : itemId(std::move(item)), state(std::move(requestState)), step(std::move(stepKey)),
          message(std::move(text)), level(std::move(logLevel)) {}

    QString itemId;
    QString state;   // a RequestState name when the event gives one ("Queued", ...); empty: running
    QString step;    // the step's key, e.g. "validate"
    QString message; // the step in words, for people
    QString level;   // "INF", "WRN", "ERR" as in the item's log
    // Whether the request is still going (queued or running).
    bool isActive() const;
    static RequestProgress fromJson(const QJsonObject& o);
};

class EventStream : public QObject {
    Q_OBJECT
public:
    enum class State { Stopped, Connecting, Connected, WaitingToRetry };
    static constexpr std::chrono::milliseconds kFirstRetry{1000};
    static constexpr std::chrono::milliseconds kMaxRetry{30000};
    // Nothing at all (not even a keep-alive comment) for this long: the connection is treated as
    // dead and made again. Zero turns the check off.
    static constexpr std::chrono::milliseconds kDefaultIdleTimeout{90000};

    explicit EventStream(ApiClient* client, QObject* parent = nullptr);
    ~EventStream() override;

    // Only the events of one item (?itemId=X); empty for all. Applies from the next connection.
    void setItemFilter(const QString& itemId) { m_itemId = itemId; }
    // The next connection starts at the service's newest event instead of resuming after the
    // last one received: for another service, whose event ids mean nothing here.
    void resumeFromNow() { m_parser = SseParser(); }
    void setRetryDelays(std::chrono::milliseconds first, std::chrono::milliseconds max);
    void setIdleTimeout(std::chrono::milliseconds timeout);

    void start();
    void stop();
    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    QByteArray lastEventId() const { return m_parser.lastEventId(); }

Q_SIGNALS:
    // The stream is open: from now on changes arrive as they happen. After a reconnection the
    // service's bounded history may not have covered the gap: a listener reloads what it shows.
    void connected();
    // The stream is not open (`why`, in the service's words where it gave any); another attempt
    // follows in `retryIn`.
    void disconnected(const ck::ApiError& why, std::chrono::milliseconds retryIn);
    void progress(const ck::RequestProgress& progress);
    void itemUpdated(const ck::ManagedCertificate& item);
    void itemDeleted(const QString& id);
    void logEntry(const QString& itemId, const ck::LogEntry& entry);
    // The service could not replay everything missed since the last event id (it restarted, or
    // the client was away too long): reload what is shown. `reason` is the service's sentence.
    void resetRequested(const QString& reason);

private:
    void connectNow();
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void handle(const SseEvent& event);
    void fail(const ApiError& why);
    void dropReply();

    ApiClient* m_client;
    QPointer<QNetworkReply> m_reply;
    QTimer* m_retryTimer;
    QTimer* m_idleTimer;
    SseParser m_parser;
    State m_state = State::Stopped;
    QString m_itemId;
    bool m_streaming = false; // the current reply answered 200 text/event-stream
    std::chrono::milliseconds m_firstRetry = kFirstRetry;
    std::chrono::milliseconds m_maxRetry = kMaxRetry;
    std::chrono::milliseconds m_nextRetry = kFirstRetry;
};

} // namespace ck
