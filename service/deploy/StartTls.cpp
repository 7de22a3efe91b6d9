#include "deploy/StartTls.h"

#include <QByteArray>
#include <QStringList>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>

namespace ck::deploy {

namespace {
using Clock = std::chrono::steady_clock;
constexpr qsizetype kMaxLine = 4096; // RFC 5321 allows 512; a server sending more is not SMTP
constexpr int kMaxReplyLines = 100;

int remainingMs(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return int(std::max<std::chrono::milliseconds::rep>(0, left.count()));
}

// Lines from the server, each read within the deadline. Reading in chunks is safe: the server
// sends nothing after its "go ahead" until our handshake starts, so no TLS byte is swallowed.
class LineReader {
public:
    LineReader(int fd, QString where, Clock::time_point deadline)
        : m_fd(fd), m_where(std::move(where)), m_deadline(deadline) {}

    // The next line without its CRLF; false with `error` set when none came.
    bool next(QByteArray& line, QString& error) {
        for (;;) {
            const qsizetype end = m_buffer.indexOf('\n');
            if (end >= 0) {
                line = m_buffer.left(end);
                if (line.endsWith('\r'))
                    line.chop(1);
                m_buffer.remove(0, end + 1);
                return true;
            }
            if (m_buffer.size() > kMaxLine) {
                error = QStringLiteral("the server at %1 sent a line longer than %2 bytes; it "
                                       "does not speak the protocol expected")
                            .arg(m_where)
                            .arg(kMaxLine);
                return false;
            }
            if (!fill(error))
                return false;
        }
    }

    bool send(const QByteArray& data, QString& error) {
        qsizetype sent = 0;
        while (sent < data.size()) {
            pollfd p{m_fd, POLLOUT, 0};
            if (::poll(&p, 1, remainingMs(m_deadline)) <= 0) {
                error = QStringLiteral("the server at %1 did not take our command in time")
                            .arg(m_where);
                return false;
            }
            const ssize_t n =
                ::send(m_fd, data.constData() + sent, size_t(data.size() - sent), MSG_NOSIGNAL);
            if (n <= 0) {
                error = QStringLiteral("the server at %1 closed the connection: %2")
                            .arg(m_where, QString::fromLocal8Bit(std::strerror(errno)));
                return false;
            }
            sent += n;
        }
        return true;
    }

private:
    bool fill(QString& error) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, remainingMs(m_deadline)) <= 0) {
            error = QStringLiteral("the server at %1 did not answer in time").arg(m_where);
            return false;
        }
        char chunk[512];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            error =
                QStringLiteral("the server at %1 closed the connection before TLS").arg(m_where);
            return false;
        }
        m_buffer.append(chunk, n);
        return true;
    }

    int m_fd;
    QString m_where;
    Clock::time_point m_deadline;
    QByteArray m_buffer;
};

// An SMTP reply: its code and its lines' text (a multi-line reply is "250-..." until "250 ...").
struct SmtpReply {
    int code = 0;
    QList<QByteArray> lines;
};

bool readSmtpReply(LineReader& reader, SmtpReply& reply, QString& error) {
    for (int i = 0; i < kMaxReplyLines; ++i) {
        QByteArray line;
        if (!reader.next(line, error))
            return false;
        bool numeric = false;
        const int code = line.left(3).toInt(&numeric);
        if (!numeric || (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
            error = QStringLiteral("the server does not speak SMTP: it said '%1'")
                        .arg(QString::fromUtf8(line.left(200)));
            return false;
        }
        reply.code = code;
        reply.lines.append(line.mid(4));
        if (line.size() == 3 || line[3] == ' ')
            return true;
    }
    error = QStringLiteral("the server's SMTP reply has more than %1 lines").arg(kMaxReplyLines);
    return false;
}

QString smtpText(const SmtpReply& reply) {
    return QStringLiteral("%1 %2")
        .arg(reply.code)
        .arg(QString::fromUtf8(reply.lines.join(' ').left(300)));
}

QString smtpStartTls(LineReader& reader, const QString& where) {
    QString error;
    SmtpReply greeting;
    if (!readSmtpReply(reader, greeting, error))
        return error;
    if (greeting.code != 220)
        return QStringLiteral("the server at %1 refused the SMTP session: %2")
            .arg(where, smtpText(greeting));
    SmtpReply ehlo;
    if (!reader.send("EHLO certkeeper.invalid\r\n", error) || !readSmtpReply(reader, ehlo, error))
        return error;
    if (ehlo.code != 250)
        return QStringLiteral("the server at %1 refused EHLO: %2").arg(where, smtpText(ehlo));
    QStringList offered;
    for (qsizetype i = 1; i < ehlo.lines.size(); ++i)
        offered.append(QString::fromUtf8(ehlo.lines[i].split(' ').value(0)).toUpper());
    if (!offered.contains(QStringLiteral("STARTTLS")))
        return QStringLiteral("the server at %1 does not offer STARTTLS (it offers: %2); enable "
                              "TLS on it (Postfix: smtpd_tls_security_level = may)")
            .arg(where, offered.isEmpty() ? QStringLiteral("nothing") : offered.join(u' '));
    SmtpReply go;
    if (!reader.send("STARTTLS\r\n", error) || !readSmtpReply(reader, go, error))
        return error;
    if (go.code != 220)
        return QStringLiteral("the server at %1 refused STARTTLS: %2").arg(where, smtpText(go));
    return {};
}

QString imapStartTls(LineReader& reader, const QString& where) {
    QString error;
    QByteArray greeting;
    if (!reader.next(greeting, error))
        return error;
    if (!greeting.startsWith("* OK"))
        return QStringLiteral("the server at %1 did not greet as an IMAP server: '%2'")
            .arg(where, QString::fromUtf8(greeting.left(200)));
    if (!reader.send("a STARTTLS\r\n", error))
        return error;
    for (int i = 0; i < kMaxReplyLines; ++i) {
        QByteArray line;
        if (!reader.next(line, error))
            return error;
        if (line.startsWith("* "))
            continue; // untagged data before the answer
        if (line.startsWith("a OK"))
            return {};
        if (line.startsWith("a "))
            return QStringLiteral("the server at %1 does not offer STARTTLS: it answered '%2'; "
                                  "enable TLS on it (Dovecot: ssl = yes)")
                .arg(where, QString::fromUtf8(line.mid(2).left(200)));
        return QStringLiteral("the server at %1 answered STARTTLS with '%2', not IMAP")
            .arg(where, QString::fromUtf8(line.left(200)));
    }
    return QStringLiteral("the server at %1 did not answer STARTTLS").arg(where);
}
} // namespace

QString describeStartTls(StartTls mode) {
    switch (mode) {
    case StartTls::Smtp:
        return QStringLiteral("SMTP STARTTLS");
    case StartTls::Imap:
        return QStringLiteral("IMAP STARTTLS");
    case StartTls::None:
        break;
    }
    return QStringLiteral("TLS");
}

QString negotiateStartTls(int fd, StartTls mode, const QString& where,
                          std::chrono::steady_clock::time_point deadline) {
    LineReader reader(fd, where, deadline);
    switch (mode) {
    case StartTls::Smtp:
        return smtpStartTls(reader, where);
    case StartTls::Imap:
        return imapStartTls(reader, where);
    case StartTls::None:
        break;
    }
    return {};
}

} // namespace ck::deploy
