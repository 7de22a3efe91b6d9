// ApiClient against the real service: every call, the error kinds the app and CLI act on,
// following a service that moved, timeouts, and callbacks that must not outlive their context.

#include "ServiceAccess.h"
#include "client/ApiClient.h"
#include "client/BlockingCall.h"

#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>

using namespace ck;
using namespace ck::test;

namespace {
constexpr std::chrono::minutes kSlowCall{2}; // key derivation, on a busy machine

ManagedCertificate newItem(const QString& name, const QStringList& domains) {
    ManagedCertificate item;
    item.name = name;
    item.requestConfig.subjectAlternativeNames = domains;
    item.requestConfig.primaryDomain = domains.value(0);
    return item;
}
} // namespace

class ApiClientTest : public QObject {
    Q_OBJECT
    std::unique_ptr<ServiceProcess> m_service;

private Q_SLOTS:
    void initTestCase() { QVERIFY((m_service = startedService())); }

    void cleanupTestCase() { m_service.reset(); }

    void everyCallRoundTrips() {
        ApiClient client(entryFor(*m_service), m_service->dataDir());
        const auto version = waitFor<ServiceVersion>(
            [&](QObject* c, auto ok, auto fail) { client.appVersion(c, ok, fail); });
        QVERIFY2(version, qPrintable(version.error.detail));
        QCOMPARE(version->product, QStringLiteral("Certkeeper"));
        QCOMPARE(version->apiVersion, 1);

        const auto diagnostics = waitFor<ServiceDiagnostics>(
            [&](QObject* c, auto ok, auto fail) { client.diagnostics(c, ok, fail); });
        QVERIFY2(diagnostics, qPrintable(diagnostics.error.detail));
        QCOMPARE(diagnostics->database.integrity, QStringLiteral("ok"));

        const auto created = waitFor<ManagedCertificate>([&](QObject* c, auto ok, auto fail) {
            client.createItem(newItem("Round trip", {"rt.example.com", "www.rt.example.com"}), c,
                              ok, fail);
        });
        QVERIFY2(created, qPrintable(created.error.detail));
        QVERIFY(!created->id.isEmpty());
        QCOMPARE(created->version, 1);

        ListQuery query;
        query.search = QStringLiteral("www.rt");
        const auto page = waitFor<ItemPage>(
            [&](QObject* c, auto ok, auto fail) { client.listItems(query, c, ok, fail); });
        QVERIFY2(page, qPrintable(page.error.detail));
        QCOMPARE(page->total, 1);
        QCOMPARE(page->items.first().id, created->id);

        const auto summary = waitFor<ItemSummary>(
            [&](QObject* c, auto ok, auto fail) { client.summary(c, ok, fail); });
        QVERIFY(summary);
        QVERIFY(summary->total >= 1);

        ManagedCertificate changed = *created;
        changed.name = QStringLiteral("Round trip (renamed)");
        const auto updated = waitFor<ManagedCertificate>(
            [&](QObject* c, auto ok, auto fail) { client.updateItem(changed, c, ok, fail); });
        QVERIFY2(updated, qPrintable(updated.error.detail));
        QCOMPARE(updated->version, 2);

        // The same stale version again: someone else's save would be lost.
        const auto stale = waitFor<ManagedCertificate>(
            [&](QObject* c, auto ok, auto fail) { client.updateItem(changed, c, ok, fail); });
        QVERIFY(!stale);
        QCOMPARE(stale.error.kind, ApiError::Kind::Conflict);

        const auto fetched = waitFor<ManagedCertificate>(
            [&](QObject* c, auto ok, auto fail) { client.getItem(created->id, c, ok, fail); });
        QVERIFY(fetched);
        QCOMPARE(fetched->name, QStringLiteral("Round trip (renamed)"));

        const auto removed = waitFor<QString>(
            [&](QObject* c, auto ok, auto fail) { client.deleteItem(created->id, c, ok, fail); });
        QVERIFY2(removed, qPrintable(removed.error.detail));
        const auto gone = waitFor<ManagedCertificate>(
            [&](QObject* c, auto ok, auto fail) { client.getItem(created->id, c, ok, fail); });
        QCOMPARE(gone.error.kind, ApiError::Kind::NotFound);
    }

