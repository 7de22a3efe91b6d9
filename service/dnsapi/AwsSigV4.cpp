#include "dnsapi/AwsSigV4.h"

#include "crypto/Digest.h"

#include <QUrlQuery>

#include <algorithm>

namespace ck::dnsapi::sigv4 {

namespace {
// RFC 3986 unreserved characters stay, everything else is %XX in upper case (AWS's UriEncode).
QByteArray uriEncode(const QByteArray& raw, bool keepSlash) {
    return raw.toPercentEncoding(keepSlash ? QByteArray("/") : QByteArray());
}

QByteArray canonicalUri(const QUrl& url) {
    // Every segment encoded once more than as sent (AWS services other than S3).
    const QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
    return path.isEmpty() ? QByteArray("/") : uriEncode(path, true);
}

QByteArray canonicalQuery(const QUrl& url) {
    QList<QPair<QByteArray, QByteArray>> pairs;
    for (const QByteArray& part : url.query(QUrl::FullyEncoded).toUtf8().split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        const QByteArray name = QByteArray::fromPercentEncoding(eq < 0 ? part : part.left(eq));
        const QByteArray value =
            eq < 0 ? QByteArray() : QByteArray::fromPercentEncoding(part.mid(eq + 1));
        pairs.append({uriEncode(name, false), uriEncode(value, false)});
    }
    std::sort(pairs.begin(), pairs.end());
    QByteArrayList joined;
    for (const auto& [name, value] : pairs)
        joined.append(name + '=' + value);
    return joined.join('&');
}

QByteArray hex(const QByteArray& bytes) {
    return bytes.toHex();
}
} // namespace

QByteArray hostHeader(const QUrl& url) {
    const int port = url.port();
    const bool defaultPort = port < 0 || (url.scheme() == QLatin1String("https") && port == 443) ||
                             (url.scheme() == QLatin1String("http") && port == 80);
    const QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    return defaultPort ? host : host + ':' + QByteArray::number(port);
}

QByteArray canonicalRequest(const QString& method, const QUrl& url,
                            const QList<QPair<QByteArray, QByteArray>>& headers,
                            const QByteArray& payload, QByteArray* signedNames) {
    QList<QPair<QByteArray, QByteArray>> sorted;
    for (const auto& [name, value] : headers)
        sorted.append({name.toLower().trimmed(), value.simplified()});
    std::sort(sorted.begin(), sorted.end());
    QByteArray lines;
    QByteArrayList names;
    for (const auto& [name, value] : sorted) {
        lines += name + ':' + value + '\n';
        names.append(name);
    }
    *signedNames = names.join(';');
    return method.toUpper().toLatin1() + '\n' + canonicalUri(url) + '\n' + canonicalQuery(url) +
           '\n' + lines + '\n' + *signedNames + '\n' + hex(crypto::sha256(payload));
}

QByteArray signingKey(const QString& secretAccessKey, const QString& date, const Scope& scope) {
    QByteArray key = crypto::hmacSha256("AWS4" + secretAccessKey.toUtf8(), date.toLatin1());
    key = crypto::hmacSha256(key, scope.region.toLatin1());
    key = crypto::hmacSha256(key, scope.service.toLatin1());
    return crypto::hmacSha256(key, "aws4_request");
}

void sign(net::OutgoingHttp& request, const Key& key, const Scope& scope, const QDateTime& now) {
    const QDateTime utc = now.toUTC();
    const QString date = utc.toString(QStringLiteral("yyyyMMdd"));
    const QByteArray stamp = utc.toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
    const QUrl url(request.url);
    QList<QPair<QByteArray, QByteArray>> signedHeaders{{"host", hostHeader(url)},
                                                       {"x-amz-date", stamp}};
    if (!key.sessionToken.isEmpty())
        signedHeaders.append({"x-amz-security-token", key.sessionToken.toUtf8()});
    QByteArray names;
    const QByteArray canonical =
        canonicalRequest(request.method, url, signedHeaders, request.body, &names);
    const QByteArray credentialScope = date.toLatin1() + '/' + scope.region.toLatin1() + '/' +
                                       scope.service.toLatin1() + "/aws4_request";
    const QByteArray toSign = "AWS4-HMAC-SHA256\n" + stamp + '\n' + credentialScope + '\n' +
                              hex(crypto::sha256(canonical));
    const QByteArray signature =
        hex(crypto::hmacSha256(signingKey(key.secretAccessKey, date, scope), toSign));
    request.headers.append({"X-Amz-Date", stamp});
    if (!key.sessionToken.isEmpty())
        request.headers.append({"X-Amz-Security-Token", key.sessionToken.toUtf8()});
    request.headers.append(
        {"Authorization", "AWS4-HMAC-SHA256 Credential=" + key.accessKeyId.toUtf8() + '/' +
                              credentialScope + ", SignedHeaders=" + names +
                              ", Signature=" + signature});
}

} // namespace ck::dnsapi::sigv4
