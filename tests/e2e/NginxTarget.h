#pragma once
// nginx as the deployment target of the end-to-end tests: a real nginx serving HTTPS from files
// in a temporary folder, starting with a self-signed placeholder as a fresh server would, and the
// post-request tasks that put an issued certificate there and reload nginx (the reload task
// checks over TLS that nginx now presents it). servedThumbprint() asks nginx again with openssl,
// a client independent of the service.

#include "WebServer.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>

namespace ck::test {

// Who owns the exported files and with which modes.
struct ExportOwnership {
    QString owner;
    QString group;
    QString chainMode = QStringLiteral("0644");
    QString keyMode = QStringLiteral("0640");
};

class NginxTarget {
public:
    NginxTarget()
        : m_tlsDir(m_site.filePath(QStringLiteral("tls"))),
          m_chainFile(m_tlsDir + QStringLiteral("/fullchain.pem")),
          m_keyFile(m_tlsDir + QStringLiteral("/key.pem")) {
        REQUIRE(QDir().mkpath(m_tlsDir));
        const ToolResult placeholder =
            WebServer::writePlaceholderCertificate(m_chainFile, m_keyFile);
        INFO(placeholder.describe().toStdString());
        REQUIRE(placeholder.ok());
        const auto ports = freeLoopbackPorts(2);
        m_tlsPort = ports[1];
        m_nginx = std::make_unique<WebServer>(m_site.path(), ports[0]);
        m_nginx->enableTls(m_tlsPort, m_chainFile, m_keyFile);
        const bool started = m_nginx->start();
        INFO(m_nginx->errorString().toStdString());
        REQUIRE(started);
    }

    // Export the full chain and the key where nginx reads them, then reload nginx and check
    // that it presents the new certificate for `serverName`. The reload task's id is "reload".
    QJsonArray deploymentTasks(const QString& serverName, const ExportOwnership& files) const {
        QJsonObject chain{
            {"format", "pemfullnokey"}, {"path", m_chainFile}, {"mode", files.chainMode}};
        QJsonObject key{{"format", "pemkey"}, {"path", m_keyFile}, {"mode", files.keyMode}};
        if (!files.owner.isEmpty())
            chain.insert("owner", files.owner);
        if (!files.group.isEmpty()) {
            chain.insert("group", files.group);
            key.insert("group", files.group);
        }
        return {QJsonObject{{"name", "Chain for nginx"}, {"type", "export"}, {"parameters", chain}},
                QJsonObject{{"name", "Key for nginx"}, {"type", "export"}, {"parameters", key}},
                QJsonObject{{"name", "Reload nginx"},
                            {"type", "reload"},
                            {"id", "reload"},
                            {"parameters", QJsonObject{{"command", m_nginx->reloadCommandLine()},
                                                       {"checkHost", "127.0.0.1"},
                                                       {"checkPort", m_tlsPort},
                                                       {"checkServerName", serverName},
                                                       {"checkWaitSeconds", 20}}}}};
    }

    // The log line of a reload whose TLS check saw the new certificate.
    QString reloadCheckedLine() const {
        return QStringLiteral("Reloaded; 127.0.0.1:%1 presents the new certificate").arg(m_tlsPort);
    }

    QString servedThumbprint(const QString& serverName) const {
        QString why;
        const QString thumbprint = m_nginx->presentedThumbprint(serverName, &why);
        INFO(why.toStdString());
        REQUIRE(!thumbprint.isEmpty());
        return thumbprint;
    }

    // The command line that reloads this nginx (run on the far side of an ssh task).
    QString reloadCommand() const { return m_nginx->reloadCommandLine(); }

    QStringList filesInTlsFolder() const { return QDir(m_tlsDir).entryList(QDir::Files); }
    void stop() { m_nginx->stop(); }

    const QString& chainFile() const { return m_chainFile; }
    const QString& keyFile() const { return m_keyFile; }
    int tlsPort() const { return m_tlsPort; }

private:
    QTemporaryDir m_site;
    QString m_tlsDir;
    QString m_chainFile;
    QString m_keyFile;
    int m_tlsPort = 0;
    std::unique_ptr<WebServer> m_nginx;
};

} // namespace ck::test
