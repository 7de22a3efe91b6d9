// The editor and the settings against the real service and a real CA (Pebble, with
// pebble-challtestsrv answering every name with this machine): an account is registered
// through the settings, then a certificate is created in the editor and requested; the Log tab
// shows the steps live as the service writes them, following the newest line, and the Status
// tab turns healthy with the certificate's details. Around them, the main window's first-run
// guide: before the account, after it, and gone once there is a certificate.

#include "ChallTestSrvProcess.h"
#include "EditorTestSupport.h"
#include "PebbleProcess.h"
#include "ServiceAccess.h"
#include "client/ApiClient.h"
#include "client/BlockingCall.h"
#include "gui/CertificateEditorDialog.h"
#include "gui/FirstRunGuide.h"
#include "gui/MainWindow.h"
#include "gui/ServiceCatalog.h"
#include "gui/editor/ItemLogModel.h"
#include "gui/editor/LogTab.h"
#include "gui/editor/StatusTab.h"
#include "gui/settings/RegisterAccountDialog.h"
#include "gui/settings/SettingsDialog.h"

#include <QCheckBox>
#include <QFile>
#include <QFrame>
#include <QJsonDocument>
#include <QLabel>
#include <QScrollBar>
#include <QTableView>
#include <QTextBrowser>
#include <QTreeView>
#include <QTreeWidget>

using namespace ck;
using namespace ck::gui;
using namespace ck::test;

namespace {
constexpr int kIssueMs = 90000;

QString logText(const CertificateEditorDialog& dialog) {
    QStringList lines;
    for (const LogEntry& e : dialog.findChild<LogTab*>()->model()->entries())
        lines.append(ItemLogModel::lineOf(e));
    return lines.join(u'\n');
}
} // namespace

class EditorPebbleTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_dataDir;
    std::unique_ptr<ChallTestSrvProcess> m_dns;
    std::unique_ptr<PebbleProcess> m_pebble;
    std::unique_ptr<ServiceProcess> m_service;
    std::unique_ptr<ApiClient> m_client;

