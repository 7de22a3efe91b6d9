#include "WebServer.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTcpSocket>
#include <QThread>

namespace ck::test {

WebServer::WebServer(QString root, int port) : m_root(std::move(root)), m_port(port) {}

WebServer::~WebServer() {
    stop();
}

void WebServer::enableTls(int port, const QString& certificateFile, const QString& keyFile) {
    m_tlsPort = port;
    m_certificateFile = certificateFile;
    m_keyFile = keyFile;
}

QString WebServer::reloadCommandLine() const {
    return QStringLiteral("%1 -p %2 -c %2/nginx.conf -s reload")
        .arg(findProgram(QStringLiteral("nginx"), QStringLiteral("/usr/sbin/nginx")),
             m_prefix.path());
}

ToolResult WebServer::writePlaceholderCertificate(const QString& certificateFile,
                                                  const QString& keyFile) {
    return runTool(findProgram(QStringLiteral("openssl")),
                   {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-subj", "/CN=placeholder", "-days", "1", "-keyout", keyFile, "-out",
                    certificateFile});
}

QString WebServer::presentedThumbprint(const QString& serverName, QString* why) const {
    const QString openssl = findProgram(QStringLiteral("openssl"));
    const ToolResult hello =
        runTool(openssl,
                {"s_client", "-connect", QStringLiteral("127.0.0.1:%1").arg(m_tlsPort),
                 "-servername", serverName},
                {}, 15000);
    const ToolResult fingerprint =
        runTool(openssl, {"x509", "-noout", "-fingerprint", "-sha256"}, hello.stdOut);
    if (!fingerprint.ok()) {
        *why = hello.describe() + fingerprint.describe();
        return {};
    }
    return QString::fromLatin1(fingerprint.stdOut).section(u'=', 1).trimmed().remove(u':');
}

bool WebServer::start(int timeoutMs) {
    const QString conf = m_prefix.filePath(QStringLiteral("nginx.conf"));
    QFile f(conf);
    if (!f.open(QIODevice::WriteOnly)) {
        m_error = f.errorString();
        return false;
    }
    // `user` is only honoured as root: the workers must be able to read the test's folders.
    f.write(QStringLiteral("daemon off;\n"
                           "worker_processes 1;\n"
                           "user root;\n"
                           "pid %1/nginx.pid;\n"
                           "error_log %1/error.log info;\n"
                           "events { worker_connections 64; }\n"
                           "http {\n"
                           "  access_log %1/access.log;\n"
                           "  client_body_temp_path %1/body;\n"
                           "  proxy_temp_path %1/proxy;\n"
                           "  fastcgi_temp_path %1/fastcgi;\n"
                           "  uwsgi_temp_path %1/uwsgi;\n"
                           "  scgi_temp_path %1/scgi;\n"
                           "  server {\n"
                           "    listen 127.0.0.1:%2;\n"
                           "    listen [::1]:%2;\n"
                           "    root %3;\n"
                           "  }\n"
                           "%4"
                           "}\n")
                .arg(m_prefix.path())
                .arg(m_port)
                .arg(m_root)
                .arg(m_tlsPort == 0 ? QString()
                                    : QStringLiteral("  server {\n"
                                                     "    listen 127.0.0.1:%1 ssl;\n"
                                                     "    ssl_certificate %2;\n"
                                                     "    ssl_certificate_key %3;\n"
                                                     "    root %4;\n"
                                                     "  }\n")
                                          .arg(m_tlsPort)
                                          .arg(m_certificateFile, m_keyFile, m_root))
                .toUtf8());
    f.close();
    if (!m_process.start(findProgram(QStringLiteral("nginx"), QStringLiteral("/usr/sbin/nginx")),
                         {QStringLiteral("-p"), m_prefix.path(), QStringLiteral("-c"), conf},
                         m_prefix.filePath(QStringLiteral("nginx.out")))) {
        m_error = m_process.errorString();
        return false;
    }
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(m_port));
        if (socket.waitForConnected(200))
            return true;
        if (!m_process.isRunning())
            break;
        QThread::msleep(50);
    }
    QFile errors(m_prefix.filePath(QStringLiteral("error.log")));
    errors.open(QIODevice::ReadOnly);
    m_error = QStringLiteral("nginx did not answer on port %1: %2 %3")
                  .arg(m_port)
                  .arg(m_process.output(), QString::fromUtf8(errors.readAll()));
    return false;
}

void WebServer::stop() {
    m_process.stop();
}

int WebServer::requestCount(const QString& pathPrefix) const {
    QFile log(m_prefix.filePath(QStringLiteral("access.log")));
    if (!log.open(QIODevice::ReadOnly))
        return 0;
    int count = 0;
    const QByteArray needle = " " + pathPrefix.toUtf8();
    for (const QByteArray& line : log.readAll().split('\n'))
        if (line.contains(needle))
            ++count;
    return count;
}

} // namespace ck::test
