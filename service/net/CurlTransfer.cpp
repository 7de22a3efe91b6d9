#include "net/CurlTransfer.h"
#include "base/Clock.h"

#include <QDateTime>
#include <QFile>
#include <QLocale>
#include <QUrl>
#include <QUuid>

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace ck::net {

namespace {
void initCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using HeaderList = std::unique_ptr<curl_slist, ListDeleter>;

void append(HeaderList& list, const QByteArray& line) {
    curl_slist* grown = curl_slist_append(list.get(), line.constData());
    if (grown) {
        (void)list.release();
        list.reset(grown);
    }
}

struct BodySink {
    QByteArray* body;
    qsizetype cap;
};

size_t collectBody(char* data, size_t size, size_t count, void* target) {
    auto* sink = static_cast<BodySink*>(target);
    const auto bytes = static_cast<qsizetype>(size * count);
    const qsizetype room = sink->cap - sink->body->size();
    if (room > 0)
        sink->body->append(data, std::min(room, bytes));
    return size * count; // keep reading past the cap so the server is not cut off mid-answer
}

// One header line at a time; a status line starts a new answer (after 100 Continue, or a
// proxy's CONNECT), so only the final answer's headers are kept.
size_t collectHeader(char* data, size_t size, size_t count, void* target) {
    auto* headers = static_cast<QList<QPair<QByteArray, QByteArray>>*>(target);
    const QByteArray line = QByteArray(data, static_cast<qsizetype>(size * count)).trimmed();
    if (line.startsWith("HTTP/"))
        headers->clear();
    const qsizetype colon = line.indexOf(':');
    if (colon > 0 && headers->size() < 100)
        headers->append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    return size * count;
}

struct MailReader {
    QByteArray data;
    qsizetype offset = 0;
};

size_t readMail(char* buffer, size_t size, size_t count, void* source) {
    auto* reader = static_cast<MailReader*>(source);
    const auto room = static_cast<qsizetype>(size * count);
    const qsizetype n = std::min(room, reader->data.size() - reader->offset);
    std::memcpy(buffer, reader->data.constData() + reader->offset, static_cast<size_t>(n));
    reader->offset += n;
    return static_cast<size_t>(n);
}

// The server's last refusal (a reply line starting 4 or 5: "530 5.7.0 Must issue a STARTTLS
// command first"): libcurl's own message for a refused command has only the code. Later replies
// (to QUIT) do not replace it.
int keepLastRefusal(CURL*, curl_infotype type, char* data, size_t size, void* target) {
    if (type == CURLINFO_HEADER_IN && size > 3 && (data[0] == '4' || data[0] == '5')) {
        const QByteArray line = QByteArray(data, static_cast<qsizetype>(size)).trimmed();
        *static_cast<QByteArray*>(target) = line.left(200);
    }
    return 0;
}

int stopRequested(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<const std::atomic<bool>*>(stop)->load() ? 1 : 0;
}

OutgoingProxy& proxySetting() {
    static OutgoingProxy proxy;
    return proxy;
}

// What a proxy's refusal of a CONNECT means for the user.
QString proxyRefusalAdvice(long status) {
    switch (status) {
    case 401: // some proxies (tinyproxy's BasicAuth) answer 401 where 407 is the standard
    case 407:
        return QStringLiteral("the proxy wants a user name and password, or refused the ones "
                              "given: check the credential named in serviceconfig.json's "
                              "proxy.credentialId");
    case 403:
        return QStringLiteral("the proxy does not allow connections to this destination");
    case 502:
    case 503:
    case 504:
        return QStringLiteral("the proxy could not reach the destination");
    default:
        return QStringLiteral("the proxy refused the tunnel");
    }
}

// Through the proxy unless it is bypassed for this host; CURLOPT_PROXY "" stops libcurl from
// taking a proxy from the environment by itself. Every destination is tunnelled with CONNECT, so
// the proxy never sees a request, even to an http:// address. True when the proxy is used.
bool applyProxy(CURL* c, const QString& host, QByteArray& address, QByteArray& user,
                QByteArray& password) {
    const OutgoingProxy& proxy = proxySetting();
    if (!proxy.appliesTo(host)) {
        curl_easy_setopt(c, CURLOPT_PROXY, "");
        return false;
    }
    address = proxy.address().toUtf8();
    curl_easy_setopt(c, CURLOPT_PROXY, address.constData());
    curl_easy_setopt(c, CURLOPT_HTTPPROXYTUNNEL, 1L);
    if (!proxy.user.isEmpty()) {
        user = proxy.user.toUtf8();
        password = proxy.password.toUtf8();
        curl_easy_setopt(c, CURLOPT_PROXYUSERNAME, user.constData());
        curl_easy_setopt(c, CURLOPT_PROXYPASSWORD, password.constData());
        curl_easy_setopt(c, CURLOPT_PROXYAUTH, static_cast<long>(CURLAUTH_BASIC));
    }
    return true;
}

QString curlError(CURLcode code, const char* detail) {
    const QString text =
        detail && *detail ? QString::fromUtf8(detail) : QString::fromUtf8(curl_easy_strerror(code));
    return text.trimmed();
}

// A header value as it is when it is printable ASCII (what a plain `mail` reader shows as
// is), else RFC 2047-encoded so any language survives.
QByteArray headerText(const QString& text) {
    const bool plain = std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.unicode() >= 0x20 && c.unicode() < 0x7f;
    });
    if (plain)
        return text.toLatin1();
    return "=?UTF-8?B?" + text.toUtf8().toBase64() + "?=";
}

