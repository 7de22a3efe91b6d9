#pragma once
// A deliberately plain HTTP/1.1 client for API tests: it sends exactly the headers a test gives
// (a foreign Host, an Origin, a wrong token, no Content-Type), which a real client library would
// "fix". Blocking, one request per connection unless a Connection is reused.

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <map>
#include <string>

namespace ck::test {

struct RawResponse {
    int status = 0; // 0 when the connection failed or was closed without an answer
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;
    std::string error; // transport error, if any

    const QJsonObject json() const;
    QString detail() const { return json().value("detail").toString(); }
    QString field() const { return json().value("field").toString(); }
};

// What came back on a connection a test wrote raw bytes to.
struct RawExchange {
    std::string received; // every byte the service sent
    bool closed = false;  // the service closed the connection before the wait was over
    size_t bytesSent = 0; // how much of what the test meant to send got out

    int status() const; // of the first answer; 0 when there is none
    std::string header(const std::string& lowerName) const; // of the first answer
    std::string body() const; // whatever follows the first answer's header
};

struct RawRequest {
    std::string method = "GET";
    std::string target = "/";
    std::map<std::string, std::string> headers; // sent as given; Host is added unless present
    std::string body;
};

class RawHttp {
public:
    RawHttp(int port, std::string token) : m_port(port), m_token(std::move(token)) {}

    RawResponse send(const RawRequest& request, bool withToken = true) const;
    // Writes `bytes` as they are (for malformed or partial requests) and reads one response.
    RawResponse sendBytes(const std::string& bytes) const;

    // Writes `bytes`, then reads until the service closes the connection or `wait` passes.
    RawExchange exchange(const std::string& bytes,
                         std::chrono::milliseconds wait = std::chrono::seconds(10)) const;
    // Writes `head`, then `unit` over and over until `maxBytes` are out or the service stops
    // reading (closes, resets, or leaves the test's writes blocked for `wait`), reading its
    // answers all along.
    RawExchange stream(const std::string& head, const std::string& unit, size_t maxBytes,
                       std::chrono::milliseconds wait = std::chrono::seconds(10)) const;

    RawResponse get(const std::string& target) const { return send({"GET", target, {}, {}}); }
    RawResponse del(const std::string& target) const { return send({"DELETE", target, {}, {}}); }
    RawResponse post(const std::string& target, const QJsonObject& body) const;
    RawResponse put(const std::string& target, const QJsonObject& body) const;

    int port() const { return m_port; }

private:
    int m_port;
    std::string m_token;
};

} // namespace ck::test
