#pragma once
// A running service and a raw client for it, per test case.

#include "RawHttp.h"
#include "ServiceProcess.h"

#include <catch2/catch.hpp>

#include <QJsonArray>

namespace ck::test {

struct ApiFixture {
    ServiceProcess service;
    std::unique_ptr<RawHttp> http;

    explicit ApiFixture(QStringList args = {}) {
        if (!service.start(args))
            FAIL("service did not start:\n" << service.output().toStdString());
        http = std::make_unique<RawHttp>(service.port(), service.token().toStdString());
    }

    RawResponse createItem(const QString& name, const QStringList& domains) const {
        return http->post(
            "/api/managedcertificates",
            QJsonObject{{"name", name},
                        {"requestConfig", QJsonObject{{"subjectAlternativeNames",
                                                       QJsonArray::fromStringList(domains)}}}});
    }
};

} // namespace ck::test
