#include "HttpMessage.h"

#include <QJsonDocument>

namespace ck::test {

namespace {
// Decodes a chunked body starting at `at`; std::nullopt until the last chunk has arrived.
std::optional<QByteArray> dechunk(const QByteArray& data, qsizetype at, qsizetype* end) {
    QByteArray body;
    for (;;) {
        const qsizetype lineEnd = data.indexOf("\r\n", at);
        if (lineEnd < 0)
            return std::nullopt;
        bool ok = false;
        const qsizetype size =
            data.mid(at, lineEnd - at).split(';').first().trimmed().toLongLong(&ok, 16);
        if (!ok)
            return std::nullopt;
        if (size == 0) { // no trailers from Pebble: the final CRLF follows
            const qsizetype last = data.indexOf("\r\n", lineEnd + 2);
            if (last < 0)
                return std::nullopt;
            *end = last + 2;
            return body;
        }
        if (data.size() < lineEnd + 2 + size + 2)
            return std::nullopt;
        body += data.mid(lineEnd + 2, size);
        at = lineEnd + 2 + size + 2;
    }
}
} // namespace

std::optional<HttpMessage> takeHttpMessage(QByteArray& data, bool isResponse, bool noBody,
                                           bool atEof) {
    const qsizetype headerEnd = data.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return std::nullopt;
    HttpMessage m;
    const QList<QByteArray> lines = data.left(headerEnd).split('\n');
    m.firstLine = lines.first().trimmed();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            m.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    qsizetype end = headerEnd + 4;
    const QByteArray length = m.header("content-length");
    if (noBody) {
        // An answer to HEAD announces the length a GET would have, without the body.
    } else if (m.header("transfer-encoding").toLower().contains("chunked")) {
        const auto body = dechunk(data, end, &end);
        if (!body)
            return std::nullopt;
        m.body = *body;
    } else if (!length.isEmpty()) {
        if (data.size() < end + length.toLongLong())
            return std::nullopt;
        m.body = data.mid(end, length.toLongLong());
        end += length.toLongLong();
    } else if (isResponse) {
        if (!atEof)
            return std::nullopt;
        m.body = data.mid(end);
        end = data.size();
    }
    data.remove(0, end);
    return m;
}

QByteArray serializeHttpMessage(const HttpMessage& m, const QByteArray& connection) {
    QByteArray out = m.firstLine + "\r\n";
    for (const auto& [name, value] : m.headers) {
        const QByteArray lower = name.toLower();
        if (lower != "content-length" && lower != "transfer-encoding" && lower != "connection")
            out += name + ": " + value + "\r\n";
    }
    out += "Content-Length: " + QByteArray::number(m.body.size()) + "\r\n";
    return out + "Connection: " + connection + "\r\n\r\n" + m.body;
}

HttpMessage jsonHttpMessage(int status, const QJsonObject& body, const QByteArray& contentType) {
    return {"HTTP/1.1 " + QByteArray::number(status) + " Answered by the test proxy",
            {{"Content-Type", contentType}, {"Cache-Control", "no-store"}},
            QJsonDocument(body).toJson(QJsonDocument::Compact)};
}

HttpMessage problem(int status, const char* type, const QString& detail) {
    return jsonHttpMessage(
        status,
        {{"type", QStringLiteral("urn:ietf:params:acme:error:") + QLatin1String(type)},
         {"detail", detail},
         {"status", status}},
        "application/problem+json");
}

QJsonObject jwsPayload(const QByteArray& jwsJson) {
    const QString payload = QJsonDocument::fromJson(jwsJson).object().value("payload").toString();
    return QJsonDocument::fromJson(
               QByteArray::fromBase64(payload.toLatin1(), QByteArray::Base64UrlEncoding |
                                                              QByteArray::OmitTrailingEquals))
        .object();
}

} // namespace ck::test
