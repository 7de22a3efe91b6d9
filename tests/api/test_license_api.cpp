// The edition through the API: the Community limit of 5 certificates enforced by the service,
// license activation (each bad key refused with its own explanation) and deactivation, and the
// batch create of the CSV import respecting the limit.

#include "ApiFixture.h"
#include "DevLicense.h"

#include <QJsonArray>

using namespace ck::test;

namespace {
QJsonObject itemBody(int i) {
    return {{"name", QString("Site %1").arg(i)},
            {"requestConfig", QJsonObject{{"subjectAlternativeNames",
                                           QJsonArray{QString("s%1.example.com").arg(i)}}}}};
}

void createItems(const ApiFixture& f, int from, int to) {
    for (int i = from; i < to; ++i)
        REQUIRE(f.http->post("/api/managedcertificates", itemBody(i)).status == 201);
}

RawResponse activate(const ApiFixture& f, const QString& key) {
    return f.http->post("/api/license/activate", QJsonObject{{"key", key}});
}
} // namespace

TEST_CASE("the Community edition stops the sixth certificate and says how to lift it",
          "[api][license]") {
    ApiFixture f;
    auto license = f.http->get("/api/license").json();
    CHECK(license.value("edition").toString() == "community");
    CHECK(license.value("itemLimit").toInt() == 5);
    CHECK(license.value("itemsUsed").toInt() == 0);
    CHECK_FALSE(license.value("installId").toString().isEmpty());

    createItems(f, 0, 5);
    const auto sixth = f.http->post("/api/managedcertificates", itemBody(5));
    CHECK(sixth.status == 402);
    CHECK(sixth.detail().contains("at most 5 certificates and 5 are managed already"));
    CHECK(sixth.detail().contains("certkeeper-cli activate KEY"));
    CHECK(f.http->get("/api/managedcertificates").json().value("total").toInt() == 5);

    const auto diagnostics = f.http->get("/api/system/diagnostics").json();
    CHECK(diagnostics.value("edition").toString() == "Community");
    CHECK(diagnostics["license"]["itemsUsed"].toInt() == 5);

    // Existing items are still changed (and renewed) at the limit.
    const auto items = f.http->get("/api/managedcertificates").json()["items"].toArray();
    QJsonObject first = items.first().toObject();
    first.insert("comments", "still editable");
    CHECK(f.http->put("/api/managedcertificates/" + first["id"].toString().toStdString(), first)
              .status == 200);
}

TEST_CASE("each kind of bad key is refused with its own explanation", "[api][license]") {
    ApiFixture f;
    const QString good = devLicenseKey();
    const auto garbled = activate(f, good.left(good.size() - 30));
    const auto otherProduct =
        activate(f, devLicenseKey(0, {}, QStringLiteral("professional"), QStringLiteral("lego")));
    const auto expired = activate(f, devLicenseKey(0, QDateTime::currentDateTimeUtc().addDays(-1)));
    const QString otherSignature =
        good.left(good.lastIndexOf('.')) + devLicenseKey(7).mid(devLicenseKey(7).lastIndexOf('.'));
    const auto forged = activate(f, otherSignature);
    for (const auto* r : {&garbled, &otherProduct, &expired, &forged}) {
        CHECK(r->status == 422);
        CHECK(r->field() == "key");
    }
    CHECK(garbled.detail().contains("not a complete Certkeeper license key"));
    CHECK(otherProduct.detail().contains("for “lego”, not for Certkeeper"));
    CHECK(expired.detail().contains("expired on"));
    CHECK(forged.detail().contains("signature does not match"));
    CHECK(f.http->post("/api/license/activate", QJsonObject{{"key", 5}}).status == 400);
    CHECK(f.http->get("/api/license").json().value("edition").toString() == "community");
}

