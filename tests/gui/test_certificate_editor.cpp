// The certificate editor and the settings against the real service (no CA needed): every field
// of the Certificate tab reaches the service; the service's errors appear at their fields with
// nothing typed lost; authorization rules are stored and shown again; a failing request is
// followed live in the Log tab (through the service's events, not by polling) and explained on
// the Status tab; credentials, accounts and connections are managed from the settings; Preview
// shows the tasks, Test names a failing check, a task runs now, the service's preferences are
// saved.

#include "CertificateEditorDialog.h"
#include "CredentialDialog.h"
#include "CustomCaDialog.h"
#include "DevLicense.h"
#include "DomainListModel.h"
#include "EditorTestSupport.h"
#include "FormSupport.h"
#include "ItemLogFeed.h"
#include "ItemLogModel.h"
#include "LogTab.h"
#include "RegisterAccountDialog.h"
#include "ServerDialog.h"
#include "ServiceCatalog.h"
#include "SettingsDialog.h"
#include "TaskEditorDialog.h"
#include "TestSupport.h"
#include "client/ApiClient.h"
#include "client/BlockingCall.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QGroupBox>
#include <QKeySequence>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabBar>
#include <QTextBrowser>
#include <QTreeView>
#include <QTreeWidget>

using namespace ck;
using namespace ck::gui;
using namespace ck::test;

namespace {
const QJsonObject itemNamed(const ServiceProcess& service, const QString& name) {
    const auto list = rawHttpFor(service).get("/api/managedcertificates?limit=100").json();
    for (const auto& v : list.value("items").toArray())
        if (v.toObject().value("name").toString() == name)
            return v.toObject();
    return {};
}

QString createCredential(const ServiceProcess& service, const QString& type, const QString& title,
                         const QJsonObject& values) {
    const auto r = rawHttpFor(service).post(
        "/api/credentials", QJsonObject{{"type", type}, {"title", title}, {"values", values}});
    if (r.status != 201)
        qWarning("credential: %d %s", r.status, r.body.c_str());
    return r.json().value("id").toString();
}

QStringList treeColumn(const QTreeWidget* tree, int column) {
    QStringList texts;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        texts.append(tree->topLevelItem(i)->text(column));
    return texts;
}

bool selectRow(QTreeWidget* tree, int column, const QString& text) {
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(column) == text) {
            tree->setCurrentItem(tree->topLevelItem(i));
            return true;
        }
    return false;
}

QString allLogText(const CertificateEditorDialog& dialog) {
    QStringList lines;
    for (const LogEntry& e : dialog.findChild<LogTab*>()->model()->entries())
        lines.append(ItemLogModel::lineOf(e));
    return lines.join(u'\n');
}

// The Alt+letter shortcuts of the controls a user sees now (captions with a buddy, buttons,
// the tab bar): a letter used twice does nothing useful.
QStringList mnemonicClashes(const QWidget* window) {
    QMap<QString, QStringList> owners;
    const auto add = [&](const QString& text, const QString& owner) {
        const QKeySequence key = QKeySequence::mnemonic(text);
        if (!key.isEmpty())
            owners[key.toString()].append(owner);
    };
    for (const QLabel* label : window->findChildren<QLabel*>())
        if (label->buddy() && label->isVisibleTo(window))
            add(label->text(), label->text());
    for (const QAbstractButton* button : window->findChildren<QAbstractButton*>())
        if (button->isVisibleTo(window))
            add(button->text(), button->text());
    for (const QTabBar* bar : window->findChildren<QTabBar*>())
        if (bar->isVisibleTo(window))
            for (int i = 0; i < bar->count(); ++i)
                add(bar->tabText(i), bar->tabText(i));
    QStringList clashes;
    for (auto it = owners.begin(); it != owners.end(); ++it)
        if (it->size() > 1)
            clashes.append(it.key() + ": " + it->join(" | "));
    return clashes;
}

