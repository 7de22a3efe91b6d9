#pragma once
// A deliberately plain HTTP/1.1 client for API tests: it sends exactly the headers a test gives
// (a foreign Host, an Origin, a wrong token, no Content-Type), which a real client library would
// "fix". Blocking, one request per connection unless a Connection is reused.

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

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
