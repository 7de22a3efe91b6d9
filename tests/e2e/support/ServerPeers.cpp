#include "ServerPeers.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTcpSocket>
#include <QThread>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ck::test {

namespace {
QString readText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool answers(int port) {
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(port));
    return socket.waitForConnected(200);
}
} // namespace

QString presentedThumbprint(int port, const QString& starttls, const QString& serverName,
                            QString* why) {
    const QString openssl = findProgram(QStringLiteral("openssl"));
    QStringList args{"s_client", "-connect", QStringLiteral("127.0.0.1:%1").arg(port)};
    if (!serverName.isEmpty())
        args << "-servername" << serverName;
    if (!starttls.isEmpty())
        args << "-starttls" << starttls;
    const ToolResult hello = runTool(openssl, args, {}, 15000);
    const ToolResult fingerprint =
        runTool(openssl, {"x509", "-noout", "-fingerprint", "-sha256"}, hello.stdOut);
    if (!fingerprint.ok()) {
        *why = hello.describe() + fingerprint.describe();
        return {};
    }
    return QString::fromLatin1(fingerprint.stdOut).section(u'=', 1).trimmed().remove(u':');
}

ToolResult writeSelfSigned(const QString& certificateFile, const QString& keyFile) {
    return runTool(findProgram(QStringLiteral("openssl")),
                   {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-subj", "/CN=placeholder", "-days", "1", "-keyout", keyFile, "-out",
                    certificateFile});
}

ServerPeer::ServerPeer() {
    // The servers' unprivileged helpers (postfix, dovenull, www-data) walk into this folder.
    ::chmod(QFile::encodeName(m_dir.path()).constData(), 0755);
    QDir(m_dir.path()).mkpath(QStringLiteral("tls"));
}

bool ServerPeer::writeText(const QString& name, const QString& text) {
    QFile f(path(name));
    if (!f.open(QIODevice::WriteOnly)) {
        m_error = f.errorString();
        return false;
    }
    f.write(text.toUtf8());
    return true;
}

bool ServerPeer::startAndWait(const QString& program, const QStringList& args, int port,
                              const QString& logFile) {
    if (!m_process.start(program, args, path(QStringLiteral("server.out")))) {
        m_error = m_process.errorString();
        return false;
    }
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        if (answers(port))
            return true;
        if (!m_process.isRunning())
            break;
        QThread::msleep(50);
    }
    m_error = QStringLiteral("%1 did not answer on port %2: %3 %4")
                  .arg(program)
                  .arg(port)
                  .arg(m_process.output(), logFile.isEmpty() ? QString() : readText(logFile));
    return false;
}

HaproxyPeer::HaproxyPeer() {
    QDir(m_dir.path()).mkpath(QStringLiteral("certs"));
    const auto ports = freeLoopbackPorts(2);
    m_tlsPort = ports[0];
    m_statsPort = ports[1];
}

bool HaproxyPeer::start() {
    const ToolResult placeholder =
        writeSelfSigned(path(QStringLiteral("tls/cert.pem")), path(QStringLiteral("tls/key.pem")));
    if (!placeholder.ok()) {
        m_error = placeholder.describe();
        return false;
    }
    // HAProxy's crt: certificate and key in one file.
    if (!writeText(QStringLiteral("certs/site.pem"),
                   readText(path(QStringLiteral("tls/cert.pem"))) +
                       readText(path(QStringLiteral("tls/key.pem")))))
        return false;
    const QString config = QStringLiteral("global\n"
                                          "    stats socket %1 mode 600 level admin\n"
                                          "    stats socket ipv4@127.0.0.1:%4 level admin\n"
                                          "defaults\n"
                                          "    mode tcp\n"
                                          "    timeout connect 5s\n"
                                          "    timeout client 30s\n"
                                          "    timeout server 30s\n"
                                          "frontend tls\n"
                                          "    bind 127.0.0.1:%2 ssl crt %3\n"
                                          "    default_backend nowhere\n"
                                          "backend nowhere\n"
                                          "    server discard 127.0.0.1:9\n")
                               .arg(socketPath())
                               .arg(m_tlsPort)
                               .arg(pemFile())
                               .arg(m_statsPort);
    if (!writeText(QStringLiteral("haproxy.cfg"), config))
        return false;
    // -db: in the foreground, one process, so the test can tell a restart by its pid.
    return startAndWait(findProgram(QStringLiteral("haproxy"), QStringLiteral("/usr/sbin/haproxy")),
                        {"-db", "-f", path(QStringLiteral("haproxy.cfg"))}, m_tlsPort, {});
}