// Every control a user can reach with Tab says what it is: its own text, an accessible name,
// or a caption that names it as its buddy.
QStringList unnamedControls(const QWidget* window) {
    QSet<const QWidget*> captioned;
    for (const QLabel* label : window->findChildren<QLabel*>())
        if (label->buddy())
            captioned.insert(label->buddy());
    QStringList unnamed;
    for (const QWidget* w : window->findChildren<QWidget*>()) {
        if (!(w->focusPolicy() & Qt::TabFocus) || !w->isVisibleTo(window) || w->focusProxy())
            continue;
        if (qobject_cast<const QAbstractScrollArea*>(w->parentWidget()))
            continue; // a viewport
        const auto* button = qobject_cast<const QAbstractButton*>(w);
        if ((button && !button->text().isEmpty()) || !w->accessibleName().isEmpty() ||
            captioned.contains(w) || qobject_cast<const QTabBar*>(w))
            continue;
        unnamed.append(QStringLiteral("%1 %2").arg(w->metaObject()->className(), w->objectName()));
    }
    return unnamed;
}

#define VERIFY_KEYBOARD_AND_NAMES(window)                                                          \
    do {                                                                                           \
        QVERIFY2(mnemonicClashes(window).isEmpty(),                                                \
                 qPrintable(mnemonicClashes(window).join("; ")));                                  \
        QVERIFY2(unnamedControls(window).isEmpty(),                                                \
                 qPrintable(unnamedControls(window).join(", ")));                                  \
    } while (false)

// A widget's rectangle in its window's coordinates, to compare positions across layouts.
QRect inWindow(const QWidget* w) {
    return QRect(w->mapTo(w->window(), QPoint(0, 0)), w->size());
}
} // namespace

class CertificateEditorTest : public QObject {
    Q_OBJECT
    std::unique_ptr<ServiceProcess> m_service;
    std::unique_ptr<ApiClient> m_client;

    std::unique_ptr<CertificateEditorDialog> openEditor(const ManagedCertificate& item = {}) {
        auto dialog = std::make_unique<CertificateEditorDialog>(m_client.get(), item);
        dialog->show();
        // The choices are read from the service: wait for the CA list.
        (void)QTest::qWaitFor(
            [&] { return child<QComboBox>(dialog.get(), "caCombo")->count() >= 5; }, kWaitMs);
        return dialog;
    }

    std::unique_ptr<CertificateEditorDialog> openEditorOn(const QString& id) {
        QList<FieldError> errors;
        const auto item = managedCertificateFromJson(
            rawHttpFor(*m_service).get("/api/managedcertificates/" + id.toStdString()).json(),
            &errors);
        return openEditor(item);
    }

    // Clicks Add under the post-request tasks of the editor's Deployment tab (once the task types
    // are loaded) and returns the task dialog it opens, or null.
    static TaskEditorDialog* addPostRequestTask(CertificateEditorDialog* dialog) {
        showTab(dialog->tabs(), "deploymentTab");
        auto* add = child<QPushButton>(dialog, "postRequestTasksAddButton");
        if (!QTest::qWaitFor([&] { return add->isEnabled(); }, kWaitMs))
            return nullptr;
        click(add);
        return waitForDialog<TaskEditorDialog>(dialog);
    }

    std::unique_ptr<SettingsDialog> openSettings(SettingsDialog::Page page) {
        auto settings = std::make_unique<SettingsDialog>(m_client.get(), m_service->dataDir());
        settings->showPage(page);
        settings->show();
        (void)QTest::qWaitFor([&] { return settings->catalog()->isLoaded(); }, kWaitMs);
        return settings;
    }

private Q_SLOTS:
    void initTestCase() {
        m_service = std::make_unique<ServiceProcess>();
        // The editor requests by hand; the scheduler must not start the new items first (saving
        // the preferences wakes it).
        QVERIFY(m_service->pauseAutomaticRenewal());
        QVERIFY2(m_service->start(), qPrintable(m_service->output()));
        QVERIFY(activateDevLicense(*m_service)); // the tests add more than the Community's 5
        m_client = std::make_unique<ApiClient>(entryFor(*m_service), m_service->dataDir());
    }

    void cleanupTestCase() {
        m_client.reset();
        m_service.reset();
    }

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
                 QStringLiteral("*.wild.example.com: dns-01 by RFC 2136 (ns1 update key)"));
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
        const QStringList expected{"nameEdit",       "domainInput",  "domainsList",
                                   "caCombo",        "keyTypeCombo", "pfxPasswordCombo",
                                   "autoRenewCheck", "commentsEdit", "saveButton"};
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

QTEST_MAIN(CertificateEditorTest)
#include "test_certificate_editor.moc"