// A display name as a quoted string, or encoded when it is not plain ASCII.
QByteArray displayName(const QString& name) {
    const QByteArray text = headerText(name);
    if (text.startsWith("=?"))
        return text;
    QByteArray quoted = text;
    quoted.replace('\\', "\\\\").replace('"', "\\\"");
    return '"' + quoted + '"';
}
} // namespace

QByteArray formatMail(const MailMessage& m, const QByteArray& lineEnd) {
    const QByteArray date =
        QLocale::c()
            .toString(Clock::system().now(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"))
            .toLatin1() +
        " +0000";
    const QByteArray domain = m.from.section(QLatin1Char('@'), 1).toUtf8();
    const QByteArray from = m.fromName.isEmpty()
                                ? m.from.toUtf8()
                                : displayName(m.fromName) + " <" + m.from.toUtf8() + ">";
    QByteArray out;
    out += "Date: " + date + lineEnd;
    out += "From: " + from + lineEnd;
    out += "To: " + m.to.join(QStringLiteral(", ")).toUtf8() + lineEnd;
    out += "Subject: " + headerText(m.subject) + lineEnd;
    out += "Message-ID: <" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces) + "@" + domain +
           ">" + lineEnd;
    // RFC 3834: sent by a program, so vacation responders and the like do not answer it.
    out += "Auto-Submitted: auto-generated" + lineEnd;
    out += "MIME-Version: 1.0" + lineEnd + "Content-Type: text/plain; charset=UTF-8" + lineEnd +
           "Content-Transfer-Encoding: 8bit" + lineEnd + lineEnd;
    QByteArray body = m.body.toUtf8();
    body.replace("\r\n", "\n").replace("\n", lineEnd);
    out += body;
    if (!out.endsWith(lineEnd))
        out += lineEnd;
    return out;
}

QByteArray OutgoingHttpResult::header(const QByteArray& lowerCaseName) const {
    for (const auto& [name, value] : headers)
        if (name == lowerCaseName)
            return value;
    return {};
}

QString OutgoingHttpResult::summary() const {
    if (!error.isEmpty())
        return error;
    QString text = QStringLiteral("HTTP %1").arg(status);
    const QString firstLine = QString::fromUtf8(body).section(QLatin1Char('\n'), 0, 0).trimmed();
    if (!ok() && !firstLine.isEmpty())
        text += QStringLiteral(": ") + firstLine.left(200);
    return text;
}

void setOutgoingProxy(const OutgoingProxy& proxy) {
    proxySetting() = proxy;
}

const OutgoingProxy& outgoingProxy() {
    return proxySetting();
}

OutgoingHttpResult sendHttpBlocking(const OutgoingHttp& request) {
    initCurlOnce();
    OutgoingHttpResult result;
    Easy easy(curl_easy_init());
    if (!easy) {
        result.error = QStringLiteral("Could not start an HTTP transfer (out of memory)");
        return result;
    }
    char errorBuffer[CURL_ERROR_SIZE] = {};
    const QByteArray url = request.url.toUtf8();
    const QByteArray method = request.method.toUpper().toUtf8();
    HeaderList headers;
    for (const auto& [name, value] : request.headers)
        append(headers, name + ": " + value);
    append(headers, "Expect:"); // no 100-continue round trip for small bodies
    CURL* c = easy.get();
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(c, CURLOPT_URL, url.constData());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.constData());
    if (method != "GET" && method != "HEAD") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.constData());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    } else if (method == "HEAD") {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    // libcurl keeps its CA directory (/etc/ssl/certs on Debian) beside CAINFO, so the file adds
    // to the system's trust rather than replacing it.
    const QByteArray caFile = QFile::encodeName(request.caFile);
    if (!caFile.isEmpty())
        curl_easy_setopt(c, CURLOPT_CAINFO, caFile.constData());
    curl_easy_setopt(c, CURLOPT_USERAGENT, "certkeeper/" CERTKEEPER_VERSION);
    BodySink sink{&result.body, request.maxBody};
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collectBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collectHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &result.headers);
    QByteArray proxyAddress, proxyUser, proxyPassword;
    const bool proxied =
        applyProxy(c, QUrl(request.url).host(), proxyAddress, proxyUser, proxyPassword);
    const CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) {
        // Only scheme, host and port: a webhook's path or query often is its secret (Slack,
        // tokens), and this text goes to logs.
        const QUrl target(request.url);
        const QString where = target
                                  .adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath |
                                            QUrl::RemoveQuery | QUrl::RemoveFragment)
                                  .toString();
        long connectStatus = 0;
        curl_easy_getinfo(c, CURLINFO_HTTP_CONNECTCODE, &connectStatus);
        QString why = curlError(code, errorBuffer);
        if (proxied && connectStatus >= 300)
            why = QStringLiteral("the proxy %1 answered HTTP %2 to CONNECT %3:%4: %5")
                      .arg(QString::fromUtf8(proxyAddress))
                      .arg(connectStatus)
                      .arg(target.host())
                      .arg(target.port(target.scheme() == QLatin1String("https") ? 443 : 80))
                      .arg(proxyRefusalAdvice(connectStatus));
        else if (proxied)
            why += QStringLiteral(" (through the proxy %1)").arg(QString::fromUtf8(proxyAddress));
        result.error =
            QStringLiteral("%1 %2 failed: %3").arg(QString::fromUtf8(method), where, why);
        return result;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    result.status = static_cast<int>(status);
    return result;
}

