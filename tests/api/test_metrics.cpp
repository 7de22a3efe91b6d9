// GET /api/metrics: the Prometheus text format, as promtool (Debian's prometheus package) reads
// it, with each certificate's expiry and next renewal as the store holds them, label values
// escaped, and the token required. The example alert rules in packaging/prometheus/ are checked
// by promtool too.

#include "ApiFixture.h"
#include "ManagedProcess.h"
#include "SampleItems.h"
#include "store/SqliteItemStore.h"

#include <QRegularExpression>

using namespace ck::test;

namespace {
// The value of the sample `metric` whose labels include id="<id>"; NaN when there is none.
double sampleFor(const QString& text, const QString& metric, const QString& id) {
    const QRegularExpression line(
        QStringLiteral("^%1\\{id=\"%2\",[^\\n]*\\} (\\S+)$")
            .arg(QRegularExpression::escape(metric), QRegularExpression::escape(id)),
        QRegularExpression::MultilineOption);
    const auto match = line.match(text);
    return match.hasMatch() ? match.captured(1).toDouble() : std::nan("");
}
} // namespace

TEST_CASE("metrics: each certificate's expiry and next renewal, in a text promtool accepts",
          "[api][metrics]") {
    ServiceProcess service;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<ck::ManagedCertificate> items = sampleItems(6, now, 7);
    items[0].name = QStringLiteral(R"(Shop "main" \ EU)"); // quotes and a backslash to escape
    {
        auto store = ck::store::SqliteItemStore::open(service.dataDir(), nullptr);
        items = store->createMany(items, now);
    }
    // Paused: a renewal the scheduler started would change the failures the test compares.
    REQUIRE(service.pauseAutomaticRenewal());
    if (!service.start())
        FAIL("the service did not start:\n" << service.output().toStdString());
    RawHttp http(service.port(), service.token().toStdString());

    const auto answer = http.get("/api/metrics");
    REQUIRE(answer.status == 200);
    CHECK(answer.headers.at("content-type") == "text/plain; version=0.0.4; charset=utf-8");
    const ToolResult lint =
        runTool(QStringLiteral("promtool"), {QStringLiteral("check"), QStringLiteral("metrics")},
                QByteArray::fromStdString(answer.body));
    INFO(lint.describe().toStdString() << "\n" << answer.body);
    REQUIRE(lint.ok());

    const QString text = QString::fromStdString(answer.body);
    CHECK(text.contains(QStringLiteral(R"(name="Shop \"main\" \\ EU")")));
    CHECK(text.contains(QStringLiteral("certkeeper_managed_certificates{server=")));
    int withExpiry = 0;
    for (const ck::ManagedCertificate& item : items) {
        INFO(item.name.toStdString());
        const double expiry = sampleFor(
            text, QStringLiteral("certkeeper_certificate_expiry_timestamp_seconds"), item.id);
        if (item.dateExpiry.isValid()) {
            ++withExpiry;
            CHECK(expiry == double(item.dateExpiry.toSecsSinceEpoch()));
        } else {
            CHECK(std::isnan(expiry)); // never issued: no expiry to alert on
        }
        CHECK(sampleFor(text, QStringLiteral("certkeeper_certificate_renewal_failures"), item.id) ==
              item.renewalFailureCount);
    }
    CHECK(withExpiry > 0);
    CHECK(text.contains(QStringLiteral("certkeeper_request_duration_seconds_bucket")));
    CHECK(text.contains(QStringLiteral("certkeeper_requests_queued")));

    // Without the token: refused, and nothing of the fleet in the answer.
    const auto anonymous = http.send({"GET", "/api/metrics", {}, {}}, false);
    CHECK(anonymous.status == 401);
    CHECK(anonymous.body.find("certkeeper_") == std::string::npos);
}

TEST_CASE("metrics: the example alert rules are valid Prometheus rules", "[api][metrics]") {
    const ToolResult check = runTool(
        QStringLiteral("promtool"),
        {QStringLiteral("check"), QStringLiteral("rules"),
         QStringLiteral(CERTKEEPER_SOURCE_DIR "/packaging/prometheus/certkeeper-alerts.yml")});
    INFO(check.describe().toStdString());
    CHECK(check.ok());
    CHECK(check.stdOut.contains("SUCCESS: 2 rules found"));
}
