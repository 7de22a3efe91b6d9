// The server task types' pieces against real servers started here: the STARTTLS probe against
// Postfix (SMTP) and Dovecot (IMAP), compared with what openssl s_client reads; a server that
// does not offer STARTTLS, or says nothing, is a clear error in time. HAProxy's runtime API:
// a new certificate served without a restart, a refused update (HAProxy's own words, the old
// certificate still served) and a socket that is not there. Then whole tasks through the runner:
// files with their modes, the reload command's failure with its output, the served-certificate
// check over STARTTLS.

#include "DeployTestSupport.h"
#include "ServerPeers.h"
#include "deploy/HaproxyRuntime.h"
#include "deploy/TlsProbe.h"

#include <QElapsedTimer>
#include <QJsonObject>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace ck;
using namespace ck::deploy;
using namespace ck::test;

namespace {
constexpr auto kTimeout = std::chrono::seconds(5);

template <typename Peer> void requireStarted(Peer& peer) {
    const bool started = peer.start();
    INFO(peer.errorString().toStdString());
    REQUIRE(started);
}

QString served(int port, const QString& starttls = {}) {
    QString why;
    const QString thumbprint = presentedThumbprint(port, starttls, {}, &why);
    INFO(why.toStdString());
    REQUIRE(!thumbprint.isEmpty());
    return thumbprint;
}

// A loopback port that accepts connections (the kernel completes them) and never says a word.
struct SilentPort {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    int port = 0;
    SilentPort() {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(0x7f000001u); // 127.0.0.1
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd, 8) == 0);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~SilentPort() { ::close(fd); }
};

QByteArray haproxyPem(const IssuedItem& issued) {
    return issued.chain.leafPem + issued.chain.intermediatePem + issued.chain.leafKeyPem;
}
} // namespace

TEST_CASE("The probe reads what Postfix presents after EHLO and STARTTLS", "[deploy][starttls]") {
    PostfixPeer postfix;
    requireStarted(postfix);
    const TlsProbeResult probe = probeTlsCertificate(
        QStringLiteral("127.0.0.1"), postfix.smtpPort(), {}, kTimeout, StartTls::Smtp);
    INFO(probe.error.toStdString());
    REQUIRE(probe.ok());
    CHECK(probe.thumbprint == served(postfix.smtpPort(), QStringLiteral("smtp")));

    // TLS from the first byte on a port that speaks SMTP first: an error, not a hang.
    QElapsedTimer timer;
    timer.start();
    const TlsProbeResult direct =
        probeTlsCertificate(QStringLiteral("127.0.0.1"), postfix.smtpPort(), {}, kTimeout);
    CHECK_FALSE(direct.ok());
    CHECK(direct.error.contains(QStringLiteral("TLS handshake with 127.0.0.1 port")));
    CHECK(timer.elapsed() < 7000);
}

TEST_CASE("An SMTP server that does not offer STARTTLS is named in the error",
          "[deploy][starttls]") {
    PostfixPeer postfix(false);
    requireStarted(postfix);
    const TlsProbeResult probe = probeTlsCertificate(
        QStringLiteral("127.0.0.1"), postfix.smtpPort(), {}, kTimeout, StartTls::Smtp);
    CHECK_FALSE(probe.ok());
    INFO(probe.error.toStdString());
    CHECK(probe.error.startsWith(QStringLiteral("the server at 127.0.0.1:%1 does not offer "
                                                "STARTTLS (it offers: ")
                                     .arg(postfix.smtpPort())));
    CHECK(probe.error.contains(QStringLiteral("PIPELINING")));
}

TEST_CASE("The probe reads what Dovecot presents after 'a STARTTLS', and on IMAPS",
          "[deploy][starttls]") {
    DovecotPeer dovecot;
    requireStarted(dovecot);
    const TlsProbeResult probe = probeTlsCertificate(
        QStringLiteral("127.0.0.1"), dovecot.imapPort(), {}, kTimeout, StartTls::Imap);
    INFO(probe.error.toStdString());
    REQUIRE(probe.ok());
    CHECK(probe.thumbprint == served(dovecot.imapPort(), QStringLiteral("imap")));
    const TlsProbeResult imaps =
        probeTlsCertificate(QStringLiteral("127.0.0.1"), dovecot.imapsPort(), {}, kTimeout);
    REQUIRE(imaps.ok());
    CHECK(imaps.thumbprint == probe.thumbprint);

    // SMTP's dialogue with an IMAP server: it says so instead of waiting.
    const TlsProbeResult wrong = probeTlsCertificate(
        QStringLiteral("127.0.0.1"), dovecot.imapPort(), {}, kTimeout, StartTls::Smtp);
    CHECK(wrong.error.startsWith(QStringLiteral("the server does not speak SMTP: it said '* OK")));
}

