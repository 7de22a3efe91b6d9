#pragma once
// Helpers for the Preview and Test end-to-end tests: calling the routes and finding a step or a
// check in the answer by its key, with the whole answer shown when it is not there.

#include "IssuanceFixture.h"

#include <catch2/catch.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>

namespace ck::test {

inline std::string str(const QString& s) {
    return s.toStdString();
}

inline std::string pretty(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Indented).toStdString();
}

// Whether something accepts connections on the loopback port (a challenge listener left open).
inline bool listening(int port) {
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(port));
    return socket.waitForConnected(300);
}

// POST /api/managedcertificates/{id}/{action} (no id: the stored-independent form); 200 required.
inline QJsonObject postAction(const IssuanceFixture& f, const QString& id, const char* action,
                              const QJsonObject& body = {}) {
    const std::string base = "/api/managedcertificates/";
    const std::string target = id.isEmpty() ? base + action : base + str(id) + "/" + action;
    const auto answer = f.http->post(target, body);
    INFO(target << " answered " << answer.status << ": " << answer.body);
    REQUIRE(answer.status == 200);
    return answer.json();
}

// The step with this key anywhere in the tree; FAILs with the tree when there is none.
inline QJsonObject stepIn(const QJsonArray& steps, const QString& key) {
    for (const auto& v : steps) {
        const QJsonObject step = v.toObject();
        if (step.value("key").toString() == key)
            return step;
        const QJsonObject below = [&] {
            for (const auto& s : step.value("substeps").toArray())
                if (s.toObject().value("key").toString() == key)
                    return s.toObject();
            return QJsonObject{};
        }();
        if (!below.isEmpty())
            return below;
    }
    FAIL("no step " << str(key) << " in\n" << QJsonDocument(steps).toJson().toStdString());
    return {};
}

inline QString joined(const QJsonObject& step, const char* list) {
    QStringList items;
    for (const auto& v : step.value(QLatin1String(list)).toArray())
        items << v.toString();
    return items.join(QStringLiteral("\n"));
}

// The check with this key; FAILs with the report when there is none.
inline QJsonObject checkIn(const QJsonObject& report, const QString& key) {
    for (const auto& v : report.value("checks").toArray())
        if (v.toObject().value("key").toString() == key)
            return v.toObject();
    FAIL("no check " << str(key) << " in\n" << pretty(report));
    return {};
}

} // namespace ck::test
