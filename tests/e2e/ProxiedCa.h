#pragma once
// Pebble behind the ACME extension proxy (which adds ARI and profiles, injects a failing CA's
// answers and counts what the CA saw), known to the service as a custom CA with an account there.

#include "AcmeExtensionProxy.h"
#include "IssuanceFixture.h"

#include <catch2/catch.hpp>

#include <QJsonObject>

namespace ck::test {

struct ProxiedCa {
    IssuanceFixture f;
    AcmeExtensionProxy proxy;
    QString caId;

    ProxiedCa(const QString& id, const QString& title, AcmeProxyOptions options = {},
              IssuanceOptions issuance = IssuanceOptions::withoutAccount())
        : f(std::move(issuance)), proxy(*f.pebble, std::move(options)), caId(id) {
        if (!proxy.start())
            FAIL("the ACME extension proxy did not start: " << proxy.errorString().toStdString());
        f.addCa(caId, title, proxy.directoryUrl());
        f.registerAccount({{"certificateAuthorityId", caId}});
    }

    QString createItem(const QStringList& names, const QJsonObject& requestConfig = {},
                       QJsonObject itemFields = {}) {
        itemFields.insert("certificateAuthorityId", caId);
        return f.createItem(names, requestConfig, itemFields);
    }

    // Requests and waits; the request must succeed (its log is shown when it did not).
    QJsonObject issue(const QString& id) {
        const QJsonObject item = f.requestAndWait(id);
        INFO(item.value("renewalFailureMessage").toString().toStdString()
             << "\nlog:\n"
             << f.itemLog(id).toStdString());
        REQUIRE(item.value("lastRenewalStatus").toString() == "Success");
        return item;
    }

    // Starts the service again after it was stopped or killed, and talks to the new one.
    void restartService() {
        if (!f.service.start())
            FAIL("the service did not start again:\n" << f.service.output().toStdString());
        f.http = std::make_unique<RawHttp>(f.service.port(), f.service.token().toStdString());
    }

    // The requests to `target` the CA acted on (Pebble's badNonce refusals left out).
    QList<ProxiedRequest> actedOn(const QString& target) const {
        QList<ProxiedRequest> list = proxy.requests(target);
        list.removeIf([](const ProxiedRequest& r) { return r.badNonce; });
        return list;
    }
};

} // namespace ck::test
