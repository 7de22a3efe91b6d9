// The main window's tabs and what a new user meets: the About tab (versions of the app and of
// the service, the licences, the documentation) reached from the Help menu; the first-run guide
// in place of an empty list, with its two next steps; the notice of certificates without an
// account; and a long status message that stays clear of the certificate count.
// The account side of the guide (registered with a real CA) is in test_editor_pebble.cpp.

#include "MainWindowTestSupport.h"
#include "gui/FirstRunGuide.h"
#include "gui/StatusMessage.h"
#include "gui/settings/RegisterAccountDialog.h"

#include <QMenuBar>
#include <QStatusBar>
#include <QTextBrowser>

using namespace ck;
using namespace ck::test;

namespace {
QTabWidget* tabsOf(const MainWindow& window) {
    return window.findChild<QTabWidget*>(QStringLiteral("mainTabs"));
}

QString currentTab(const MainWindow& window) {
    return tabsOf(window)->currentWidget()->objectName();
}

bool guideShown(const MainWindow& window) {
    auto* guide = window.findChild<gui::FirstRunGuide*>();
    return guide && guide->isVisible() && !tableOf(window)->isVisible();
}
} // namespace

class MainWindowTabsTest : public MainWindowFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { startService(); }
    void cleanupTestCase() { stopServices(); }
    void init() { QSettings().clear(); }

    void aboutIsATabWithVersionsLicencesAndDocumentation() {
        auto window = openWindow();
        QTRY_VERIFY_WITH_TIMEOUT(tableOf(*window)->model()->rowCount() == 2, kWaitMs);
        QCOMPARE(tabsOf(*window)->count(), 2);
        QCOMPARE(tabsOf(*window)->tabText(0), QStringLiteral("Certificates"));
        QCOMPARE(tabsOf(*window)->tabText(1), QStringLiteral("About"));
        QCOMPARE(currentTab(*window), QStringLiteral("pages"));

        // Help > About Certkeeper brings the tab forward; no separate window opens.
        QAction* about = window->findChild<QAction*>(QStringLiteral("actionAbout"));
        QVERIFY(about);
        about->trigger();
        QCOMPARE(currentTab(*window), QStringLiteral("aboutPage"));
        const auto widgets = QApplication::topLevelWidgets();
        QVERIFY(std::none_of(widgets.cbegin(), widgets.cend(), [](QWidget* w) {
            return w->isVisible() && qobject_cast<QDialog*>(w);
        }));

        auto* page = tabsOf(*window)->currentWidget();
        const auto text = [&](const char* name) { return childOf<QLabel>(page, name)->text(); };
        QTRY_VERIFY_WITH_TIMEOUT(text("serviceVersionLabel").contains("OpenSSL"), kWaitMs);
        const QString service = text("serviceVersionLabel");
        QVERIFY2(service.startsWith(QStringLiteral(CERTKEEPER_VERSION " at http://127.0.0.1:")),
                 qPrintable(service));
        QVERIFY2(service.contains("Qt 6.") && service.contains("libcurl") &&
                     service.contains("Boost 1."),
                 qPrintable(service));
        QVERIFY2(text("appVersionLabel").startsWith("Qt " + QString::fromLatin1(qVersion())),
                 qPrintable(text("appVersionLabel")));
        QTRY_VERIFY_WITH_TIMEOUT(!text("editionLabel").isEmpty(), kWaitMs);
        QCOMPARE(text("editionLabel"), QStringLiteral("Professional edition"));
        QVERIFY(!text("installIdLabel").isEmpty());
        QVERIFY(text("usageLabel").startsWith("2 managed"));
        QVERIFY(text("documentationLabel").contains("man certkeeper-cli"));

        const QString notices = childOf<QTextBrowser>(page, "noticesBrowser")->toPlainText();
        QVERIFY2(notices.contains("MIT License") &&
                     notices.contains("Permission is hereby granted, free of charge"),
                 qPrintable(notices.left(300)));
        for (const char* library :
             {"Qt 6", "OpenSSL 3", "Boost.Asio", "libcurl", "ldns", "libsystemd", "SQLite"})
            QVERIFY2(notices.contains(QLatin1String(library)), library);
        QVERIFY(notices.contains("GNU Lesser General Public License version 3"));
        QVERIFY(notices.contains("/usr/share/doc/libssl3/copyright"));
        QVERIFY(childOf<QPushButton>(page, "aboutQtButton"));
    }

    void aLongStatusMessageStaysClearOfTheCount() {
        auto window = openWindow();
        window->resize(1280, 800);
        auto* counts = childOf<QLabel>(window.get(), "countsLabel");
        QTRY_VERIFY_WITH_TIMEOUT(counts->text().startsWith("2 certificates"), kWaitMs);
        auto* message = window->findChild<gui::StatusMessage*>();
        QVERIFY(message);
        const QString words =
            QStringLiteral("The service could not count the certificates: ") +
            QStringLiteral("a very long explanation of what went wrong ").repeated(10);
        message->showMessage(words, 0);
        QApplication::processEvents();
        QTRY_VERIFY(message->isVisible());
        const int messageRight = message->mapTo(window.get(), message->rect().topRight()).x();
        const int countsLeft = counts->mapTo(window.get(), QPoint(0, 0)).x();
        QVERIFY2(messageRight < countsLeft,
                 qPrintable(QStringLiteral("%1 >= %2").arg(messageRight).arg(countsLeft)));
        QVERIFY2(message->text().endsWith(QChar(0x2026)), qPrintable(message->text()));
        QCOMPARE(message->toolTip(), words);                  // whole, for whoever needs all of it
        QVERIFY(counts->text().startsWith("2 certificates")); // shown in full beside it
        QVERIFY(counts->width() >= counts->sizeHint().width());
    }

    void anEmptyServiceShowsTheGuideAndItsTwoSteps() {
        ServiceProcess empty;
        QVERIFY(empty.pauseAutomaticRenewal());
        QVERIFY2(empty.start(), qPrintable(empty.output()));
        MainWindow window(empty.dataDir());
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(guideShown(window), kWaitMs);
        QVERIFY(!childOf<QWidget>(&window, "searchEdit")->isVisible());
        auto* state = childOf<QLabel>(&window, "accountStateLabel");
        QTRY_COMPARE_WITH_TIMEOUT(state->text(), QStringLiteral("No account yet."), kWaitMs);
        QVERIFY(!childOf<QFrame>(&window, "accountNotice")->isVisible()); // the guide says it

        // Step 1, one click: the registration form.
        QTest::mouseClick(childOf<QPushButton>(&window, "registerAccountButton"), Qt::LeftButton);
        gui::RegisterAccountDialog* form = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (form = window.findChild<gui::RegisterAccountDialog*>()) && form->isVisible(), kWaitMs);
        form->reject();
        // Step 2, one click: the editor of a new certificate.
        QTest::mouseClick(childOf<QPushButton>(&window, "addCertificateButton"), Qt::LeftButton);
        CertificateEditorDialog* editor = waitForEditor(window);
        QVERIFY(editor);
        QVERIFY(editor->item().id.isEmpty());
        editor->reject();

        // The first certificate, from anywhere, and the list takes the guide's place; with no
        // account, a notice says what that means and offers the registration.
        const QString id = createRaw(empty, QStringLiteral("First"), {"first.example.com"});
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(tableOf(window)->isVisible(), kWaitMs);
        QVERIFY(!window.findChild<gui::FirstRunGuide*>()->isVisible());
        QVERIFY(childOf<QWidget>(&window, "searchEdit")->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(childOf<QFrame>(&window, "accountNotice")->isVisible(), kWaitMs);
        QVERIFY(childOf<QLabel>(&window, "accountNoticeLabel")
                    ->text()
                    .contains("can be neither requested nor renewed"));
        QTest::mouseClick(childOf<QPushButton>(&window, "accountNoticeRegisterButton"),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            (form = window.findChild<gui::RegisterAccountDialog*>()) && form->isVisible(), kWaitMs);
        form->reject();

        // The last one deleted: the guide again.
        QCOMPARE(rawHttpFor(empty).del("/api/managedcertificates/" + id.toStdString()).status, 204);
        QTRY_VERIFY_WITH_TIMEOUT(guideShown(window), kWaitMs);
        QVERIFY(!childOf<QFrame>(&window, "accountNotice")->isVisible());
    }

    void aServiceOutOfReachShowsItsProblemNotTheGuide() {
        ServiceProcess gone;
        QVERIFY2(gone.start(), qPrintable(gone.output()));
        QVERIFY(gone.stop());
        MainWindow window(gone.dataDir());
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), QStringLiteral("connectionProblemPage"),
                                  kWaitMs);
        QVERIFY(!window.findChild<gui::FirstRunGuide*>()->isVisible());
        // The About tab says why it cannot show the service's side.
        window.showAbout();
        QTRY_VERIFY_WITH_TIMEOUT(
            childOf<QLabel>(&window, "serviceVersionLabel")->text().startsWith("Not connected"),
            kWaitMs);
    }
};

QTEST_MAIN(MainWindowTabsTest)
#include "test_main_window_tabs.moc"
