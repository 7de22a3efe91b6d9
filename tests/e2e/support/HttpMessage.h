#pragma once
// Just enough HTTP/1.1 for the test proxy (AcmeExtensionProxy): read one request or response off a
// byte stream (Content-Length, chunked, or until the peer closes), write one back with the length
// of its body as it is now, and the JSON bodies the proxy reads and answers with.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace ck::test {

struct HttpMessage {
    QByteArray firstLine; // "POST /order-plz HTTP/1.1" or "HTTP/1.1 201 Created"
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray& lowerName) const {
        for (const auto& [name, value] : headers)
            if (name.toLower() == lowerName)
                return value;
        return {};
    }
    int status() const { return firstLine.split(' ').value(1).toInt(); }
    // Replaces every header of that name (any case) with this one.
    void setHeader(const QByteArray& name, const QByteArray& value) {
        headers.removeIf([lower = name.toLower()](const std::pair<QByteArray, QByteArray>& h) {
            return h.first.toLower() == lower;
        });
        headers.append({name, value});
    }
};

// Takes one complete message off the front of `data`; std::nullopt while it is incomplete. A
// response without a length ends when the peer closes (`atEof`); `noBody` for answers to HEAD.
std::optional<HttpMessage> takeHttpMessage(QByteArray& data, bool isResponse, bool noBody,
                                           bool atEof);

// The message with Content-Length set from its body, so a body that was changed is sent with its
// true length, and the given Connection header.
QByteArray serializeHttpMessage(const HttpMessage& m, const QByteArray& connection);

// A response with `body` as JSON of the given content type.
HttpMessage jsonHttpMessage(int status, const QJsonObject& body, const QByteArray& contentType);

// An RFC 8555 §6.7 problem document: type "urn:ietf:params:acme:error:<type>".
HttpMessage problem(int status, const char* type, const QString& detail);
// The decoded payload of a JWS in flattened JSON serialization (RFC 7515 §7.2.2).
QJsonObject jwsPayload(const QByteArray& jwsJson);

} // namespace ck::test
