#pragma once
// Outgoing HTTP (webhooks) and SMTP (email notifications) through libcurl: a well-kept
// implementation of redirects, TLS, proxies, STARTTLS and SMTP AUTH that we would otherwise
// write and maintain ourselves. The calls block, so callers run them on a worker pool
// (process::ProcessRunner::offload), never on the network thread.

#include "config/ProxySettings.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <atomic>
#include <chrono>

namespace ck::net {

struct OutgoingHttp {
    QString method = QStringLiteral("POST");
    QString url;
    QList<QPair<QByteArray, QByteArray>> headers; // name, value
    QByteArray body;
    std::chrono::seconds timeout{30};
    qsizetype maxBody = 16 * 1024; // bytes of the answer kept (DNS APIs list whole zones)
    // A PEM file of CA certificates trusted for https besides the system's store (a private
    // endpoint, a TLS-inspecting proxy); empty: the system's only.
    QString caFile;
};

struct OutgoingHttpResult {
    static constexpr qsizetype bodyCap = 16 * 1024;
    int status = 0;  // the HTTP status, 0 when no answer arrived
    QByteArray body; // the answer's first maxBody bytes
    QString error;   // why no answer arrived (connection refused, timeout, TLS...)
    QList<QPair<QByteArray, QByteArray>> headers; // of the final answer; names in lower case
    QByteArray header(const QByteArray& lowerCaseName) const; // empty when absent
    bool ok() const { return error.isEmpty() && status >= 200 && status < 300; }
    // "HTTP 200", "HTTP 500: <first line of the body>", or the transport error.
    QString summary() const;
};

// Goes through the outgoing proxy (setOutgoingProxy) unless it bypasses the URL's host; never
// through a proxy libcurl would find in the environment on its own: which proxy is used is
// decided once, by the service, for libcurl and Beast alike.
OutgoingHttpResult sendHttpBlocking(const OutgoingHttp& request);

// The proxy sendHttpBlocking uses. Set once at start (core/ServiceApp) before any transfer
// runs, and only read afterwards, from the worker threads: a process-wide setting rather than a
// parameter of every webhook, DNS API and notification call. Default: none (direct).
void setOutgoingProxy(const OutgoingProxy& proxy);
const OutgoingProxy& outgoingProxy();

enum class MailSecurity { StartTls, Tls, None };

struct MailServer {
    QString host;
    int port = 587;
    MailSecurity security = MailSecurity::StartTls;
    QString username; // empty: no SMTP AUTH
    QString password;
    QString caFile; // extra CA certificates to trust (an internal relay); empty: the system's
    std::chrono::seconds timeout{30};
    // How long connecting may take, within `timeout`; zero: libcurl's own limit.
    std::chrono::milliseconds connectTimeout{0};
    // When set and it turns true (the service is stopping), the transfer is given up within a
    // second rather than at its time limit.
    const std::atomic<bool>* stop = nullptr;
};

struct MailMessage {
    QString from; // the sender's address
    QStringList to;
    QString subject;
    QString body;     // plain text, UTF-8
    QString fromName; // optional display name shown with the sender's address
};

// The message as RFC 5322 text: Date, From, To, Subject (RFC 2047-encoded unless plain ASCII),
// Message-ID, Auto-Submitted and a UTF-8 plain-text body. Lines end with `lineEnd`: CRLF for
// SMTP, LF for a local `sendmail`, which expects the system's line ending.
QByteArray formatMail(const MailMessage& m, const QByteArray& lineEnd = "\r\n");

// Sends the message; returns an empty string on success or what went wrong, phrased for a user
// (never containing the password): "Sending email through host:port failed: <why>".
QString sendMailBlocking(const MailServer& server, const MailMessage& message);
// The same with only <why>, for a caller that names the server itself.
QString sendMailBlockingWhy(const MailServer& server, const MailMessage& message);

} // namespace ck::net
