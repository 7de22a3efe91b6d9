// ListQuery: the query string of GET /api/managedcertificates. Strict: a bad status or number is
// a field error, never silently ignored.

#include "TestSupport.h"
#include "model/ItemList.h"

using namespace ck;
using cktest::fieldsOf;

namespace {
ListQuery parse(const QString& query, QList<FieldError>* errors) {
    return ListQuery::fromUrlQuery(QUrlQuery(query), errors);
}
QList<FieldError> errorsFor(const QString& query) {
    QList<FieldError> errors;
    parse(query, &errors);
    return errors;
}
} // namespace

TEST_CASE("An empty query gives the defaults", "[listquery]") {
    QList<FieldError> errors;
    const auto q = parse(QString(), &errors);
    CHECK(errors.isEmpty());
    CHECK(q.search.isEmpty());
    CHECK_FALSE(q.health.has_value());
    CHECK(q.offset == 0);
    CHECK(q.limit == ListQuery::kDefaultLimit);
    CHECK(q.toUrlQuery().isEmpty());
}

TEST_CASE("A good query is read", "[listquery]") {
    QList<FieldError> errors;
    const auto q = parse(
        QStringLiteral("search=%20Example%20&status=awaitinguser&offset=40&limit=20"), &errors);
    CHECK(errors.isEmpty());
    CHECK(q.search == QStringLiteral("Example"));
    CHECK(q.health == Health::AwaitingUser);
    CHECK(q.offset == 40);
    CHECK(q.limit == 20);

    const auto edge = parse(QStringLiteral("limit=1000&offset=0&status=OK"), &errors);
    CHECK(errors.isEmpty());
    CHECK(edge.limit == ListQuery::kMaxLimit);
    CHECK(edge.health == Health::Ok);
}

TEST_CASE("Every status name is accepted", "[listquery]") {
    for (const auto& name : allHealthNames()) {
        QList<FieldError> errors;
        const auto q = parse(QStringLiteral("status=") + name, &errors);
        CHECK(errors.isEmpty());
        REQUIRE(q.health.has_value());
        CHECK(toString(*q.health) == name);
    }
}

TEST_CASE("A bad status is a field error that lists the statuses", "[listquery]") {
    const QString status = GENERATE(QStringLiteral("expired"), QStringLiteral("Success"),
                                    QStringLiteral("1"), QStringLiteral("OK,Error"));
    INFO(status.toStdString());
    const auto errors = errorsFor(QStringLiteral("status=") + status);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == QStringLiteral("status"));
    CHECK(errors[0].detail.contains(QStringLiteral("NotYetIssued")));
}

TEST_CASE("A bad limit or offset is a field error", "[listquery]") {
    struct Case {
        QString query;
        QString field;
    };
    const auto c = GENERATE(Case{"limit=0", "limit"}, Case{"limit=-5", "limit"},
                            Case{"limit=1001", "limit"}, Case{"limit=abc", "limit"},
                            Case{"limit=20.5", "limit"}, Case{"limit=99999999999", "limit"},
                            Case{"limit=1e2", "limit"}, Case{"offset=-1", "offset"},
                            Case{"offset=x", "offset"}, Case{"offset=2147483648", "offset"});
    INFO(c.query.toStdString());
    QList<FieldError> errors;
    const auto q = parse(c.query, &errors);
    CHECK(fieldsOf(errors) == QStringList{c.field});
    CHECK(errors[0].detail.contains(QStringLiteral("whole number")));
    // The bad value is not used.
    CHECK(q.limit == ListQuery::kDefaultLimit);
    CHECK(q.offset == 0);
}

TEST_CASE("Every bad parameter is reported", "[listquery]") {
    CHECK(fieldsOf(errorsFor(QStringLiteral("status=nope&offset=-1&limit=0"))) ==
          QStringList{"status", "offset", "limit"});
}

TEST_CASE("A query survives toUrlQuery, the URL and fromUrlQuery", "[listquery]") {
    ListQuery q;
    q.search = QString::fromUtf8("50% off & a+b=c #1 bücher");
    q.health = Health::NotYetIssued;
    q.offset = 7;
    q.limit = 3;
    const QString encoded = q.toUrlQuery().toString(QUrl::FullyEncoded);
    INFO(encoded.toStdString());
    QList<FieldError> errors;
    const auto back = ListQuery::fromUrlQuery(QUrlQuery(encoded), &errors);
    CHECK(errors.isEmpty());
    CHECK(back.search == q.search);
    CHECK(back.health == q.health);
    CHECK(back.offset == q.offset);
    CHECK(back.limit == q.limit);
}