ApachePeer::ApachePeer() {
    m_tlsPort = freeLoopbackPorts(1)[0];
}

ApachePeer::~ApachePeer() {
    m_process.stop();
}

QString ApachePeer::reloadCommandLine() const {
    return QStringLiteral("%1 -f %2 -k graceful")
        .arg(findProgram(QStringLiteral("apache2"), QStringLiteral("/usr/sbin/apache2")),
             path(QStringLiteral("apache2.conf")));
}

bool ApachePeer::start() {
    const ToolResult placeholder = writeSelfSigned(certificateFile(), keyFile());
    if (!placeholder.ok()) {
        m_error = placeholder.describe();
        return false;
    }
    const QString modules = QStringLiteral("/usr/lib/apache2/modules");
    const QString config = QStringLiteral("ServerRoot %1\n"
                                          "PidFile %1/httpd.pid\n"
                                          "ErrorLog %1/error.log\n"
                                          "LogLevel info\n"
                                          "LoadModule mpm_event_module %2/mod_mpm_event.so\n"
                                          "LoadModule authz_core_module %2/mod_authz_core.so\n"
                                          "LoadModule ssl_module %2/mod_ssl.so\n"
                                          "User nobody\n"
                                          "Group nogroup\n"
                                          "ServerName www.example.test\n"
                                          "DocumentRoot %1\n"
                                          "Listen 127.0.0.1:%3 https\n"
                                          "SSLSessionCache none\n"
                                          "<VirtualHost 127.0.0.1:%3>\n"
                                          "  SSLEngine on\n"
                                          "  SSLCertificateFile %4\n"
                                          "  SSLCertificateKeyFile %5\n"
                                          "</VirtualHost>\n")
                               .arg(m_dir.path(), modules)
                               .arg(m_tlsPort)
                               .arg(certificateFile(), keyFile());
    if (!writeText(QStringLiteral("apache2.conf"), config))
        return false;
    return startAndWait(findProgram(QStringLiteral("apache2"), QStringLiteral("/usr/sbin/apache2")),
                        {"-f", path(QStringLiteral("apache2.conf")), "-DFOREGROUND"}, m_tlsPort,
                        path(QStringLiteral("error.log")));
}

PostfixPeer::PostfixPeer(bool offerStartTls) : m_offerStartTls(offerStartTls) {
    m_smtpPort = freeLoopbackPorts(1)[0];
    for (const char* sub : {"conf", "queue", "data"})
        QDir(m_dir.path()).mkpath(QLatin1String(sub));
}

PostfixPeer::~PostfixPeer() {
    stop();
}

QString PostfixPeer::reloadCommandLine() const {
    return QStringLiteral("%1 -c %2 reload")
        .arg(findProgram(QStringLiteral("postfix"), QStringLiteral("/usr/sbin/postfix")),
             configDir());
}

void PostfixPeer::stop() {
    // The master daemon leads a session of its own, out of reach of the process group's kill.
    if (m_process.isRunning())
        runTool(findProgram(QStringLiteral("postfix"), QStringLiteral("/usr/sbin/postfix")),
                {"-c", configDir(), "abort"});
    m_process.stop();
}