private Q_SLOTS:
    void initTestCase() {
        m_dns = std::make_unique<ChallTestSrvProcess>();
        QVERIFY2(m_dns->start(), qPrintable(m_dns->errorString()));
        PebbleProcess::Options options;
        options.dnsServer = m_dns->dnsAddress();
        const auto ports = freeLoopbackPorts(2);
        options.httpPort = ports[0];
        options.tlsPort = ports[1];
        m_pebble = std::make_unique<PebbleProcess>(options);
        QVERIFY2(m_pebble->start(), qPrintable(m_pebble->errorString()));
        // The service's challenge listener where Pebble connects (both ::1 and 127.0.0.1).
        QFile config(m_dataDir.filePath("serviceconfig.json"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QJsonDocument(QJsonObject{{"httpChallengeServerHost", "::"},
                                               {"httpChallengeServerPort", m_pebble->httpPort()},
                                               {"tlsAlpnChallengeServerPort", m_pebble->tlsPort()}})
                         .toJson());
        config.close();
        m_service = std::make_unique<ServiceProcess>(m_dataDir.path());
        QVERIFY(m_service->pauseAutomaticRenewal()); // the test requests through the editor
        QVERIFY2(m_service->start(), qPrintable(m_service->output()));
        const auto ca = rawHttpFor(*m_service)
                            .post("/api/certificateauthorities",
                                  QJsonObject{{"id", "pebble"},
                                              {"title", "Pebble"},
                                              {"directoryUrl", m_pebble->directoryUrl()},
                                              {"trustedRootFile", m_pebble->tlsRootFile()}});
        QVERIFY2(ca.status == 201, ca.body.c_str());
        m_client = std::make_unique<ApiClient>(entryFor(*m_service), m_service->dataDir());
    }

    void cleanupTestCase() {
        m_client.reset();
        m_service.reset();
        m_pebble.reset();
        m_dns.reset();
    }

    void theGuideOpensTheRegistrationBeforeAnyAccount() {
        gui::MainWindow window(m_service->dataDir());
        window.show();
        auto* guide = window.findChild<FirstRunGuide*>();
        QTRY_VERIFY_WITH_TIMEOUT(guide->isVisible(), kWaitMs);
        auto* state = child<QLabel>(&window, "accountStateLabel");
        QTRY_COMPARE_WITH_TIMEOUT(state->text(), QStringLiteral("No account yet."), kWaitMs);
        click(child<QPushButton>(guide, "registerAccountButton"));
        auto* dialog = waitForDialog<RegisterAccountDialog>(&window);
        QVERIFY(dialog);
        // The CA the user added is offered, as in the settings.
        dialog->selectCertificateAuthority("pebble");
        dialog->reject();
    }

    void settingsRegisterAnAccount() {
        SettingsDialog settings(m_client.get(), m_service->dataDir());
        settings.showPage(SettingsDialog::Page::Accounts);
        settings.show();
        QTRY_VERIFY_WITH_TIMEOUT(settings.catalog()->isLoaded(), kWaitMs);
        click(child<QPushButton>(&settings, "registerAccountButton"));
        auto* dialog = waitForDialog<RegisterAccountDialog>(&settings);
        QVERIFY(dialog);
        dialog->selectCertificateAuthority("pebble");
        QVERIFY(!child<QCheckBox>(dialog, "registerStagingCheck")->isEnabled()); // no staging URL
        typeInto(child<QLineEdit>(dialog, "emailEdit"), "admin@example.test");
        click(child<QCheckBox>(dialog, "agreeTermsCheck"));
        QPointer<RegisterAccountDialog> guard(dialog);
        click(child<QPushButton>(dialog, "registerButton"));
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull() || !guard->isVisible(), kWaitMs);

        auto* accounts = child<QTreeWidget>(&settings, "accountList");
        QTRY_COMPARE_WITH_TIMEOUT(accounts->topLevelItemCount(), 1, kWaitMs);
        QCOMPARE(accounts->topLevelItem(0)->text(0), QStringLiteral("Pebble"));
        QCOMPARE(accounts->topLevelItem(0)->text(2), QStringLiteral("admin@example.test"));
        QVERIFY(child<QLabel>(&settings, "accountsStatus")->text().contains("Registered"));
        const QJsonArray stored =
            rawHttpFor(*m_service).get("/api/accounts").json()["items"].toArray();
        QCOMPARE(stored.size(), 1);
        QVERIFY(stored[0]["accountUrl"].toString().startsWith("https://127.0.0.1"));
    }

    void theGuideSaysWhichAccountIsRegistered() {
        gui::MainWindow window(m_service->dataDir());
        window.show();
        auto* state = child<QLabel>(&window, "accountStateLabel");
        QTRY_COMPARE_WITH_TIMEOUT(state->text(),
                                  QStringLiteral("✓ Registered as admin@example.test with Pebble."),
                                  kWaitMs);
        QCOMPARE(child<QPushButton>(&window, "registerAccountButton")->text(),
                 QStringLiteral("&Register another account…"));
        QVERIFY(child<QPushButton>(&window, "addCertificateButton")->isDefault());
    }

    void aCertificateIsCreatedRequestedAndFollowed() {
        CertificateEditorDialog dialog(m_client.get(), ManagedCertificate{});
        dialog.show();
        QTRY_VERIFY_WITH_TIMEOUT(child<QComboBox>(&dialog, "caCombo")->findData("pebble") >= 0,
                                 kWaitMs);
        typeInto(child<QLineEdit>(&dialog, "nameEdit"), "GUI issued");
        typeInto(child<QLineEdit>(&dialog, "domainInput"), "gui.example.test www.gui.example.test");
        click(child<QPushButton>(&dialog, "addDomainButton"));
        QVERIFY(choose(child<QComboBox>(&dialog, "caCombo"), "pebble"));
        QCOMPARE(child<QLabel>(&dialog, "accountLabel")->text(),
                 QStringLiteral("Account: admin@example.test"));

        click(child<QPushButton>(&dialog, "requestButton"));
        QTRY_COMPARE_WITH_TIMEOUT(dialog.tabs()->currentWidget()->objectName(),
                                  QStringLiteral("logTab"), kWaitMs);
        // The steps appear as the service writes them.
        QTRY_VERIFY_WITH_TIMEOUT(logText(dialog).contains("Requesting a certificate for "
                                                          "gui.example.test"),
                                 kIssueMs);
        QTRY_VERIFY_WITH_TIMEOUT(logText(dialog).contains("Certificate issued by"), kIssueMs);
        const QString log = logText(dialog);
        QVERIFY2(log.contains("gui.example.test validated"), qPrintable(log));
        QVERIFY(log.contains("www.gui.example.test validated"));
        QVERIFY(log.indexOf("Requesting a certificate") < log.indexOf("Certificate issued by"));
        // Following: the newest line is in view.
        QScrollBar* bar = child<QTreeView>(&dialog, "logView")->verticalScrollBar();
        QTRY_COMPARE(bar->value(), bar->maximum());

        auto* status = child<QLabel>(&dialog, "requestStatus");
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith("Issued: valid until"), kIssueMs);
        const ManagedCertificate item = dialog.item();
        QCOMPARE(toString(item.lastRenewalStatus), QStringLiteral("Success"));
        const QString serial = item.certificateSerial;
        QVERIFY(!serial.isEmpty());
        // The tab opened while the request wrote its lines: each is shown once, none missed.
        const auto served = waitFor<QList<LogEntry>>([&](QObject* ctx, auto ok, auto fail) {
            m_client->itemLog(item.id, 1000, ctx, ok, fail);
        });
        QVERIFY(served);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.findChild<LogTab*>()->model()->entries(), *served,
                                  kWaitMs);

        showTab(dialog.tabs(), "statusTab");
        QTRY_VERIFY_WITH_TIMEOUT(
            child<QLabel>(&dialog, "healthLabel")->text().startsWith("Healthy: valid until"),
            kWaitMs);
        auto* details = child<QTextBrowser>(&dialog, "statusDetails");
        QTRY_VERIFY_WITH_TIMEOUT(details->toPlainText().contains("Issued: Certificate issued by"),
                                 kWaitMs);
        const QString text = details->toPlainText();
        QVERIFY2(text.contains(serial), qPrintable(text));
        QVERIFY(text.contains("www.gui.example.test"));
        QVERIFY(text.contains(item.certificateFullChainPath));
        QVERIFY(text.contains(item.certificateThumbprint));
        QVERIFY(!text.contains("Last error"));
        QVERIFY(!text.contains("Revocation check")); // not checked yet

        // What the revocation watch found, in a word and in its own words.
        ManagedCertificate checked = item;
        checked.revocationStatus = QStringLiteral("good");
        checked.revocationMessage =
            QStringLiteral("Not revoked, says the OCSP responder http://ocsp.example.test/");
        checked.dateRevocationChecked = QDateTime::currentDateTimeUtc();
        dialog.findChild<StatusTab*>()->load(checked);
        QTRY_VERIFY_WITH_TIMEOUT(details->toPlainText().contains("Revocation check"), kWaitMs);
        QVERIFY2(details->toPlainText().contains(QStringLiteral("Not revoked on ")) &&
                     details->toPlainText().contains("says the OCSP responder "
                                                     "http://ocsp.example.test/"),
                 qPrintable(details->toPlainText()));
    }

    void withACertificateAndAnAccountTheListHasNoGuideNorNotice() {
        gui::MainWindow window(m_service->dataDir());
        window.show();
        auto* table = window.findChild<QTableView*>(QStringLiteral("certificateTable"));
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 1, kWaitMs);
        QVERIFY(table->isVisible());
        QVERIFY(!window.findChild<FirstRunGuide*>()->isVisible());
        // The accounts are read after the list; the (hidden) guide shows when they came.
        QTRY_VERIFY_WITH_TIMEOUT(
            child<QLabel>(&window, "accountStateLabel")->text().startsWith("✓"), kWaitMs);
        QVERIFY(!child<QFrame>(&window, "accountNotice")->isVisible());
    }
};

QTEST_MAIN(EditorPebbleTest)
#include "test_editor_pebble.moc"
