// The About tab and the edition's prompts against the real service, offscreen: the Community
// edition and its count, a refused key explained in the dialog (which stays open), a valid key
// that lifts the limit, deactivation only after confirmation, the reminder from 3 certificates
// on, and the offer of a key when the limit stops a new certificate: from the main window's
// editor, which keeps what was typed and saves once the key is taken.

#include "DevLicense.h"
#include "EditorTestSupport.h"
#include "ServiceAccess.h"
#include "client/ApiClient.h"
#include "client/BlockingCall.h"
#include "gui/AboutPage.h"
#include "gui/CertificateEditorDialog.h"
#include "gui/EditionPrompts.h"
#include "gui/MainWindow.h"

#include <QAction>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTreeView>

using namespace ck;
using namespace ck::test;
using ck::gui::AboutPage;
using ck::gui::EditionReminder;
using ck::gui::EnterKeyDialog;

namespace {

QString textOf(QWidget* parent, const char* name) {
    auto* label = parent->findChild<QLabel*>(QLatin1String(name));
    return label ? label->text() : QStringLiteral("(no %1)").arg(QLatin1String(name));
}

void typeKeyAndActivate(EnterKeyDialog* dialog, const QString& key) {
    dialog->findChild<QPlainTextEdit*>(QStringLiteral("licenseKeyEdit"))->setPlainText(key);
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("activateButton")),
                      Qt::LeftButton);
}
} // namespace

class AboutPageTest : public QObject {
    Q_OBJECT
    std::unique_ptr<ServiceProcess> m_service;
    std::unique_ptr<ApiClient> m_client;
    QTemporaryDir m_settings;

private Q_SLOTS:
    void initTestCase() {
        // The main window's remembered state goes to a directory of this test, not the user's.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    }

    void init() {
        QVERIFY((m_service = startedService()));
        m_client = std::make_unique<ApiClient>(entryFor(*m_service), m_service->dataDir());
    }

    void cleanup() {
        m_client.reset();
        m_service.reset();
    }

    void showsCommunityActivatesAndDeactivates() {
        for (int i = 0; i < 2; ++i)
            QVERIFY(!createRaw(*m_service, QStringLiteral("Site %1").arg(i),
                               {QStringLiteral("s%1.example.com").arg(i)})
                         .isEmpty());
        AboutPage page(m_client.get());
        QStringList questions;
        bool answer = false;
        page.setConfirmation([&](QWidget*, const QString& question) {
            questions << question;
            return answer;
        });
        page.show();
        QTRY_COMPARE_WITH_TIMEOUT(textOf(&page, "editionLabel"),
                                  QStringLiteral("Community edition"), kWaitMs);
        QCOMPARE(textOf(&page, "usageLabel"), QStringLiteral("2 of 5 managed"));
        QCOMPARE(textOf(&page, "licenseeLabel"), QStringLiteral("not licensed"));
        QVERIFY(!textOf(&page, "installIdLabel").isEmpty());
        auto* deactivate = page.findChild<QPushButton*>(QStringLiteral("deactivateButton"));
        QVERIFY(!deactivate->isEnabled());

        // A key signed by someone else: the dialog explains and stays open.
        EnterKeyDialog* dialog = page.enterKey();
        QVERIFY(dialog->isVisible());
        const QString good = devLicenseKey();
        typeKeyAndActivate(dialog, good.left(good.lastIndexOf('.')) +
                                       devLicenseKey(3).mid(devLicenseKey(3).lastIndexOf('.')));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->problem().contains("signature does not match"), kWaitMs);
        QVERIFY(dialog->isVisible());
        QCOMPARE(textOf(&page, "editionLabel"), QStringLiteral("Community edition"));
        // A genuine key that has expired: refused, with the date, and the dialog stays open.
        const QDateTime lastWeek = QDateTime::currentDateTimeUtc().addDays(-7);
        typeKeyAndActivate(dialog, devLicenseKey(0, lastWeek));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->problem().contains("expired on"), kWaitMs);
        QVERIFY2(dialog->problem().contains(lastWeek.toString("yyyy-MM-dd")),
                 qPrintable(dialog->problem()));
        QVERIFY(dialog->isVisible());
        QCOMPARE(textOf(&page, "editionLabel"), QStringLiteral("Community edition"));

        // The right key: accepted, the page shows the license.
        QPointer<EnterKeyDialog> guard(dialog);
        typeKeyAndActivate(dialog, good);
        QTRY_COMPARE_WITH_TIMEOUT(textOf(&page, "editionLabel"),
                                  QStringLiteral("Professional edition"), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull() || !guard->isVisible(), kWaitMs);
        QCOMPARE(textOf(&page, "licenseeLabel"), QStringLiteral("tests@example.com"));
        QCOMPARE(textOf(&page, "expiresLabel"), QStringLiteral("never"));
        QCOMPARE(textOf(&page, "usageLabel"), QStringLiteral("2 managed, no limit"));
        QVERIFY(deactivate->isEnabled());

        // Deactivation asks first; "no" changes nothing.
        QTest::mouseClick(deactivate, Qt::LeftButton);
        QCOMPARE(questions.size(), 1);
        QVERIFY(questions.first().contains("tests@example.com"));
        QVERIFY(questions.first().contains("all 2 certificates are kept"));
        QTest::qWait(300);
        QCOMPARE(textOf(&page, "editionLabel"), QStringLiteral("Professional edition"));
        answer = true;
        QTest::mouseClick(deactivate, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(textOf(&page, "editionLabel"),
                                  QStringLiteral("Community edition"), kWaitMs);
        QCOMPARE(textOf(&page, "usageLabel"), QStringLiteral("2 of 5 managed"));
        QVERIFY(!deactivate->isEnabled());
    }