bool PostfixPeer::start() {
    const ToolResult placeholder =
        writeSelfSigned(path(QStringLiteral("tls/cert.pem")), path(QStringLiteral("tls/key.pem")));
    if (!placeholder.ok()) {
        m_error = placeholder.describe();
        return false;
    }
    // smtpd_tls_chain_files: the key, then the certificate.
    if (!writeText(QStringLiteral("tls/chain.pem"),
                   readText(path(QStringLiteral("tls/key.pem"))) +
                       readText(path(QStringLiteral("tls/cert.pem")))))
        return false;
    ::chmod(QFile::encodeName(chainFile()).constData(), 0600);
    // The data directory belongs to the mail_owner; the queue directory to root.
    if (const passwd* postfix = ::getpwnam("postfix"))
        if (::chown(QFile::encodeName(path(QStringLiteral("data"))).constData(), postfix->pw_uid,
                    postfix->pw_gid) != 0)
            m_error = QStringLiteral("cannot give the data directory to postfix");
    const QString main =
        QStringLiteral("compatibility_level = 3.6\n"
                       "queue_directory = %1/queue\n"
                       "data_directory = %1/data\n"
                       "inet_interfaces = 127.0.0.1\n"
                       "inet_protocols = ipv4\n"
                       "myhostname = mail.example.test\n"
                       "mydestination =\n"
                       "maillog_file_prefixes = %1\n"
                       "maillog_file = %1/maillog\n"
                       "smtpd_tls_security_level = %2\n"
                       "smtpd_tls_chain_files = %3\n")
            .arg(m_dir.path(), m_offerStartTls ? QStringLiteral("may") : QStringLiteral("none"),
                 chainFile());
    const QString master = QStringLiteral("127.0.0.1:%1 inet n - n - - smtpd\n").arg(m_smtpPort) +
                           QStringLiteral("cleanup unix n - n - 0 cleanup\n"
                                          "qmgr unix n - n 300 1 qmgr\n"
                                          "tlsmgr unix - - n 1000? 1 tlsmgr\n"
                                          "rewrite unix - - n - - trivial-rewrite\n"
                                          "bounce unix - - n - 0 bounce\n"
                                          "defer unix - - n - 0 bounce\n"
                                          "trace unix - - n - 0 bounce\n"
                                          "verify unix - - n - 1 verify\n"
                                          "proxymap unix - - n - - proxymap\n"
                                          "error unix - - n - - error\n"
                                          "retry unix - - n - - error\n"
                                          "discard unix - - n - - discard\n"
                                          "anvil unix - - n - 1 anvil\n"
                                          "scache unix - - n - 1 scache\n"
                                          "postlog unix-dgram n - n - 1 postlogd\n");
    if (!writeText(QStringLiteral("conf/main.cf"), main) ||
        !writeText(QStringLiteral("conf/master.cf"), master))
        return false;
    return startAndWait(findProgram(QStringLiteral("postfix"), QStringLiteral("/usr/sbin/postfix")),
                        {"-c", configDir(), "start-fg"}, m_smtpPort,
                        path(QStringLiteral("maillog")));
}

DovecotPeer::DovecotPeer(bool ssl) : m_ssl(ssl) {
    const auto ports = freeLoopbackPorts(2);
    m_imapPort = ports[0];
    m_imapsPort = ports[1];
}

QString DovecotPeer::reloadCommandLine() const {
    return QStringLiteral("%1 -c %2 reload")
        .arg(findProgram(QStringLiteral("doveadm"), QStringLiteral("/usr/bin/doveadm")),
             path(QStringLiteral("dovecot.conf")));
}

bool DovecotPeer::start() {
    const ToolResult placeholder = writeSelfSigned(certificateFile(), keyFile());
    if (!placeholder.ok()) {
        m_error = placeholder.describe();
        return false;
    }
    const QString tls = m_ssl ? QStringLiteral("ssl = yes\n"
                                               "ssl_cert = <%1\n"
                                               "ssl_key = <%2\n")
                                    .arg(certificateFile(), keyFile())
                              : QStringLiteral("ssl = no\n");
    const QString imaps = m_ssl ? QStringLiteral("  inet_listener imaps {\n"
                                                 "    address = 127.0.0.1\n"
                                                 "    port = %1\n"
                                                 "  }\n")
                                      .arg(m_imapsPort)
                                : QString();
    const QString config = QStringLiteral("base_dir = %1/run\n"
                                          "state_dir = %1/state\n"
                                          "protocols = imap\n"
                                          "listen = 127.0.0.1\n"
                                          "log_path = %1/dovecot.log\n"
                                          "%2"
                                          "passdb {\n"
                                          "  driver = static\n"
                                          "  args = password=unused\n"
                                          "}\n"
                                          "userdb {\n"
                                          "  driver = static\n"
                                          "  args = uid=nobody gid=nogroup home=%1/home\n"
                                          "}\n"
                                          "service imap-login {\n"
                                          "  inet_listener imap {\n"
                                          "    address = 127.0.0.1\n"
                                          "    port = %3\n"
                                          "  }\n"
                                          "%4"
                                          "}\n")
                               .arg(m_dir.path(), tls)
                               .arg(m_imapPort)
                               .arg(imaps);
    if (!writeText(QStringLiteral("dovecot.conf"), config))
        return false;
    return startAndWait(findProgram(QStringLiteral("dovecot"), QStringLiteral("/usr/sbin/dovecot")),
                        {"-F", "-c", path(QStringLiteral("dovecot.conf"))}, m_imapPort,
                        path(QStringLiteral("dovecot.log")));
}

} // namespace ck::test