QString sendMailBlocking(const MailServer& server, const MailMessage& message) {
    const QString why = sendMailBlockingWhy(server, message);
    if (why.isEmpty() || server.host.isEmpty() || message.to.isEmpty())
        return why;
    return QStringLiteral("Sending email through %1:%2 failed: %3")
        .arg(server.host)
        .arg(server.port)
        .arg(why);
}

QString sendMailBlockingWhy(const MailServer& server, const MailMessage& message) {
    initCurlOnce();
    if (server.host.isEmpty())
        return QStringLiteral("No SMTP server is set; add one in the notification settings");
    if (message.to.isEmpty())
        return QStringLiteral("No recipient address is set");
    Easy easy(curl_easy_init());
    if (!easy)
        return QStringLiteral("Could not start an SMTP transfer (out of memory)");
    const char* scheme = server.security == MailSecurity::Tls ? "smtps" : "smtp";
    // An IPv6 address goes in brackets in a URL.
    const QString host = server.host.contains(QLatin1Char(':'))
                             ? QStringLiteral("[%1]").arg(server.host)
                             : server.host;
    const QByteArray url =
        QStringLiteral("%1://%2:%3").arg(QLatin1String(scheme), host).arg(server.port).toUtf8();
    const QByteArray from = "<" + message.from.toUtf8() + ">";
    HeaderList recipients;
    for (const auto& to : message.to)
        append(recipients, "<" + to.toUtf8() + ">");
    const QByteArray user = server.username.toUtf8();
    const QByteArray password = server.password.toUtf8();
    const QByteArray caFile = server.caFile.toUtf8();
    MailReader reader{formatMail(message), 0};
    char errorBuffer[CURL_ERROR_SIZE] = {};

    CURL* c = easy.get();
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(c, CURLOPT_URL, url.constData());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(server.timeout.count()));
    if (server.connectTimeout.count() > 0)
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(server.connectTimeout.count()));
    if (server.stop) {
        // Called about once a second, and at every step of the transfer: non-zero aborts it.
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, stopRequested);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, server.stop);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    }
    if (server.security == MailSecurity::StartTls)
        curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!caFile.isEmpty())
        curl_easy_setopt(c, CURLOPT_CAINFO, caFile.constData());
    if (!user.isEmpty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(c, CURLOPT_PASSWORD, password.constData());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, readMail);
    curl_easy_setopt(c, CURLOPT_READDATA, &reader);
    QByteArray refusal;
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, keepLastRefusal);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, &refusal);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L); // the debug function sees the replies
    const CURLcode code = curl_easy_perform(c);
    if (code == CURLE_OK)
        return {};
    // A refusal in the server's words, after libcurl's.
    const QString answered = refusal.isEmpty() ? QString()
                                               : QStringLiteral(" (the server answered \"%1\")")
                                                     .arg(QString::fromUtf8(refusal).simplified());
    if (code == CURLE_LOGIN_DENIED)
        return QStringLiteral("the server refused the user name or password");
    if (code == CURLE_USE_SSL_FAILED)
        return QStringLiteral("the server does not offer STARTTLS; choose TLS or check the port");
    if (code == CURLE_ABORTED_BY_CALLBACK)
        return QStringLiteral("given up because the service is stopping");
    return curlError(code, errorBuffer) + answered;
}

} // namespace ck::net