    // The list and the summary are asked again with If-None-Match: unchanged, the service answers
    // 304 and the client gives the answer of then, marked unchanged; after a change, the new one.
    void listAndSummaryAreRevalidated() {
        ApiClient client(entryFor(*m_service), m_service->dataDir());
        ListQuery query;
        query.search = QStringLiteral("revalidated");
        const auto list = [&] {
            return waitFor<ItemPage>(
                [&](QObject* c, auto ok, auto fail) { client.listItems(query, c, ok, fail); });
        };
        const auto summary = [&] {
            return waitFor<ItemSummary>(
                [&](QObject* c, auto ok, auto fail) { client.summary(c, ok, fail); });
        };
        QVERIFY(!createRaw(*m_service, "Revalidated one", {"one.revalidated.example"}).isEmpty());

        const auto first = list();
        QVERIFY2(first, qPrintable(first.error.detail));
        QVERIFY(!first->unchanged);
        QCOMPARE(first->total, 1);
        const auto again = list();
        QVERIFY2(again, qPrintable(again.error.detail));
        QVERIFY(again->unchanged);
        QCOMPARE(again->total, 1);
        QCOMPARE(again->items, first->items);
        const auto counted = summary();
        QVERIFY(counted && !counted->unchanged);
        const auto countedAgain = summary();
        QVERIFY(countedAgain && countedAgain->unchanged);
        QCOMPARE(countedAgain->total, counted->total);

        QVERIFY(!createRaw(*m_service, "Revalidated two", {"two.revalidated.example"}).isEmpty());
        const auto changed = list();
        QVERIFY2(changed, qPrintable(changed.error.detail));
        QVERIFY(!changed->unchanged);
        QCOMPARE(changed->total, 2);
        const auto recounted = summary();
        QVERIFY(recounted && !recounted->unchanged);
        QCOMPARE(recounted->total, counted->total + 1);

        // Another search is another answer: never the remembered one of the first.
        query.search = QStringLiteral("two.revalidated");
        const auto other = list();
        QVERIFY(other && !other->unchanged);
        QCOMPARE(other->total, 1);
    }

    void validationErrorsNameEachField() {
        ApiClient client(entryFor(*m_service), m_service->dataDir());
        const auto result = waitFor<ManagedCertificate>([&](QObject* c, auto ok, auto fail) {
            client.createItem(newItem("", {"good.example.com", "bad..example.com"}), c, ok, fail);
        });
        QVERIFY(!result);
        QCOMPARE(result.error.kind, ApiError::Kind::Validation);
        QVERIFY(!result.error.fieldDetail("name").isEmpty());
        QVERIFY(!result.error.fieldDetail("requestConfig.subjectAlternativeNames[1]").isEmpty());
    }

    void followsTheServiceToItsNewPortOnce() {
        // servers.json (written by the service) names its real port; the client still has an
        // old one, as an app started before the service moved would.
        ServerEntry stale = entryFor(*m_service);
        stale.port = freeLoopbackPort();
        ApiClient client(stale, m_service->dataDir());
        QSignalSpy moved(&client, &ApiClient::serverMoved);
        const auto version = waitFor<ServiceVersion>(
            [&](QObject* c, auto ok, auto fail) { client.appVersion(c, ok, fail); });
        QVERIFY2(version, qPrintable(version.error.detail));
        QCOMPARE(moved.count(), 1);
        QCOMPARE(client.server().port, servicePort(*m_service));
        QVERIFY(moved.first().at(1).toString().contains(
            QStringLiteral("moved to port %1").arg(servicePort(*m_service))));
    }

