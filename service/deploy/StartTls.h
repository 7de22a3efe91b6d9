#pragma once
// The plain-text part of a STARTTLS connection, before the TLS handshake: SMTP (greeting, EHLO,
// STARTTLS offered?, STARTTLS, 220) and IMAP (greeting, "a STARTTLS", "a OK"). Each read and
// write waits at most until the deadline; a server that says no, or says nothing, is an error in
// words naming host:port. Blocking, on a connected socket.

#include <QString>

#include <chrono>

namespace ck::deploy {

enum class StartTls { None, Smtp, Imap };

// "SMTP STARTTLS", "IMAP STARTTLS", "TLS".
QString describeStartTls(StartTls mode);

// Talks the protocol on `fd` until the server is ready for the handshake; empty on success, else
// why not ("the server at mail.example.com:25 does not offer STARTTLS (it offers: PIPELINING,
// SIZE...)"). `where` is "host:port" for the messages.
QString negotiateStartTls(int fd, StartTls mode, const QString& where,
                          std::chrono::steady_clock::time_point deadline);

} // namespace ck::deploy
