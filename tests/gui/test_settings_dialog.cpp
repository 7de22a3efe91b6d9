// The settings against the real service: credentials are added (secrets masked), listed, tested
// and removed; registration and custom CA errors appear at their fields; connections are listed,
// tested and chosen; the service's preferences are saved.

#include "EditorFixture.h"

using namespace ck;
using namespace ck::gui;
using namespace ck::test;

class SettingsDialogTest : public EditorFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(startService()); }
    void cleanupTestCase() { stopService(); }

    void credentialsAreAddedMaskedListedAndRemoved() {
        auto settings = openSettings(SettingsDialog::Page::Credentials);
        settings->setConfirmation([](QWidget*, const QString&) { return true; });
        QTRY_VERIFY_WITH_TIMEOUT(
            child<QPushButton>(settings.get(), "addCredentialButton")->isEnabled(), kWaitMs);
        click(child<QPushButton>(settings.get(), "addCredentialButton"));
        auto* dialog = waitForDialog<CredentialDialog>(settings.get());
        QVERIFY(dialog);
        dialog->selectType("rfc2136");
        VERIFY_KEYBOARD_AND_NAMES(dialog);
        auto* secret = child<QLineEdit>(dialog, "credentialField_secret");
        QCOMPARE(secret->echoMode(), QLineEdit::Password);
        typeInto(child<QLineEdit>(dialog, "credentialTitleEdit"), "ns2 key");
        typeInto(child<QLineEdit>(dialog, "credentialField_server"), "192.0.2.54");
        typeInto(secret, "bm90LXNob3du");
        click(child<QPushButton>(dialog, "credentialStoreButton"));
        // The service names the missing field; it is shown under it.
        auto* keyNameError = child<QLabel>(dialog, "credentialFieldError_keyName");
        QTRY_VERIFY_WITH_TIMEOUT(keyNameError->isVisible(), kWaitMs);
        QCOMPARE(keyNameError->text(), QStringLiteral("TSIG key name is required"));
        typeInto(child<QLineEdit>(dialog, "credentialField_keyName"), "ns2.");
        QPointer<CredentialDialog> guard(dialog);
        click(child<QPushButton>(dialog, "credentialStoreButton"));
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull() || !guard->isVisible(), kWaitMs);

        auto* list = child<QTreeWidget>(settings.get(), "credentialList");
        QTRY_VERIFY_WITH_TIMEOUT(treeColumn(list, 0).contains("ns2 key"), kWaitMs);
        QVERIFY(selectRow(list, 0, "ns2 key"));
        const QTreeWidgetItem* row = list->currentItem();
        QVERIFY(row->text(2).contains("server 192.0.2.54"));
        QCOMPARE(row->text(3), QStringLiteral("secret set"));
        for (int c = 0; c < list->columnCount(); ++c)
            QVERIFY(!row->text(c).contains("bm90LXNob3du"));
        QVERIFY(rawHttpFor(*m_service).get("/api/credentials").body.find("bm90LXNob3du") ==
                std::string::npos);

        // Test needs the zone to place its probe record in; this key has none: the page shows
        // the service's words, not JSON and not the "not offered" sentence.
        click(child<QPushButton>(settings.get(), "testCredentialButton"));
        QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(settings.get(), "credentialsStatus")->text(),
                                  QStringLiteral("Give the zone in this credential to test it, or "
                                                 "use Test on a certificate that uses it"),
                                  kWaitMs);

        click(child<QPushButton>(settings.get(), "removeCredentialButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!treeColumn(list, 0).contains("ns2 key"), kWaitMs);
        QCOMPARE(child<QLabel>(settings.get(), "credentialsStatus")->text(),
                 QStringLiteral("The credential was removed."));
    }

    void registrationAndCustomCaErrorsAreShownAtTheirFields() {
        auto settings = openSettings(SettingsDialog::Page::Accounts);
        QVERIFY(
            treeColumn(child<QTreeWidget>(settings.get(), "caList"), 0).contains("Let's Encrypt"));
        click(child<QPushButton>(settings.get(), "registerAccountButton"));
        auto* dialog = waitForDialog<RegisterAccountDialog>(settings.get());
        QVERIFY(dialog);
        dialog->selectCertificateAuthority("letsencrypt");
        VERIFY_KEYBOARD_AND_NAMES(dialog);
        auto* terms = child<QLabel>(dialog, "termsLink");
        QVERIFY2(terms->text().contains("<a href=\"https://letsencrypt.org\">"),
                 qPrintable(terms->text()));
        QVERIFY(child<QCheckBox>(dialog, "registerStagingCheck")->isEnabled());
        QVERIFY(!child<QGroupBox>(dialog, "eabGroup")->isVisible());
        typeInto(child<QLineEdit>(dialog, "emailEdit"), "not-an-address");
        click(child<QPushButton>(dialog, "registerButton"));
        auto* emailError = child<QLabel>(dialog, "emailError");
        QTRY_VERIFY_WITH_TIMEOUT(emailError->isVisible(), kWaitMs);
        QVERIFY(emailError->text().startsWith("Enter an email address the CA can write to"));
        QVERIFY(child<QLabel>(dialog, "agreeError")
                    ->text()
                    .contains("terms of service must be "
                              "accepted"));
        QVERIFY(dialog->isVisible());

        // A CA that needs External Account Binding shows its fields, masked.
        dialog->selectCertificateAuthority("zerossl");
        QVERIFY(child<QGroupBox>(dialog, "eabGroup")->isVisible());
        VERIFY_KEYBOARD_AND_NAMES(dialog);
        QVERIFY(!child<QCheckBox>(dialog, "useEabCheck")->isEnabled());
        QCOMPARE(child<QLineEdit>(dialog, "eabHmacEdit")->echoMode(), QLineEdit::Password);
        dialog->reject();

        click(child<QPushButton>(settings.get(), "addCaButton"));
        auto* ca = waitForDialog<CustomCaDialog>(settings.get());
        QVERIFY(ca);
        VERIFY_KEYBOARD_AND_NAMES(ca);
        typeInto(child<QLineEdit>(ca, "caIdEdit"), "internal");
        typeInto(child<QLineEdit>(ca, "caTitleEdit"), "Internal CA");
        typeInto(child<QLineEdit>(ca, "caDirectoryEdit"), "http://ca.internal/directory");
        click(child<QPushButton>(ca, "caAddButton"));
        auto* directoryError = child<QLabel>(ca, "caDirectoryEditError");
        QTRY_VERIFY_WITH_TIMEOUT(directoryError->isVisible(), kWaitMs);
        QVERIFY2(directoryError->text().contains("https"), qPrintable(directoryError->text()));
        typeInto(child<QLineEdit>(ca, "caDirectoryEdit"), "https://ca.internal/directory");
        QPointer<CustomCaDialog> guard(ca);
        click(child<QPushButton>(ca, "caAddButton"));
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull() || !guard->isVisible(), kWaitMs);
        auto* cas = child<QTreeWidget>(settings.get(), "caList");
        QTRY_VERIFY_WITH_TIMEOUT(treeColumn(cas, 0).contains("Internal CA"), kWaitMs);
        // Built-in CAs cannot be removed; a custom one can.
        QVERIFY(selectRow(cas, 0, "Let's Encrypt"));
        QVERIFY(!child<QPushButton>(settings.get(), "removeCaButton")->isEnabled());
        QVERIFY(selectRow(cas, 0, "Internal CA"));
        settings->setConfirmation([](QWidget*, const QString&) { return true; });
        click(child<QPushButton>(settings.get(), "removeCaButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!treeColumn(cas, 0).contains("Internal CA"), kWaitMs);
    }

    void connectionsAreListedTestedAndChosen() {
        const QString file = m_service->dataDir() + "/servers.json";
        auto settings = openSettings(SettingsDialog::Page::Connections);
        settings->setConfirmation([](QWidget*, const QString&) { return true; });
        QSignalSpy changed(settings.get(), &SettingsDialog::serversChanged);
        auto* list = child<QTreeWidget>(settings.get(), "serverList");
        QCOMPARE(treeColumn(list, 0), QStringList{"This computer"});
        QCOMPARE(list->topLevelItem(0)->text(2), QStringLiteral("default"));
        auto* result = child<QLabel>(settings.get(), "connectionTestResult");
        click(child<QPushButton>(settings.get(), "testConnectionButton"));
        QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith("Connected to the Certkeeper service"),
                                 kWaitMs);
        QVERIFY(!child<QPushButton>(settings.get(), "removeServerButton")->isEnabled());

        const int unused = freeLoopbackPort();
        click(child<QPushButton>(settings.get(), "addServerButton"));
        auto* dialog = waitForDialog<ServerDialog>(settings.get());
        QVERIFY(dialog);
        VERIFY_KEYBOARD_AND_NAMES(dialog);
        typeInto(child<QLineEdit>(dialog, "serverNameEdit"), "Backup host");
        typeInto(child<QLineEdit>(dialog, "serverHostEdit"), "127.0.0.1");
        child<QSpinBox>(dialog, "serverPortSpin")->setValue(unused);
        QPointer<ServerDialog> guard(dialog);
        click(child<QPushButton>(dialog, "serverOkButton"));
        QTRY_VERIFY(guard.isNull() || !guard->isVisible());
        QCOMPARE(treeColumn(list, 0), QStringList({"This computer", "Backup host"}));
        QCOMPARE(changed.count(), 1);
        auto saved = std::get<ServersConfig>(ServersConfig::load(file));
        QVERIFY(saved.find("backup-host"));
        QCOMPARE(saved.find("backup-host")->port, unused);

        // Nothing listens there: the test says so, as the "Service not started" page would.
        QCOMPARE(list->currentItem()->text(0), QStringLiteral("Backup host"));
        click(child<QPushButton>(settings.get(), "testConnectionButton"));
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains("is not running"), kWaitMs);
        QVERIFY(result->text().contains(QString::number(unused)));

        click(child<QPushButton>(settings.get(), "defaultServerButton"));
        saved = std::get<ServersConfig>(ServersConfig::load(file));
        QCOMPARE(saved.defaultServer()->id, QStringLiteral("backup-host"));
        click(child<QPushButton>(settings.get(), "removeServerButton"));
        saved = std::get<ServersConfig>(ServersConfig::load(file));
        QCOMPARE(saved.servers.size(), 1);
        QCOMPARE(saved.defaultServer()->id, QStringLiteral("local"));
        QVERIFY(saved.servers.first().isDefault);
        QCOMPARE(saved.servers.first().port, servicePort(*m_service)); // the service's entry kept
    }

    void preferencesAreSavedInTheService() {
        auto settings = openSettings(SettingsDialog::Page::Preferences);
        auto* parallel = child<QSpinBox>(settings.get(), "maxParallelSpin");
        QTRY_VERIFY_WITH_TIMEOUT(parallel->isEnabled(), kWaitMs);
        parallel->setValue(3);
        // This service was started with automatic renewal paused: the box shows it, and keeping
        // it unticked keeps it paused.
        auto* automatic = child<QCheckBox>(settings.get(), "automaticRenewalCheck");
        QVERIFY(!automatic->isChecked());
        click(child<QPushButton>(settings.get(), "saveSettingsButton"));
        QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(settings.get(), "preferencesStatus")->text(),
                                  QStringLiteral("Saved."), kWaitMs);
        const QJsonObject saved = rawHttpFor(*m_service).get("/api/settings").json();
        QCOMPARE(saved.value("maxParallelRenewals").toInt(), 3);
        QCOMPARE(saved.value("automaticRenewal").toBool(true), false);
        // A webhook nobody answers: the test says what happened, in the service's words.
        typeInto(child<QLineEdit>(settings.get(), "webhookEdit"),
                 QStringLiteral("http://127.0.0.1:%1/hook").arg(freeLoopbackPort()));
        click(child<QPushButton>(settings.get(), "testWebhookButton"));
        auto* status = child<ErrorLabel>(settings.get(), "preferencesStatus");
        QTRY_VERIFY_WITH_TIMEOUT(status->showsError(), kWaitMs);
        QVERIFY(!status->text().contains('{'));
    }
};

QTEST_MAIN(SettingsDialogTest)
#include "test_settings_dialog.moc"