    void aTokenTheServiceRefusesIsUnauthorized() {
        QTemporaryDir dir;
        ApiClient client(entryWithForeignToken(*m_service, dir), dir.path());
        const auto result = waitFor<ItemSummary>(
            [&](QObject* c, auto ok, auto fail) { client.summary(c, ok, fail); });
        QVERIFY(!result);
        QCOMPARE(result.error.kind, ApiError::Kind::Unauthorized);
        QVERIFY2(result.error.detail.contains("does not match"), qPrintable(result.error.detail));
    }

    void aMissingTokenWithTheServiceUpIsExplained() {
        QTemporaryDir dir;
        ServerEntry entry = entryFor(*m_service);
        entry.tokenFile = dir.filePath("api.token");
        ApiClient client(entry, dir.path());
        const auto result = waitFor<ItemSummary>(
            [&](QObject* c, auto ok, auto fail) { client.summary(c, ok, fail); });
        QVERIFY(!result);
        QCOMPARE(result.error.kind, ApiError::Kind::Connection);
        QVERIFY2(result.error.detail.contains("has not created it yet"),
                 qPrintable(result.error.detail));
    }

    void nothingListeningIsNotRunning() {
        QTemporaryDir dir;
        ServerEntry entry;
        entry.port = freeLoopbackPort();
        entry.tokenFile = dir.filePath("api.token");
        ApiClient client(entry, dir.path());
        const auto result = waitFor<ServiceVersion>(
            [&](QObject* c, auto ok, auto fail) { client.appVersion(c, ok, fail); });
        QCOMPARE(result.error.kind, ApiError::Kind::Connection);
        QVERIFY2(result.error.detail.contains("not running"), qPrintable(result.error.detail));
    }

    void aServiceThatDoesNotAnswerTimesOut() {
        QTcpServer silent; // accepts, never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QTemporaryDir dir;
        ServerEntry entry;
        entry.port = silent.serverPort();
        entry.tokenFile = dir.filePath("api.token");
        ApiClient client(entry, dir.path());
        client.setTimeout(std::chrono::milliseconds(300));
        const auto result = waitFor<ServiceVersion>(
            [&](QObject* c, auto ok, auto fail) { client.appVersion(c, ok, fail); });
        QCOMPARE(result.error.kind, ApiError::Kind::Connection);
        QVERIFY2(result.error.detail.contains("did not answer within 1 s"),
                 qPrintable(result.error.detail));
    }

    void noCallbackAfterItsContextIsGone() {
        ApiClient client(entryFor(*m_service), m_service->dataDir());
        bool called = false;
        auto* context = new QObject;
        client.summary(
            context, [&](const ItemSummary&) { called = true; },
            [&](const ApiError&) { called = true; });
        delete context;
        QTest::qWait(300);
        QVERIFY(!called);
    }

    // Settings, the notification test and renew now (issue 4): one block, added last.
    void settingsAndRenewalCallsRoundTrip() {
        ApiClient client(entryFor(*m_service), m_service->dataDir());
        const auto loaded = waitFor<Preferences>(
            [&](QObject* c, auto ok, auto fail) { client.settings(c, ok, fail); });
        QVERIFY2(loaded, qPrintable(loaded.error.detail));
        QCOMPARE(loaded->renewalCheckIntervalMinutes, 5);

        Preferences changed = *loaded;
        changed.renewal.mode = RenewalMode::DaysBeforeExpiry;
        changed.renewal.interval = 21;
        changed.notifications.targets.emailTo = {QStringLiteral("ops@example.test")};
        changed.notifications.smtp.host = QStringLiteral("mail.example.test");
        changed.notifications.smtp.from = QStringLiteral("certkeeper@example.test");
        const auto saved = waitFor<Preferences>(
            [&](QObject* c, auto ok, auto fail) { client.updateSettings(changed, c, ok, fail); });
        QVERIFY2(saved, qPrintable(saved.error.detail));
        QVERIFY(*saved == changed);

        Preferences wrong = changed;
        wrong.maxParallelRenewals = 0;
        const auto refused = waitFor<Preferences>(
            [&](QObject* c, auto ok, auto fail) { client.updateSettings(wrong, c, ok, fail); });
        QVERIFY(!refused);
        QCOMPARE(refused.error.kind, ApiError::Kind::Validation);
        QCOMPARE(refused.error.field, QStringLiteral("maxParallelRenewals"));

        const auto noWebhook = waitFor<QString>([&](QObject* c, auto ok, auto fail) {
            client.testNotification(QStringLiteral("webhook"), c, ok, fail);
        });
        QVERIFY(!noWebhook);
        QCOMPARE(noWebhook.error.field, QStringLiteral("notifications.targets.webhookUrl"));

        const auto renewed = waitFor<RenewalsStarted>([&](QObject* c, auto ok, auto fail) {
            client.renewItems({QStringLiteral("no-such-id")}, c, ok, fail);
        });
        QVERIFY2(renewed, qPrintable(renewed.error.detail));
        QVERIFY(renewed->queued.isEmpty());
        QCOMPARE(renewed->skipped.value(0).id, QStringLiteral("no-such-id"));
    }