    void remindsFromThreeAndOffersAKeyAtTheLimit() {
        EditionReminder reminder(m_client.get());
        reminder.refresh();
        QTest::qWait(500);
        QVERIFY(reminder.isHidden()); // no items, nothing to remind of
        for (int i = 0; i < 3; ++i)
            QVERIFY(!createRaw(*m_service, QStringLiteral("Site %1").arg(i),
                               {QStringLiteral("s%1.example.com").arg(i)})
                         .isEmpty());
        reminder.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!reminder.isHidden(), kWaitMs);
        QVERIFY(textOf(&reminder, "editionReminderText").contains("3 are in use"));

        for (int i = 3; i < 5; ++i)
            QVERIFY(!createRaw(*m_service, QStringLiteral("Site %1").arg(i),
                               {QStringLiteral("s%1.example.com").arg(i)})
                         .isEmpty());
        // The sixth is refused: the window offers a key with the service's explanation.
        auto refused = waitFor<ManagedCertificate>([&](QObject* ctx, auto ok, auto failed) {
            ManagedCertificate item;
            item.name = QStringLiteral("Sixth");
            item.requestConfig.subjectAlternativeNames = {QStringLiteral("six.example.com")};
            m_client->createItem(item, ctx, ok, failed);
        });
        QVERIFY(!refused);
        QCOMPARE(refused.error.kind, ApiError::Kind::LimitReached);
        QWidget window;
        QMessageBox* box = gui::offerLicenseKey(&window, m_client.get(), refused.error);
        QVERIFY(box->isVisible());
        QVERIFY(box->text().contains("at most 5"));
        QTest::mouseClick(box->findChild<QPushButton*>(QStringLiteral("limitEnterKeyButton")),
                          Qt::LeftButton);
        EnterKeyDialog* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = window.findChild<EnterKeyDialog*>()) != nullptr,
                                 kWaitMs);
        typeKeyAndActivate(dialog, devLicenseKey());
        QTRY_VERIFY_WITH_TIMEOUT(window.findChild<EnterKeyDialog*>() == nullptr ||
                                     !window.findChild<EnterKeyDialog*>()->isVisible(),
                                 kWaitMs);
        QVERIFY(!createRaw(*m_service, QStringLiteral("Sixth"), {"six.example.com"}).isEmpty());
        reminder.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(reminder.isHidden(), kWaitMs); // licensed: no reminder
    }

    void theEditorOffersAKeyAtTheLimitAndKeepsWhatWasTyped() {
        for (int i = 0; i < 5; ++i)
            QVERIFY(!createRaw(*m_service, QStringLiteral("Site %1").arg(i),
                               {QStringLiteral("s%1.example.com").arg(i)})
                         .isEmpty());
        gui::MainWindow window(m_service->dataDir());
        window.show();
        auto* reminder = child<EditionReminder>(&window, "editionReminder");
        QTRY_VERIFY_WITH_TIMEOUT(reminder->isVisible(), kWaitMs); // 5 of 5 in use
        window.findChild<QAction*>(QStringLiteral("actionNew"))->trigger();
        auto* editor = waitForDialog<gui::CertificateEditorDialog>(&window);
        QVERIFY(editor);
        typeInto(child<QLineEdit>(editor, "nameEdit"), QStringLiteral("Sixth"));
        typeInto(child<QLineEdit>(editor, "domainInput"),
                 QStringLiteral("six.example.com www.six.example.com"));
        click(child<QPushButton>(editor, "addDomainButton"));
        click(child<QPushButton>(editor, "saveButton"));

        // Refused: the service's explanation, with a way to lift the limit.
        auto* box = waitForDialog<QMessageBox>(editor);
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("limitReachedBox"));
        QVERIFY2(box->text().contains("The Community edition manages at most 5 certificates"),
                 qPrintable(box->text()));
        QVERIFY(child<QLabel>(editor, "formError")->text().contains("at most 5"));
        click(child<QPushButton>(box, "limitEnterKeyButton"));
        auto* enterKey = waitForDialog<EnterKeyDialog>(editor);
        QVERIFY(enterKey);
        QPointer<EnterKeyDialog> guard(enterKey);
        typeKeyAndActivate(enterKey, devLicenseKey());
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull() || !guard->isVisible(), kWaitMs);
        // The window's reminder follows the license; the editor says Save works now.
        QTRY_VERIFY_WITH_TIMEOUT(!reminder->isVisible(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(editor, "formError")->text().contains("active"),
                                 kWaitMs);
        // Nothing typed was lost.
        QVERIFY(editor->isVisible());
        QCOMPARE(child<QLineEdit>(editor, "nameEdit")->text(), QStringLiteral("Sixth"));
        auto* domains = child<QTreeView>(editor, "domainsList")->model();
        QCOMPARE(domains->rowCount(), 2);
        QCOMPARE(domains->index(1, 0).data().toString(), QStringLiteral("www.six.example.com"));

        QPointer<gui::CertificateEditorDialog> editorGuard(editor);
        click(child<QPushButton>(editor, "saveButton"));
        QTRY_VERIFY_WITH_TIMEOUT(editorGuard.isNull() || !editorGuard->isVisible(), kWaitMs);
        const auto list = rawHttpFor(*m_service).get("/api/managedcertificates?limit=100").json();
        QCOMPARE(list.value("items").toArray().size(), 6);
        bool found = false;
        for (const QJsonValue v : list.value("items").toArray())
            if (v["name"].toString() == QLatin1String("Sixth"))
                found = v["requestConfig"]["subjectAlternativeNames"].toArray() ==
                        QJsonArray({"six.example.com", "www.six.example.com"});
        QVERIFY(found);
    }
};

QTEST_MAIN(AboutPageTest)
#include "test_about_page.moc"
