// The server task types end to end: Pebble issues a certificate, the post-request tasks put it
// where real HAProxy, Apache, Postfix and Dovecot (started here with their own configuration)
// read it and make each take it: HAProxy through its runtime API (the same process, no restart),
// the others by their reload. openssl s_client, an independent client, confirms each serves the
// new certificate (-starttls smtp and imap for the mail servers). A renewal replaces them again;
// the Test action checks what each serves; a failing reload leaves a Warning with its output.

#include "IssuanceFixture.h"
#include "PreviewSupport.h"
#include "ServerPeers.h"

#include <catch2/catch.hpp>

#include <QJsonArray>
#include <QJsonObject>

using namespace ck::test;

namespace {
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

QJsonObject task(const char* name, const char* type, QJsonObject parameters, int port,
                 const char* protocol) {
    parameters.insert("checkHost", "127.0.0.1");
    parameters.insert("checkPort", port);
    parameters.insert("checkProtocol", protocol);
    parameters.insert("checkWaitSeconds", 20);
    return {{"name", name}, {"type", type}, {"id", type}, {"parameters", parameters}};
}

struct Servers {
    HaproxyPeer haproxy;
    ApachePeer apache;
    PostfixPeer postfix;
    DovecotPeer dovecot;
    Servers() {
        requireStarted(haproxy);
        requireStarted(apache);
        requireStarted(postfix);
        requireStarted(dovecot);
    }
    QJsonArray tasks() const {
        return {
            task("HAProxy", "haproxy",
                 {{"certificateFile", haproxy.pemFile()}, {"statsSocket", haproxy.socketPath()}},
                 haproxy.tlsPort(), "auto"),
            task("Apache", "apache",
                 {{"certificateFile", apache.certificateFile()},
                  {"keyFile", apache.keyFile()},
                  {"reloadCommand", apache.reloadCommandLine()}},
                 apache.tlsPort(), "auto"),
            task("Postfix", "postfix",
                 {{"chainFilesFile", postfix.chainFile()},
                  {"reloadCommand", postfix.reloadCommandLine()}},
                 postfix.smtpPort(), "smtp-starttls"),
            task("Dovecot", "dovecot",
                 {{"certificateFile", dovecot.certificateFile()},
                  {"keyFile", dovecot.keyFile()},
                  {"reloadCommand", dovecot.reloadCommandLine()}},
                 dovecot.imapPort(), "imap-starttls")};
    }
    void requireServing(const QString& thumbprint) const {
        CHECK(served(haproxy.tlsPort()) == thumbprint);
        CHECK(served(apache.tlsPort()) == thumbprint);
        CHECK(served(postfix.smtpPort(), QStringLiteral("smtp")) == thumbprint);
        CHECK(served(dovecot.imapPort(), QStringLiteral("imap")) == thumbprint);
        CHECK(served(dovecot.imapsPort()) == thumbprint);
    }
};
} // namespace

TEST_CASE("Issued and deployed to HAProxy, Apache, Postfix and Dovecot, each serving it",
          "[e2e][deploy][servers]") {
    IssuanceFixture f;
    Servers servers;
    const qint64 haproxyPid = servers.haproxy.pid();
    const QString name = QStringLiteral("mail.example.test");
    const QString placeholder = served(servers.haproxy.tlsPort());

    const QString id = f.createItem({name}, {}, {{"postRequestTasks", servers.tasks()}});
    const QJsonObject item = requireIssued(f, f.requestAndWait(id));
    const QString log = f.itemLog(id);
    INFO(log.toStdString());
    CHECK(item.value("lastRenewalStatus").toString() == QStringLiteral("Success"));
    const QString thumbprint = item.value("certificateThumbprint").toString();
    CHECK(thumbprint != placeholder);
    servers.requireServing(thumbprint);
    CHECK(servers.haproxy.pid() == haproxyPid);
    CHECK(log.contains(QStringLiteral("(SMTP STARTTLS) presents the new certificate")));
    CHECK(log.contains(QStringLiteral("(IMAP STARTTLS) presents the new certificate")));
    CHECK(IssuanceFixture::opensslVerify(f.pebbleRootFile, servers.apache.certificateFile())
              .endsWith(": OK"));

    SECTION("a renewal replaces every served certificate again, HAProxy still not restarted") {
        const QJsonObject renewed = requireIssued(f, f.requestAndWait(id));
        const QString next = renewed.value("certificateThumbprint").toString();
        CHECK(next != thumbprint);
        servers.requireServing(next);
        CHECK(servers.haproxy.pid() == haproxyPid);
    }
    SECTION("Test checks what each server presents") {
        const QJsonObject report = postAction(f, id, "test");
        INFO(QJsonDocument(report).toJson().toStdString());
        int serverChecks = 0;
        for (const QJsonValue& c : report.value("checks").toArray()) {
            const QJsonObject check = c.toObject();
            if (!check.value("key").toString().startsWith(QStringLiteral("deploy.")))
                continue;
            ++serverChecks;
            CHECK(check.value("ok").toBool());
            CHECK(check.value("message").toString().contains(
                QStringLiteral("presents the current certificate")));
        }
        CHECK(serverChecks == 4);

        servers.dovecot.stop();
        const QJsonObject after = postAction(f, id, "test");
        bool dovecotFailed = false;
        for (const QJsonValue& c : after.value("checks").toArray())
            if (c.toObject().value("key").toString() == QStringLiteral("deploy.dovecot"))
                dovecotFailed = !c.toObject().value("ok").toBool();
        CHECK(dovecotFailed);
    }
}

TEST_CASE("A reload that fails after issuance: a Warning with the command's output, the old "
          "certificate still served",
          "[e2e][deploy][servers]") {
    IssuanceFixture f;
    DovecotPeer dovecot;
    requireStarted(dovecot);
    const QString before = served(dovecot.imapsPort());
    const QJsonArray tasks{
        task("Dovecot", "dovecot",
             {{"certificateFile", dovecot.certificateFile()},
              {"keyFile", dovecot.keyFile()},
              // doveadm reading a configuration that is not there
              {"reloadCommand", QStringLiteral("doveadm -c %1 reload")
                                    .arg(dovecot.path(QStringLiteral("missing.conf")))}},
             dovecot.imapsPort(), "auto")};
    const QString id =
        f.createItem({QStringLiteral("imap.example.test")}, {}, {{"postRequestTasks", tasks}});
    const QJsonObject item = f.requestAndWait(id);
    INFO(f.itemLog(id).toStdString());
    CHECK(item.value("lastRenewalStatus").toString() == QStringLiteral("Warning"));
    const QString message = item.value("renewalFailureMessage").toString();
    CHECK(message.contains(QStringLiteral("'Dovecot'")));
    CHECK(message.contains(QStringLiteral("exited with code")));
    CHECK(message.contains(QStringLiteral("its last output:")));
    CHECK(message.contains(QStringLiteral("Error reading configuration")));
    CHECK(served(dovecot.imapsPort()) == before);
}
