#include "DeployTestSupport.h"

#include "crypto/Certificate.h"
#include "crypto/SecretBox.h"

#include <QFile>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ck::test {

IssuedItem::IssuedItem() {
    chain = crypto::test::makeChainWithOpenssl(dir.path(), QStringLiteral("shop.example.test"));
    const auto write = [&](const char* name, const QByteArray& data) {
        const QString p = dir.filePath(QLatin1String(name));
        crypto::test::writeFile(p, data);
        return p;
    };
    item.id = QStringLiteral("item1");
    item.name = QStringLiteral("Shop \"main\"");
    item.requestConfig.primaryDomain = QStringLiteral("shop.example.test");
    item.requestConfig.subjectAlternativeNames = {QStringLiteral("shop.example.test"),
                                                  QStringLiteral("www.shop.example.test")};
    item.certificatePath = write("cert.pem", chain.leafPem);
    item.certificateChainPath = write("chain.pem", chain.intermediatePem);
    item.certificateFullChainPath = write("fullchain.pem", chain.leafPem + chain.intermediatePem);
    item.certificateKeyPath = write("key.pem", chain.leafKeyPem);
    const auto info = crypto::parseCertificate(chain.leafPem);
    item.certificateThumbprint = info.sha256Thumbprint;
    item.certificateSerial = info.serialHex;
    item.dateExpiry = info.notAfter;
}

RunnerFixture::RunnerFixture()
    : credentials(dataDir.path(),
                  crypto::SecretBox::loadOrCreate(dataDir.filePath(QStringLiteral("machine.key")))),
      log(dataDir.path(), QStringLiteral("item1"), serviceLog) {}

QList<TaskRunResult> RunnerFixture::run(const QList<DeploymentTask>& tasks,
                                        const deploy::RunContext& context) {
    return runSync(runner.runTasks(tasks, context, log));
}

QString RunnerFixture::logText() const {
    QStringList lines;
    for (const auto& e : log.tail(1000))
        lines.append(QStringLiteral("[%1] %2").arg(e.level, e.message));
    return lines.join(u'\n');
}

deploy::RunContext postRequest(const ManagedCertificate& item, bool succeeded,
                               const QString& message) {
    return {item, deploy::Stage::PostRequest,
            succeeded ? QStringLiteral("success") : QStringLiteral("error"), message};
}

DeploymentTask makeTask(const QString& type, const QJsonObject& parameters, const QString& name) {
    DeploymentTask t;
    t.id = name.isEmpty() ? type : name;
    t.name = name.isEmpty() ? type : name;
    t.type = type;
    t.parameters = parameters;
    return t;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList certificateSubjects(const QString& pemFile) {
    const auto pkcs7 =
        crypto::test::runOpenssl({QStringLiteral("crl2pkcs7"), QStringLiteral("-nocrl"),
                                  QStringLiteral("-certfile"), pemFile});
    if (pkcs7.exitCode != 0)
        return {};
    const auto printed = crypto::test::runOpenssl(
        {QStringLiteral("pkcs7"), QStringLiteral("-print_certs"), QStringLiteral("-noout")},
        pkcs7.output);
    QStringList subjects;
    for (const auto& line : QString::fromUtf8(printed.output).split(u'\n'))
        if (line.startsWith(QLatin1String("subject=")))
            subjects.append(line.mid(8).trimmed());
    return subjects;
}

HttpListener::HttpListener(int status, QByteArray answer)
    : m_status(status), m_answer(std::move(answer)) {
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(::bind(m_listenFd, reinterpret_cast<sockaddr*>(&addr), len) == 0);
    REQUIRE(::listen(m_listenFd, 8) == 0);
    ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] { serve(); });
}

HttpListener::~HttpListener() {
    m_stop = true;
    m_thread.join();
    ::close(m_listenFd);
}

QList<HttpListener::Received> HttpListener::received() const {
    std::lock_guard lock(m_mutex);
    return m_received;
}

void HttpListener::serve() {
    while (!m_stop) {
        pollfd p{m_listenFd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0)
            continue;
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
            answer(fd);
            ::close(fd);
        }
    }
}

void HttpListener::answer(int fd) {
    QByteArray data;
    char buffer[4096];
    qsizetype headerEnd = -1;
    qsizetype contentLength = 0;
    while (headerEnd < 0 || data.size() < headerEnd + 4 + contentLength) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0)
            return;
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0)
            return;
        data.append(buffer, n);
        if (headerEnd < 0 && (headerEnd = data.indexOf("\r\n\r\n")) >= 0) {
            for (const auto& line : data.left(headerEnd).split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    contentLength = line.mid(15).trimmed().toLongLong();
        }
    }
    Received r;
    const QList<QByteArray> lines = data.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    r.method = requestLine.value(0);
    r.target = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const auto colon = lines[i].indexOf(':');
        if (colon > 0)
            r.headers.insert(lines[i].left(colon).trimmed().toLower(),
                             lines[i].mid(colon + 1).trimmed());
    }
    r.body = data.mid(headerEnd + 4, contentLength);
    {
        std::lock_guard lock(m_mutex);
        m_received.append(r);
    }
    const QByteArray response = "HTTP/1.1 " + QByteArray::number(m_status) +
                                " Status\r\nContent-Type: text/plain\r\nContent-Length: " +
                                QByteArray::number(m_answer.size()) +
                                "\r\nConnection: close\r\n\r\n" + m_answer;
    (void)::write(fd, response.constData(), size_t(response.size()));
}

} // namespace ck::test
