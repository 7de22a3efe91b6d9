// The certificate editor against the real service (no CA needed): every field of the
// Certificate tab reaches the service; the service's errors appear at their fields with nothing
// typed lost; authorization rules are stored and shown again; a failing request is followed
// live in the Log tab (through the service's events, not by polling) and explained on the Status
// tab; keyboard and screen-reader users reach every control; Preview shows the tasks, Test names
// a failing check, a task runs now.

#include "EditorFixture.h"

using namespace ck;
using namespace ck::gui;
using namespace ck::test;

class CertificateEditorTest : public EditorFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(startService()); }
    void cleanupTestCase() { stopService(); }

    void everyCertificateFieldReachesTheService() {
        const QString pfx = createCredential(*m_service, "pfx-password", "Shop PFX",
                                             QJsonObject{{"password", "s3cret-pfx"}});
        auto dialog = openEditor();
        QTRY_VERIFY_WITH_TIMEOUT(
            child<QComboBox>(dialog.get(), "pfxPasswordCombo")->findData(pfx) >= 0, kWaitMs);
        typeInto(child<QLineEdit>(dialog.get(), "nameEdit"), "Shop");
        typeInto(child<QLineEdit>(dialog.get(), "domainInput"), "www.shop.example.com");
        click(child<QPushButton>(dialog.get(), "addDomainButton"));
        // A list pasted from elsewhere: one per line or comma-separated, with openssl's prefix.
        click(child<QPushButton>(dialog.get(), "importDomainsButton"));
        child<QPlainTextEdit>(dialog.get(), "importDomainsText")
            ->setPlainText("DNS:shop.example.com, api.shop.example.com\nwww.shop.example.com\n"
                           "*.cdn.shop.example.com");
        click(child<QPushButton>(dialog.get(), "importDomainsAddButton"));
        QVERIFY(child<QLabel>(dialog.get(), "domainsNotice")
                    ->text()
                    .contains("Already listed, not added again: www.shop.example.com"));
        auto* list = child<QTreeView>(dialog.get(), "domainsList");
        QCOMPARE(list->model()->rowCount(), 4);
        QCOMPARE(list->model()->index(0, 0).data().toString(),
                 QStringLiteral("www.shop.example.com"));
        QCOMPARE(list->model()->index(0, 1).data().toString(), QStringLiteral("primary"));
        list->setCurrentIndex(list->model()->index(1, 0)); // shop.example.com
        click(child<QPushButton>(dialog.get(), "makePrimaryButton"));
        QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("shop.example.com"));
        QCOMPARE(list->model()->index(0, 1).data().toString(), QStringLiteral("primary"));

        QVERIFY(choose(child<QComboBox>(dialog.get(), "keyTypeCombo"), "rsa3072"));
        // CAs asked in turn when the CA fails the request itself.
        typeInto(child<QLineEdit>(dialog.get(), "fallbackCasEdit"), "zerossl, google");
        QVERIFY(choose(child<QComboBox>(dialog.get(), "pfxPasswordCombo"), pfx));
        // Its own renewal schedule, kept even while automatic renewal is off.
        QVERIFY(choose(child<QComboBox>(dialog.get(), "renewalModeCombo"), "daysBeforeExpiry"));
        child<QSpinBox>(dialog.get(), "renewalIntervalSpin")->setValue(20);
        click(child<QCheckBox>(dialog.get(), "autoRenewCheck")); // off
        QVERIFY(!child<QComboBox>(dialog.get(), "renewalModeCombo")->isEnabled());
        child<QPlainTextEdit>(dialog.get(), "commentsEdit")
            ->setPlainText("Renew before Black Friday");
        // The account the service will use is named (none registered here).
        QVERIFY(child<QLabel>(dialog.get(), "accountLabel")
                    ->text()
                    .contains("No account is registered with Let's Encrypt"));

        click(child<QPushButton>(dialog.get(), "saveButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), kWaitMs);
        const QJsonObject stored = itemNamed(*m_service, "Shop");
        QVERIFY(!stored.isEmpty());
        const QJsonObject rc = stored.value("requestConfig").toObject();
        QCOMPARE(rc.value("primaryDomain").toString(), QStringLiteral("shop.example.com"));
        QCOMPARE(rc.value("subjectAlternativeNames").toArray(),
                 QJsonArray({"shop.example.com", "www.shop.example.com", "api.shop.example.com",
                             "*.cdn.shop.example.com"}));
        QCOMPARE(rc.value("keyAlgorithm").toString(), QStringLiteral("rsa3072"));
        QCOMPARE(rc.value("fallbackCertificateAuthorityIds").toArray(),
                 QJsonArray({"zerossl", "google"}));
        QCOMPARE(rc.value("pfxPasswordCredentialId").toString(), pfx);
        QCOMPARE(stored.value("includeInAutoRenew").toBool(), false);
        QCOMPARE(stored.value("comments").toString(), QStringLiteral("Renew before Black Friday"));
        QCOMPARE(stored.value("renewalOverride").toObject(),
                 QJsonObject({{"mode", "daysBeforeExpiry"}, {"interval", 20}}));
    }

    void theServicesErrorsAppearAtTheirFieldsAndNothingIsLost() {
        auto dialog = openEditor();
        // A name typed but not added is taken too: a user who typed one name and pressed Save
        // means it.
        typeInto(child<QLineEdit>(dialog.get(), "domainInput"),
                 "good.example.com bad..example.com");
        click(child<QPushButton>(dialog.get(), "addDomainButton"));
        typeInto(child<QLineEdit>(dialog.get(), "domainInput"), "also-typed.example.com");
        showTab(dialog->tabs(), "logTab"); // errors bring the user back to the field at fault
        click(child<QPushButton>(dialog.get(), "saveButton"));

        auto* domainsError = child<QLabel>(dialog.get(), "domainsError");
        auto* nameError = child<QLabel>(dialog.get(), "nameError");
        QTRY_VERIFY_WITH_TIMEOUT(domainsError->isVisible(), kWaitMs);
        QCOMPARE(dialog->tabs()->currentWidget()->objectName(), QStringLiteral("certificateTab"));
        QVERIFY2(domainsError->text().contains("'bad..example.com' has an empty label"),
                 qPrintable(domainsError->text()));
        QVERIFY(!domainsError->text().contains('{')); // the service's words, never JSON
        auto* list = child<QTreeView>(dialog.get(), "domainsList");
        QCOMPARE(list->model()->index(1, 0).data(DomainListModel::ErrorRole).toString(),
                 domainsError->text());
        QVERIFY(list->model()->index(0, 0).data(DomainListModel::ErrorRole).toString().isEmpty());
        QVERIFY(nameError->isVisible());
        QCOMPARE(nameError->text(), QStringLiteral("Give the certificate a name"));
        QCOMPARE(child<QLineEdit>(dialog.get(), "nameEdit")->accessibleDescription(),
                 nameError->text());
        // Each error sits under its own field.
        QVERIFY(inWindow(nameError).top() >=
                inWindow(child<QLineEdit>(dialog.get(), "nameEdit")).bottom());
        QVERIFY(inWindow(domainsError).top() >= inWindow(list).bottom());
        QVERIFY(dialog->isVisible());
        QCOMPARE(list->model()->rowCount(), 2);
        QCOMPARE(child<QLineEdit>(dialog.get(), "domainInput")->text(),
                 QStringLiteral("also-typed.example.com"));

        // Fixing both: the errors go, the dialog saves and closes.
        typeInto(child<QLineEdit>(dialog.get(), "nameEdit"), "Fixed");
        list->setCurrentIndex(list->model()->index(1, 0));
        click(child<QPushButton>(dialog.get(), "removeDomainButton"));
        click(child<QPushButton>(dialog.get(), "saveButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), kWaitMs);
        QCOMPARE(
            itemNamed(*m_service, "Fixed")["requestConfig"]["subjectAlternativeNames"].toArray(),
            QJsonArray({"good.example.com", "also-typed.example.com"}));
    }

    void authorizationRulesAreStoredAndShownAgain() {
        const QString tsig = createCredential(*m_service, "rfc2136", "ns1 update key",
                                              QJsonObject{{"server", "192.0.2.53"},
                                                          {"keyName", "certkeeper."},
                                                          {"secret", "c2VjcmV0LXRzaWcta2V5"}});
        auto dialog = openEditor();
        typeInto(child<QLineEdit>(dialog.get(), "nameEdit"), "Wild");
        typeInto(child<QLineEdit>(dialog.get(), "domainInput"),
                 "wild.example.com *.wild.example.com");
        click(child<QPushButton>(dialog.get(), "addDomainButton"));
        showTab(dialog->tabs(), "authorizationTab");
        QVERIFY(!child<QListWidget>(dialog.get(), "challengeList")->isVisible());

        click(child<QPushButton>(dialog.get(), "addRuleButton"));
        typeInto(child<QLineEdit>(dialog.get(), "domainMatchEdit"), "*.wild.example.com");
        QVERIFY(choose(child<QComboBox>(dialog.get(), "challengeTypeCombo"), "dns-01"));
        QTRY_VERIFY(child<QComboBox>(dialog.get(), "dnsCredentialCombo")->findData(tsig) >= 0);
        QVERIFY(choose(child<QComboBox>(dialog.get(), "dnsCredentialCombo"), tsig));
        click(child<QPushButton>(dialog.get(), "addRuleButton"));
        click(child<QRadioButton>(dialog.get(), "webrootRadio"));
        typeInto(child<QLineEdit>(dialog.get(), "webrootEdit"), "/var/www/wild");
        auto* rules = child<QListWidget>(dialog.get(), "challengeList");
        QCOMPARE(rules->count(), 2);
        QCOMPARE(rules->item(0)->text(),
                 QStringLiteral("*.wild.example.com: dns-01, DNS update (RFC 2136) with a TSIG key "
                                "(ns1 update key)"));
        QCOMPARE(rules->item(1)->text(),
                 QStringLiteral("Every other name: http-01 in /var/www/wild"));
        click(child<QPushButton>(dialog.get(), "saveButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), kWaitMs);

        const QJsonObject stored = itemNamed(*m_service, "Wild");
        const QJsonArray challenges = stored["requestConfig"]["challenges"].toArray();
        QCOMPARE(challenges.size(), 2);
        QCOMPARE(challenges[0]["type"].toString(), QStringLiteral("dns-01"));
        QCOMPARE(challenges[0]["provider"].toString(), QStringLiteral("rfc2136"));
        QCOMPARE(challenges[0]["credentialId"].toString(), tsig);
        QCOMPARE(challenges[0]["domainMatch"].toString(), QStringLiteral("*.wild.example.com"));
        QCOMPARE(challenges[1]["type"].toString(), QStringLiteral("http-01"));
        QCOMPARE(challenges[1]["provider"].toString(), QStringLiteral("webroot"));
        QCOMPARE(challenges[1]["webrootPath"].toString(), QStringLiteral("/var/www/wild"));

        // Opened again, the rules are there; moving the webroot rule first is saved.
        auto again = openEditorOn(stored.value("id").toString());
        showTab(again->tabs(), "authorizationTab");
        auto* list = child<QListWidget>(again.get(), "challengeList");
        QTRY_COMPARE(list->count(), 2);
        QTRY_VERIFY(list->item(0)->text().contains("ns1 update key"));
        list->setCurrentRow(1);
        QCOMPARE(child<QLineEdit>(again.get(), "webrootEdit")->text(),
                 QStringLiteral("/var/www/wild"));
        click(child<QPushButton>(again.get(), "ruleUpButton"));
        click(child<QPushButton>(again.get(), "saveButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!again->isVisible(), kWaitMs);
        QCOMPARE(
            itemNamed(*m_service, "Wild")["requestConfig"]["challenges"][0]["provider"].toString(),
            QStringLiteral("webroot"));

        // The credential is in use: the settings refuse to remove it, in the service's words.
        auto settings = openSettings(SettingsDialog::Page::Credentials);
        settings->setConfirmation([](QWidget*, const QString&) { return true; });
        auto* credentials = child<QTreeWidget>(settings.get(), "credentialList");
        QVERIFY(selectRow(credentials, 0, "ns1 update key"));
        click(child<QPushButton>(settings.get(), "removeCredentialButton"));
        auto* status = child<QLabel>(settings.get(), "credentialsStatus");
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains("is used by Wild"), kWaitMs);
        QVERIFY(treeColumn(credentials, 0).contains("ns1 update key"));
    }

    // The DNS page is made from the service's description of its providers: each offers its
    // own credentials and parameters, and what is typed reaches the service in its own form.
    void dnsProvidersAreOfferedAsTheServiceDescribesThem() {
        const QString key = createCredential(
            *m_service, "powerdns", "ns1 API",
            QJsonObject{{"apiUrl", "http://192.0.2.8:8081"}, {"apiKey", "secret-api-key"}});
        auto dialog = openEditor();
        typeInto(child<QLineEdit>(dialog.get(), "nameEdit"), "Delegated");
        typeInto(child<QLineEdit>(dialog.get(), "domainInput"), "*.dele.example.com");
        click(child<QPushButton>(dialog.get(), "addDomainButton"));
        showTab(dialog->tabs(), "authorizationTab");
        click(child<QPushButton>(dialog.get(), "addRuleButton"));
        QVERIFY(choose(child<QComboBox>(dialog.get(), "challengeTypeCombo"), "dns-01"));
        auto* providers = child<QComboBox>(dialog.get(), "dnsProviderCombo");
        QTRY_VERIFY(providers->findData("powerdns") >= 0);
        QCOMPARE(providers->itemText(providers->findData("powerdns")),
                 QStringLiteral("PowerDNS Authoritative (HTTP API)"));

        // The script takes commands: typed as a line, stored as the program and its arguments.
        QVERIFY(choose(providers, "script"));
        QVERIFY(!child<QComboBox>(dialog.get(), "dnsCredentialCombo")->isVisible());
        auto* add = child<QLineEdit>(dialog.get(), "parameter_presentCommand");
        typeInto(add, "/usr/local/bin/dns-hook add 'two words");
        auto* quoteError = child<QLabel>(dialog.get(), "parameterError_presentCommand");
        QTRY_VERIFY(quoteError->isVisible());
        QVERIFY(quoteError->text().contains("quote is not closed"));
        typeInto(add, "/usr/local/bin/dns-hook add 'two words'");
        QTRY_VERIFY(!quoteError->isVisible());

        // PowerDNS takes its own credential (only those) and a zone.
        QVERIFY(choose(providers, "powerdns"));
        auto* credentials = child<QComboBox>(dialog.get(), "dnsCredentialCombo");
        QVERIFY(credentials->isVisible());
        QVERIFY(credentials->findData(key) >= 0);
        QVERIFY(!dialog->findChild<QLineEdit*>("parameter_presentCommand"));
        QVERIFY(choose(credentials, key));
        typeInto(child<QLineEdit>(dialog.get(), "parameter_zone"), "example.com");
        auto* rules = child<QListWidget>(dialog.get(), "challengeList");
        QCOMPARE(rules->item(0)->text(),
                 QStringLiteral("Every other name: dns-01, PowerDNS Authoritative (HTTP API) "
                                "(ns1 API)"));
        click(child<QPushButton>(dialog.get(), "saveButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), kWaitMs);
        const QJsonObject rule =
            itemNamed(*m_service, "Delegated")["requestConfig"]["challenges"][0].toObject();
        QCOMPARE(rule["provider"].toString(), QStringLiteral("powerdns"));
        QCOMPARE(rule["credentialId"].toString(), key);
        QCOMPARE(rule["parameters"]["zone"].toString(), QStringLiteral("example.com"));
        QVERIFY(!rule["parameters"].toObject().contains("presentCommand"));

        // A script rule without its command is refused by the service, at the rule.
        auto again = openEditorOn(itemNamed(*m_service, "Delegated")["id"].toString());
        showTab(again->tabs(), "authorizationTab");
        auto* list = child<QListWidget>(again.get(), "challengeList");
        QTRY_COMPARE(list->count(), 1);
        list->setCurrentRow(0);
        QTRY_COMPARE(child<QComboBox>(again.get(), "dnsProviderCombo")->currentData().toString(),
                     QStringLiteral("powerdns"));
        QCOMPARE(child<QLineEdit>(again.get(), "parameter_zone")->text(),
                 QStringLiteral("example.com"));
        QVERIFY(choose(child<QComboBox>(again.get(), "dnsProviderCombo"), "script"));
        click(child<QPushButton>(again.get(), "saveButton"));
        auto* refused = child<QLabel>(again.get(), "challengesError");
        QTRY_VERIFY_WITH_TIMEOUT(refused->isVisible(), kWaitMs);
        QVERIFY2(refused->text().contains("Rule 1: Add command is required"),
                 qPrintable(refused->text()));
        QVERIFY(again->isVisible());
    }

    // A dns-01 rule may say where the CNAME at _acme-challenge leads; the service refuses a
    // target that is no DNS name, at the rule.
    void aDnsRuleCanDelegateItsChallengeToACnameTarget() {
        auto dialog = openEditor();
        typeInto(child<QLineEdit>(dialog.get(), "nameEdit"), "Through a CNAME");
        typeInto(child<QLineEdit>(dialog.get(), "domainInput"), "cname.example.com");
        click(child<QPushButton>(dialog.get(), "addDomainButton"));
        showTab(dialog->tabs(), "authorizationTab");
        click(child<QPushButton>(dialog.get(), "addRuleButton"));
        QVERIFY(choose(child<QComboBox>(dialog.get(), "challengeTypeCombo"), "dns-01"));
        QTRY_VERIFY(choose(child<QComboBox>(dialog.get(), "dnsProviderCombo"), "script"));
        typeInto(child<QLineEdit>(dialog.get(), "parameter_presentCommand"),
                 "/usr/local/bin/dns-hook add");
        auto* delegation = child<QLineEdit>(dialog.get(), "delegatedToEdit");
        QVERIFY(delegation->isVisible());
        typeInto(delegation, "not a name");
        click(child<QPushButton>(dialog.get(), "saveButton"));
        auto* refused = child<QLabel>(dialog.get(), "challengesError");
        QTRY_VERIFY_WITH_TIMEOUT(refused->isVisible(), kWaitMs);
        QVERIFY2(refused->text().contains("'not a name' is not a DNS name"),
                 qPrintable(refused->text()));

        typeInto(delegation, "_acme-challenge.cname.auth.example.net");
        QVERIFY(child<QListWidget>(dialog.get(), "challengeList")
                    ->item(0)
                    ->text()
                    .endsWith("delegated to _acme-challenge.cname.auth.example.net"));
        click(child<QPushButton>(dialog.get(), "saveButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), kWaitMs);
        const QJsonObject rule =
            itemNamed(*m_service, "Through a CNAME")["requestConfig"]["challenges"][0].toObject();
        QCOMPARE(rule["delegatedTo"].toString(),
                 QStringLiteral("_acme-challenge.cname.auth.example.net"));
    }

    void aFailedRequestIsFollowedLiveAndExplained() {
        auto dialog = openEditor();
        typeInto(child<QLineEdit>(dialog.get(), "nameEdit"), "Lonely");
        typeInto(child<QLineEdit>(dialog.get(), "domainInput"), "lonely.example.com");
        click(child<QPushButton>(dialog.get(), "addDomainButton"));
        click(child<QPushButton>(dialog.get(), "requestButton"));
        // Saved (the dialog stays), requested, and the Log tab shows what happens.
        QTRY_COMPARE_WITH_TIMEOUT(dialog->tabs()->currentWidget()->objectName(),
                                  QStringLiteral("logTab"), kWaitMs);
        QVERIFY(!itemNamed(*m_service, "Lonely").isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(allLogText(*dialog).contains("[ERR] There is no ACME account for "
                                                              "Let's Encrypt yet"),
                                 kWaitMs);
        auto* status = child<QLabel>(dialog.get(), "requestStatus");
        QTRY_VERIFY_WITH_TIMEOUT(
            status->text().startsWith("The request failed: There is no ACME "
                                      "account for Let's Encrypt yet: register "
                                      "one in Settings"),
            kWaitMs);
        showTab(dialog->tabs(), "statusTab");
        QTRY_VERIFY_WITH_TIMEOUT(child<QTextBrowser>(dialog.get(), "statusDetails")
                                     ->toPlainText()
                                     .contains("Failed: There is no ACME account"),
                                 kWaitMs);
        const QString details = child<QTextBrowser>(dialog.get(), "statusDetails")->toPlainText();
        QVERIFY2(details.contains("Last error"), qPrintable(details));
        QVERIFY(details.contains("What to do:"));
        QVERIFY(child<QLabel>(dialog.get(), "healthLabel")->text().contains("failed"));
        // The dialog's base follows the item: saving again is not refused as a conflict.
        typeInto(child<QLineEdit>(dialog.get(), "nameEdit"), "Lonely (renamed)");
        click(child<QPushButton>(dialog.get(), "saveButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), kWaitMs);
        QVERIFY(!itemNamed(*m_service, "Lonely (renamed)").isEmpty());
    }

    void theLogTabShowsNewLinesAsTheyAreWrittenWithoutPolling() {
        const QString id = createRaw(*m_service, "Followed", {"followed.example.com"});
        auto dialog = openEditorOn(id);
        auto* feed = dialog->findChild<ItemLogFeed*>();
        QVERIFY(feed);
        feed->setFallbackInterval(std::chrono::hours(1)); // a poll would come far too late
        showTab(dialog->tabs(), "logTab");
        QTRY_VERIFY_WITH_TIMEOUT(feed->isLive(), kWaitMs);
        QTest::qWait(500); // the history read once the stream is open
        const int reads = feed->historyReads();

        // Someone else (the CLI, the scheduler) starts a request while the tab shows the log.
        const auto started =
            rawHttpFor(*m_service)
                .post("/api/managedcertificates/" + id.toStdString() + "/request", QJsonObject{});
        QCOMPARE(started.status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(
            allLogText(*dialog).contains("[ERR] There is no ACME account for Let's Encrypt"), 5000);
        QCOMPARE(feed->historyReads(), reads); // it came as events, not by reading the log again
        // Every line once, as the service has them.
        const auto served = waitFor<QList<LogEntry>>([&](QObject* ctx, auto ok, auto fail) {
            m_client->itemLog(id, ItemLogFeed::kTailLines, ctx, ok, fail);
        });
        QVERIFY(served);
        QVERIFY(!served->isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(dialog->findChild<LogTab*>()->model()->entries(), *served,
                                  kWaitMs);
        QVERIFY(!child<QLabel>(dialog.get(), "logStatus")->text().contains("Not live"));
    }

    void keyboardAndScreenReaderUsersReachEveryControl() {
        const QString id = createRaw(*m_service, "Keyboard", {"keys.example.com"});
        auto dialog = openEditorOn(id);
        // Each page of an authorization rule, with the rest of its tab.
        showTab(dialog->tabs(), "authorizationTab");
        click(child<QPushButton>(dialog.get(), "addRuleButton"));
        auto* type = child<QComboBox>(dialog.get(), "challengeTypeCombo");
        click(child<QRadioButton>(dialog.get(), "webrootRadio"));
        VERIFY_KEYBOARD_AND_NAMES(dialog.get());
        for (const char* challenge : {"dns-01", "tls-alpn-01"}) {
            QVERIFY(choose(type, challenge));
            VERIFY_KEYBOARD_AND_NAMES(dialog.get());
        }
        QVERIFY(choose(type, "dns-01"));
        QVERIFY(choose(child<QComboBox>(dialog.get(), "dnsProviderCombo"), "script"));
        VERIFY_KEYBOARD_AND_NAMES(dialog.get());
        for (int i = 0; i < dialog->tabs()->count(); ++i) {
            dialog->tabs()->setCurrentIndex(i);
            const QString tab = dialog->tabs()->widget(i)->objectName();
            QVERIFY2(mnemonicClashes(dialog.get()).isEmpty(),
                     qPrintable(tab + ": " + mnemonicClashes(dialog.get()).join("; ")));
            QVERIFY2(unnamedControls(dialog.get()).isEmpty(),
                     qPrintable(tab + ": " + unnamedControls(dialog.get()).join(", ")));
        }
        // Tab walks the Certificate tab top to bottom, then the dialog's buttons.
        showTab(dialog->tabs(), "certificateTab");
        QApplication::setActiveWindow(dialog.get());
        QVERIFY(QTest::qWaitForWindowActive(dialog.get()));
        child<QLineEdit>(dialog.get(), "nameEdit")->setFocus();
        QStringList visited;
        do { // once around: back to the name
            visited.append(QApplication::focusWidget()->objectName());
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        } while (visited.size() < 80 && QApplication::focusWidget()->objectName() != "nameEdit");
        QVERIFY(visited.contains("requestButton"));
        QVERIFY(visited.contains("closeButton"));
        const QStringList expected{
            "nameEdit",     "domainInput",      "domainsList",    "caCombo",      "fallbackCasEdit",
            "keyTypeCombo", "pfxPasswordCombo", "autoRenewCheck", "commentsEdit", "saveButton"};
        int previous = -1;
        for (const QString& name : expected) {
            const int at = int(visited.indexOf(name));
            QVERIFY2(at > previous, qPrintable(name + " out of order in: " + visited.join(", ")));
            previous = at;
        }

        auto settings = openSettings(SettingsDialog::Page::Accounts);
        for (int i = 0; i < 4; ++i) {
            settings->showPage(static_cast<SettingsDialog::Page>(i));
            QVERIFY2(mnemonicClashes(settings.get()).isEmpty(),
                     qPrintable(mnemonicClashes(settings.get()).join("; ")));
            QVERIFY2(unnamedControls(settings.get()).isEmpty(),
                     qPrintable(unnamedControls(settings.get()).join(", ")));
        }
    }

    void previewShowsTheTasksAndFollowsChanges() {
        const QString id = createRaw(*m_service, "Previewed", {"preview.example.com"});
        auto dialog = openEditorOn(id);
        auto* task = addPostRequestTask(dialog.get());
        QVERIFY(task);
        VERIFY_KEYBOARD_AND_NAMES(task);
        typeInto(child<QLineEdit>(task, "taskNameEdit"), "Copy for nginx");
        for (QLineEdit* edit : task->findChildren<QLineEdit*>())
            if (edit->objectName().isEmpty() && edit->text().isEmpty()) // a parameter's path/text
                edit->setText(QDir::tempPath() + "/certkeeper-preview");
        click(child<QPushButton>(task, "taskOkButton"));
        showTab(dialog->tabs(), "previewTab");
        auto* text = child<QTextBrowser>(dialog.get(), "previewText");
        QTRY_VERIFY_WITH_TIMEOUT(text->toPlainText().contains("Copy for nginx"), kWaitMs);
        QVERIFY(text->toPlainText().contains("preview.example.com"));
        // A change on another tab is in the preview when it is shown again.
        showTab(dialog->tabs(), "certificateTab");
        typeInto(child<QLineEdit>(dialog.get(), "domainInput"), "extra.preview.example.com");
        click(child<QPushButton>(dialog.get(), "addDomainButton"));
        showTab(dialog->tabs(), "previewTab");
        QTRY_VERIFY_WITH_TIMEOUT(text->toPlainText().contains("extra.preview.example.com"),
                                 kWaitMs);
        QVERIFY(!child<QLabel>(dialog.get(), "previewStatus")->text().contains('{'));
    }

    void aTaskRunsNowAndTheListSaysHow() {
        const QString id = createRaw(*m_service, "Deployed", {"deploy.example.com"});
        auto dialog = openEditorOn(id);
        auto* task = addPostRequestTask(dialog.get());
        QVERIFY(task);
        typeInto(child<QLineEdit>(task, "taskNameEdit"), "Pause");
        QVERIFY(choose(child<QComboBox>(task, "taskTypeCombo"), "wait"));
        auto* seconds = child<QSpinBox>(task, "parameter_seconds"); // from the type's description
        QVERIFY(seconds);
        QCOMPARE(seconds->value(), 10); // its default
        seconds->setValue(1);
        click(child<QPushButton>(task, "taskOkButton"));
        auto* list = child<QListView>(dialog.get(), "postRequestTasksList");
        QTRY_COMPARE(list->model()->rowCount(), 1);
        list->setCurrentIndex(list->model()->index(0, 0));
        auto* result = child<QLabel>(dialog.get(), "taskRunResult");
        click(child<QPushButton>(dialog.get(), "postRequestTasksRunButton"));
        QVERIFY(result->text().startsWith("Save first"));
        click(child<QPushButton>(dialog.get(), "saveButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), kWaitMs);
        const QJsonArray stored = itemNamed(*m_service, "Deployed")["postRequestTasks"].toArray();
        QCOMPARE(stored.size(), 1);
        QVERIFY(!stored[0]["id"].toString().isEmpty());
        QCOMPARE(stored[0]["type"].toString(), QStringLiteral("wait"));
        QCOMPARE(stored[0]["parameters"]["seconds"].toInt(), 1);

        auto again = openEditorOn(id);
        showTab(again->tabs(), "deploymentTab");
        auto* tasks = child<QListView>(again.get(), "postRequestTasksList");
        QTRY_COMPARE(tasks->model()->rowCount(), 1);
        tasks->setCurrentIndex(tasks->model()->index(0, 0));
        click(child<QPushButton>(again.get(), "postRequestTasksRunButton"));
        auto* ran = child<QLabel>(again.get(), "taskRunResult");
        QTRY_VERIFY_WITH_TIMEOUT(ran->text().startsWith("“Pause”: success in"), kWaitMs);
        QVERIFY(tasks->model()->index(0, 0).data().toString().contains("Last run succeeded"));
    }

    void testReportsAFailingCheckClearly() {
        const QString id = createRaw(*m_service, "Tested", {"tested.example.com"});
        auto dialog = openEditorOn(id);
        showTab(dialog->tabs(), "authorizationTab");
        click(child<QPushButton>(dialog.get(), "addRuleButton"));
        click(child<QRadioButton>(dialog.get(), "webrootRadio"));
        typeInto(child<QLineEdit>(dialog.get(), "webrootEdit"), "/nonexistent/certkeeper/webroot");
        click(child<QPushButton>(dialog.get(), "testButton"));
        auto* summary = child<QLabel>(dialog.get(), "testSummary");
        QTRY_VERIFY_WITH_TIMEOUT(summary->text().contains("failed"), kWaitMs);
        auto* results = child<QTreeWidget>(dialog.get(), "testResults");
        bool failedRow = false;
        for (int i = 0; i < results->topLevelItemCount(); ++i) {
            const QTreeWidgetItem* row = results->topLevelItem(i);
            if (row->text(0) == QLatin1String("Failed")) {
                failedRow = true;
                QVERIFY(!row->text(2).isEmpty());
                QVERIFY(!row->text(2).contains('{'));
            }
        }
        QVERIFY(failedRow);
    }
};

QTEST_MAIN(CertificateEditorTest)
#include "test_certificate_editor.moc"
