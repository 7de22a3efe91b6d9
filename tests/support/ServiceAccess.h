#pragma once
// Helpers for tests of the app, the CLI and the API client: the servers.json entry of a running
// test service, and items created behind the client's back (raw HTTP), as another user would.

#include "RawHttp.h"
#include "ServiceProcess.h"
#include "config/ServersConfig.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace ck::test {

// A service started on a free loopback port with a temporary data directory; nothing when it
// could not start (its output is then in the test's log). For QVERIFY((m_service =
// startedService())) in initTestCase or init.
inline std::unique_ptr<ServiceProcess> startedService() {
    auto service = std::make_unique<ServiceProcess>();
    if (!service->start()) {
        qWarning("%s", qPrintable(service->output()));
        return nullptr;
    }
    return service;
}

// The port the service listens on, from the servers.json entry it keeps true (the same source
// the app and CLI use).
inline int servicePort(const ServiceProcess& service) {
    auto loaded = ServersConfig::load(service.dataDir() + QStringLiteral("/servers.json"));
    const auto* config = std::get_if<ServersConfig>(&loaded);
    const ServerEntry* local = config ? config->find(QStringLiteral("local")) : nullptr;
    return local ? local->port : service.port();
}

inline QString serviceUrl(const ServiceProcess& service) {
    return QStringLiteral("http://127.0.0.1:%1").arg(servicePort(service));
}

inline ServerEntry entryFor(const ServiceProcess& service) {
    ServerEntry entry;
    entry.port = servicePort(service);
    entry.tokenFile = service.dataDir() + QStringLiteral("/api.token");
    return entry;
}

// The entry of `service` with a token file in `dir` that the service did not issue.
inline ServerEntry entryWithForeignToken(const ServiceProcess& service, const QTemporaryDir& dir) {
    ServerEntry entry = entryFor(service);
    entry.tokenFile = dir.filePath(QStringLiteral("api.token"));
    QFile token(entry.tokenFile);
    if (token.open(QIODevice::WriteOnly))
        token.write(QByteArray(64, 'f'));
    return entry;
}

inline RawHttp rawHttpFor(const ServiceProcess& service) {
    return RawHttp(servicePort(service), service.token().toStdString());
}

// Creates an item through the API and returns its id (empty if the service refused).
inline QString createRaw(const ServiceProcess& service, const QString& name,
                         const QStringList& domains) {
    const auto response = rawHttpFor(service).post(
        "/api/managedcertificates",
        QJsonObject{{"name", name},
                    {"requestConfig", QJsonObject{{"subjectAlternativeNames",
                                                   QJsonArray::fromStringList(domains)}}}});
    if (response.status != 201)
        qWarning("create %s: HTTP %d %s", qPrintable(name), response.status, response.body.c_str());
    return response.status == 201 ? response.json().value("id").toString() : QString();
}

} // namespace ck::test