TEST_CASE("a license lifts the limit; deactivation returns to Community with the items kept",
          "[api][license]") {
    ApiFixture f;
    createItems(f, 0, 5);
    const auto activated = activate(f, devLicenseKey());
    REQUIRE(activated.status == 200);
    CHECK(activated.json().value("edition").toString() == "professional");
    CHECK(activated.json().value("licensed").toBool());
    CHECK(activated.json().value("itemLimit").toInt() == 0);
    createItems(f, 5, 8);

    // The activation survives a restart.
    REQUIRE(f.service.stop());
    REQUIRE(f.service.start());
    f.http = std::make_unique<RawHttp>(f.service.port(), f.service.token().toStdString());
    auto license = f.http->get("/api/license").json();
    CHECK(license.value("licensed").toBool());
    CHECK(license.value("itemsUsed").toInt() == 8);
    CHECK(license.value("licensee").toString() == "tests@example.com");

    const auto deactivated = f.http->post("/api/license/deactivate", QJsonObject{});
    REQUIRE(deactivated.status == 200);
    CHECK(deactivated.json().value("edition").toString() == "community");
    CHECK(f.http->get("/api/managedcertificates").json().value("total").toInt() == 8);
    CHECK(f.http->post("/api/managedcertificates", itemBody(9)).status == 402);
    CHECK(f.http->post("/api/license/deactivate", QJsonObject{}).status == 404);
}

TEST_CASE("a batch create validates each item and stops at the limit", "[api][license][batch]") {
    ApiFixture f;
    createItems(f, 0, 2);
    QJsonArray batch;
    for (int i = 10; i < 15; ++i)
        batch.append(itemBody(i));
    batch.insert(1, QJsonObject{{"name", "Bad"},
                                {"requestConfig", QJsonObject{{"subjectAlternativeNames",
                                                               QJsonArray{"bad_name"}}}}});

    const auto dry = f.http->post("/api/managedcertificates/batch",
                                  QJsonObject{{"items", batch}, {"dryRun", true}});
    REQUIRE(dry.status == 200);
    CHECK(dry.json().value("accepted").toInt() == 3);
    CHECK(f.http->get("/api/managedcertificates").json().value("total").toInt() == 2);

    const auto real = f.http->post("/api/managedcertificates/batch", QJsonObject{{"items", batch}});
    REQUIRE(real.status == 200);
    const QJsonArray results = real.json().value("results").toArray();
    REQUIRE(results.size() == 6);
    CHECK(results[0]["status"].toString() == "created");
    CHECK_FALSE(results[0]["id"].toString().isEmpty());
    CHECK(results[1]["status"].toString() == "refused");
    CHECK(results[1]["errors"][0]["field"].toString() ==
          "requestConfig.subjectAlternativeNames[0]");
    CHECK(results[3]["status"].toString() == "created");
    CHECK(results[4]["status"].toString() == "refused");
    CHECK(results[4]["limitReached"].toBool());
    CHECK(results[4]["reason"].toString().contains("at most 5"));
    CHECK(f.http->get("/api/managedcertificates").json().value("total").toInt() == 5);
}

TEST_CASE("only the import routes take large bodies, and only with the token",
          "[api][license][limits]") {
    ApiFixture f;
    REQUIRE(activateDevLicense(f.service));
    QJsonArray batch;
    for (int i = 0; i < 6000; ++i) // about 1.3 MB of JSON, over the 1 MiB default
        batch.append(itemBody(1000 + i));
    const auto large = f.http->post("/api/managedcertificates/batch",
                                    QJsonObject{{"items", batch}, {"dryRun", true}});
    CHECK(large.status == 200);
    CHECK(large.json().value("accepted").toInt() == 6000);

    // Announce 2 MiB and send only the start: answered from the header alone.
    const auto announce = [&](const std::string& target, bool withToken) {
        std::string head = "POST " + target +
                           " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(f.service.port()) +
                           "\r\n";
        if (withToken)
            head += "Authorization: Bearer " + f.service.token().toStdString() + "\r\n";
        head += "Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n{";
        return f.http->sendBytes(head + std::string(1000, ' ')).status;
    };
    CHECK(announce("/api/managedcertificates", true) == 413);
    // Without the token nothing of a body is read: the header alone gets 401.
    CHECK(announce("/api/managedcertificates/batch", false) == 401);
    CHECK(announce("/api/system/import", false) == 401);
}