    void administrationCallsAnswerInTypes() {
        ApiClient client(entryFor(*m_service), m_service->dataDir());
        const auto types = waitFor<QList<CredentialType>>(
            [&](QObject* c, auto ok, auto fail) { client.credentialTypes(c, ok, fail); });
        QVERIFY2(types, qPrintable(types.error.detail));
        // The service serves the shared catalogue, with lexicon's types among the DNS ones.
        QList<CredentialType> builtIn;
        for (const CredentialType& t : *types)
            if (!t.id.startsWith(QLatin1String("lexicon:")))
                builtIn << t;
        QCOMPARE(builtIn, credentialTypes());

        AccountRegistrationRequest request;
        request.certificateAuthorityId = QStringLiteral("letsencrypt");
        request.email = QStringLiteral("not-an-address");
        const auto registered = waitFor<AcmeAccount>(
            [&](QObject* c, auto ok, auto fail) { client.registerAccount(request, c, ok, fail); });
        QVERIFY(!registered);
        QStringList fields;
        for (const FieldError& fe : registered.error.errors)
            fields << fe.field;
        QVERIFY2(fields.contains("email") && fields.contains("agreeToTerms"),
                 qPrintable(fields.join(", ")));

        const auto batch = waitFor<BatchCreateResult>([&](QObject* c, auto ok, auto fail) {
            client.createItems(
                {newItem("Batch", {"batch.example.com"}), newItem("Broken", {"not a domain"})},
                true, c, ok, fail);
        });
        QVERIFY2(batch, qPrintable(batch.error.detail));
        QVERIFY(batch->dryRun);
        QCOMPARE(batch->accepted, 1);
        QCOMPARE(batch->results.size(), 2);
        QCOMPARE(batch->results[0].status, BatchCreateResult::Status::Valid);
        QCOMPARE(batch->results[1].status, BatchCreateResult::Status::Refused);
        QVERIFY(!batch->results[1].errors.isEmpty());

        const QString passphrase = QStringLiteral("a passphrase long enough");
        const auto exported = waitFor<BackupExport>([&](QObject* c, auto ok, auto fail) {
            client.exportBackup(passphrase, c, ok, fail, {kSlowCall});
        });
        QVERIFY2(exported, qPrintable(exported.error.detail));
        const auto plan = waitFor<BackupImport>([&](QObject* c, auto ok, auto fail) {
            client.importBackup(exported->package.toLatin1(), passphrase, false, true, c, ok, fail,
                                {kSlowCall});
        });
        QVERIFY2(plan, qPrintable(plan.error.detail));
        QVERIFY(plan->preview);
        QCOMPARE(plan->package.counts.items, exported->counts.items);
        QCOMPARE(plan->counts.add, 0); // everything in it is here already
        QCOMPARE(plan->entries.size(), plan->counts.skip);
    }
};

QTEST_MAIN(ApiClientTest)
#include "test_api_client.moc"
