#pragma once
// A blocking Server-Sent Events client for tests of GET /api/events: it subscribes (optionally
// resuming from a Last-Event-ID), then reads frames until a condition holds or time runs out.

#include <QJsonObject>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ck::test {

struct SseEvent {
    std::string id;
    std::string type; // the `event:` field
    std::string data;
    const QJsonObject json() const; // const: indexing gives values, not references
    unsigned long long number() const { return std::stoull(id.empty() ? "0" : id); }
};

class SseClient {
public:
    SseClient(int port, std::string token);
    ~SseClient();

    // Sends the request; returns the HTTP status (0 when the connection failed). On a non-200
    // answer, body() holds the problem document.
    int open(const std::string& target = "/api/events", const std::string& lastEventId = {});
    std::string body() const { return m_body; }
    std::string header(const std::string& name) const;

    // Reads until `done(allEventsSoFar)` is true or `timeout` passes; returns every event
    // received since open(), in order.
    const std::vector<SseEvent>&
    readUntil(const std::function<bool(const std::vector<SseEvent>&)>& done,
              std::chrono::milliseconds timeout);
    const std::vector<SseEvent>& events() const { return m_events; }
    // True when the server closed the stream.
    bool closed() const { return m_closed; }
    void close();

private:
    void parse();
    struct Impl;
    std::unique_ptr<Impl> d;
    int m_port;
    std::string m_token;
    std::string m_body;
    std::string m_pending; // received text not yet parsed into frames
    std::vector<SseEvent> m_events;
    bool m_closed = false;
};

// The events of one type, e.g. "itemUpdated".
std::vector<SseEvent> ofType(const std::vector<SseEvent>& events, const std::string& type);

} // namespace ck::test