TEST_CASE("An IMAP server without TLS refuses STARTTLS, in its own words", "[deploy][starttls]") {
    DovecotPeer dovecot(false);
    requireStarted(dovecot);
    const TlsProbeResult probe = probeTlsCertificate(
        QStringLiteral("127.0.0.1"), dovecot.imapPort(), {}, kTimeout, StartTls::Imap);
    CHECK_FALSE(probe.ok());
    INFO(probe.error.toStdString());
    CHECK(probe.error.startsWith(
        QStringLiteral("the server at 127.0.0.1:%1 does not offer STARTTLS: it answered 'BAD")
            .arg(dovecot.imapPort())));
}

TEST_CASE("A server that never greets fails the STARTTLS probe at its time limit",
          "[deploy][starttls]") {
    SilentPort silent;
    for (StartTls mode : {StartTls::Smtp, StartTls::Imap}) {
        QElapsedTimer timer;
        timer.start();
        const TlsProbeResult probe = probeTlsCertificate(QStringLiteral("127.0.0.1"), silent.port,
                                                         {}, std::chrono::milliseconds(800), mode);
        CHECK(probe.error ==
              QStringLiteral("the server at 127.0.0.1:%1 did not answer in time").arg(silent.port));
        CHECK(timer.elapsed() >= 700);
        CHECK(timer.elapsed() < 3000);
    }
}

TEST_CASE("HAProxy takes a new certificate through its runtime API without a restart",
          "[deploy][haproxy]") {
    IssuedItem issued;
    HaproxyPeer haproxy;
    requireStarted(haproxy);
    const qint64 pid = haproxy.pid();
    const QString before = served(haproxy.tlsPort());
    const HaproxySocket socket{haproxy.socketPath(), kTimeout};

    SECTION("set and commit: served at once, by the same process") {
        const HaproxyUpdate update =
            updateHaproxyCertificate(socket, haproxy.pemFile(), haproxyPem(issued));
        INFO(update.message.toStdString());
        REQUIRE(update.ok);
        CHECK(update.message.contains(QStringLiteral("Success!")));
        CHECK(served(haproxy.tlsPort()) == issued.item.certificateThumbprint);
        CHECK(haproxy.pid() == pid);
        CHECK(haproxy.isRunning());
        // No transaction is left open.
        CHECK(haproxyCommand(socket, "show ssl cert\n").text.indexOf(u'*') < 0);
    }
    SECTION("the same through the runtime API on host:port") {
        const HaproxyUpdate update = updateHaproxyCertificate(
            {haproxy.statsAddress(), kTimeout}, haproxy.pemFile(), haproxyPem(issued));
        INFO(update.message.toStdString());
        REQUIRE(update.ok);
        CHECK(served(haproxy.tlsPort()) == issued.item.certificateThumbprint);
        CHECK(haproxy.pid() == pid);
    }
    SECTION("a certificate HAProxy does not load: refused in its words, the old one served") {
        const HaproxyUpdate update = updateHaproxyCertificate(
            socket, haproxy.path(QStringLiteral("certs/other.pem")), haproxyPem(issued));
        CHECK_FALSE(update.ok);
        INFO(update.message.toStdString());
        CHECK(update.message.contains(
            QStringLiteral("Can't replace a certificate which is not referenced by the "
                           "configuration!")));
        CHECK(served(haproxy.tlsPort()) == before);
    }
    SECTION("a key that does not match: the commit is refused and the transaction aborted") {
        QFile placeholderKey(haproxy.path(QStringLiteral("tls/key.pem")));
        REQUIRE(placeholderKey.open(QIODevice::ReadOnly));
        const QByteArray pem = issued.chain.leafPem + placeholderKey.readAll();
        const HaproxyUpdate update = updateHaproxyCertificate(socket, haproxy.pemFile(), pem);
        CHECK_FALSE(update.ok);
        INFO(update.message.toStdString());
        CHECK(update.message.contains(QStringLiteral("inconsistencies between private key and "
                                                     "certificate")));
        CHECK(update.message.contains(QStringLiteral("the transaction was aborted")));
        CHECK(served(haproxy.tlsPort()) == before);
        // Aborted: the next, good update goes through.
        CHECK(updateHaproxyCertificate(socket, haproxy.pemFile(), haproxyPem(issued)).ok);
    }
    SECTION("no socket there") {
        const HaproxyUpdate update =
            updateHaproxyCertificate({haproxy.path(QStringLiteral("missing.sock")), kTimeout},
                                     haproxy.pemFile(), haproxyPem(issued));
        CHECK_FALSE(update.ok);
        CHECK(update.message ==
              QStringLiteral("cannot connect to HAProxy's stats socket %1: No such file or "
                             "directory")
                  .arg(haproxy.path(QStringLiteral("missing.sock"))));
        CHECK(served(haproxy.tlsPort()) == before);
    }
}
