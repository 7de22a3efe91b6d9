// Screenshots of the app's windows for people to look at (not a pass/fail judgement of looks):
// a real service is filled with realistic items (tests/support/SampleItems, written straight into
// its database before it starts) and each slot below opens a window and saves it as a PNG.
// tests/gui/screenshots.sh runs this under Xvfb and writes the files into
// build/<preset>/screenshots/ (ctest -R gui_screenshots).
//
// To add a window: add a slot that opens it on m_service's data directory, waits until it shows
// what it should, and calls saveShot(widget, "name"). Slots run in order; a slot name given on the
// command line runs only that one (QTest's usual way).
//
// Environment: CERTKEEPER_SCREENSHOT_DIR (where the PNGs go; default ./screenshots),
// CERTKEEPER_SCREENSHOT_SUFFIX (added to every file name, e.g. "@2x" for a run with
// QT_SCALE_FACTOR=2).

#include "DevLicense.h"
#include "SampleItems.h"
#include "ServiceAccess.h"
#include "client/ApiClient.h"
#include "client/BlockingCall.h"
#include "gui/CertificateEditorDialog.h"
#include "gui/CertificateListModel.h"
#include "gui/HealthStyle.h"
#include "gui/MainWindow.h"
#include "gui/ServiceCatalog.h"
#include "gui/StatusMessage.h"
#include "gui/SummaryStrip.h"
#include "gui/editor/ItemLogModel.h"
#include "gui/editor/LogTab.h"
#include "gui/settings/CredentialDialog.h"
#include "gui/settings/SettingsDialog.h"
#include "store/SqliteItemStore.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QToolButton>

using namespace ck;
using namespace ck::test;
using ck::gui::MainWindow;

namespace {
constexpr int kItems = 240;
constexpr int kLargeFleet = 10000;
constexpr int kWaitMs = 20000;

QJsonObject task(const char* type, const char* name, const QJsonObject& parameters) {
    return {{"type", type}, {"name", name}, {"parameters", parameters}};
}

// A new item as the API takes it: its names and the tasks run after each request.
QJsonObject itemWithTasks(const QString& name, const QStringList& domains,
                          const QJsonArray& tasks) {
    return {{"name", name},
            {"requestConfig",
             QJsonObject{{"subjectAlternativeNames", QJsonArray::fromStringList(domains)}}},
            {"postRequestTasks", tasks}};
}

// A web shop served by nginx, with the tasks that put its certificate in place after each
// renewal, as a user would set them up (writing into `folder`).
QJsonObject webShop(const QString& folder) {
    return itemWithTasks(
        QStringLiteral("Web shop (nginx)"), {"shop.example.com", "www.shop.example.com"},
        {task("export", "Full chain for nginx",
              {{"format", "pemfullnokey"}, {"path", folder + "/shop.example.com.pem"}}),
         task("export", "Private key for nginx",
              {{"format", "pemkey"}, {"path", folder + "/shop.example.com.key"}}),
         task("reload", "Reload nginx",
              {{"command", "systemctl reload nginx"}, {"checkHost", "127.0.0.1"}}),
         task("webhook", "Tell the team chat",
              {{"url", "https://chat.example.com/hooks/certificates"}})});
}

// An intranet portal whose tasks tell a proxy (a script) and copy the certificate.
QJsonObject intranetPortal(const QString& folder) {
    return itemWithTasks(QStringLiteral("Intranet portal"),
                         {"portal.example.com", "intranet.example.com"},
                         {task("script", "Tell the proxy",
                               {{"program", "/bin/echo"},
                                {"arguments", "Proxy: new certificate for $primaryDomain ready"}}),
                          task("wait", "Let the proxy settle", {{"seconds", 1}}),
                          task("export", "Copy for the portal",
                               {{"format", "pemfull"}, {"path", folder + "/portal.pem"}})});
}

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return p;
}
} // namespace

class Screenshots : public QObject {
    Q_OBJECT
    std::unique_ptr<ServiceProcess> m_service;
    QTemporaryDir m_settings;
    QTemporaryDir m_deployDir;
    QString m_outDir;
    QString m_suffix;
    QPalette m_lightPalette;
    std::unique_ptr<ApiClient> m_client;
    QString m_shopId;      // with deployment tasks, for the Preview tab
    QString m_lonelyId;    // requested without an ACME account, for the Log tab
    int m_listed = kItems; // what the list shows once loaded

    void saveShot(QWidget* widget, const QString& name) {
        QTest::qWait(300); // the last repaints
        const QString path = QDir(m_outDir).filePath(name + m_suffix + QStringLiteral(".png"));
        const QPixmap shot = widget->grab();
        QVERIFY2(!shot.isNull(), qPrintable(name));
        QVERIFY2(shot.save(path), qPrintable(path));
        qInfo("wrote %s (%dx%d)", qPrintable(path), shot.width(), shot.height());
    }

    std::unique_ptr<MainWindow> openMainWindow() {
        auto window = std::make_unique<MainWindow>(m_service->dataDir());
        window->resize(1280, 800);
        window->show();
        auto* table = window->findChild<QTableView*>(QStringLiteral("certificateTable"));
        [&] { QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), m_listed, kWaitMs); }();
        if (QTest::currentTestFailed())
            return nullptr;
        table->selectRow(3);
        return window;
    }

    // The certificate editor on the item `id`, as the main window opens it, on tab `tab`.
    std::unique_ptr<gui::CertificateEditorDialog> openEditor(const QString& id, const char* tab) {
        const auto item = waitFor<ManagedCertificate>(
            [&](QObject* ctx, auto ok, auto fail) { m_client->getItem(id, ctx, ok, fail); });
        if (!item)
            return nullptr;
        auto editor = std::make_unique<gui::CertificateEditorDialog>(m_client.get(), *item);
        editor->show();
        for (int i = 0; i < editor->tabs()->count(); ++i)
            if (editor->tabs()->widget(i)->objectName() == QLatin1String(tab))
                editor->tabs()->setCurrentIndex(i);
        return editor;
    }

private Q_SLOTS:
    void initTestCase() {
        m_outDir = qEnvironmentVariable("CERTKEEPER_SCREENSHOT_DIR", QStringLiteral("screenshots"));
        m_suffix = qEnvironmentVariable("CERTKEEPER_SCREENSHOT_SUFFIX");
        QVERIFY(QDir().mkpath(m_outDir));
        // The windows' remembered sizes and columns stay out of the user's settings.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        m_lightPalette = QApplication::style()->standardPalette();
        QApplication::setPalette(m_lightPalette);

        m_service = std::make_unique<ServiceProcess>();
        {
            auto store = store::SqliteItemStore::open(m_service->dataDir(), nullptr);
            const QDateTime now = QDateTime::currentDateTimeUtc();
            store->createMany(sampleItems(kItems, now, 2026), now);
        }
        QVERIFY(m_service->pauseAutomaticRenewal()); // the due ones would start renewing
        QVERIFY2(m_service->start(), qPrintable(m_service->output()));
        // 240 certificates are beyond the Community edition: a licensed install, as it would be.
        QVERIFY(activateDevLicense(*m_service));
        m_client = std::make_unique<ApiClient>(entryFor(*m_service), m_service->dataDir());

        const RawHttp http = rawHttpFor(*m_service);
        m_shopId = http.post("/api/managedcertificates", webShop(m_deployDir.path()))
                       .json()
                       .value("id")
                       .toString();
        QVERIFY(!m_shopId.isEmpty());
        // A request that fails (this install has no ACME account yet) writes a real log.
        // Its tasks, run now, write theirs: a script's output, and a failure explained.
        m_lonelyId = http.post("/api/managedcertificates", intranetPortal(m_deployDir.path()))
                         .json()
                         .value("id")
                         .toString();
        QVERIFY(!m_lonelyId.isEmpty());
        m_listed = kItems + 2;
        const std::string lonely = "/api/managedcertificates/" + m_lonelyId.toStdString();
        QCOMPARE(http.post(lonely + "/request", QJsonObject{}).status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(http.get(lonely).json().value("lastRenewalStatus").toString() ==
                                     QLatin1String("Error"),
                                 kWaitMs);
        QCOMPARE(http.post(lonely + "/deploy", QJsonObject{}).status, 200);
    }

    void cleanupTestCase() {
        m_client.reset();
        m_service.reset();
    }

    void mainWindow() {
        auto window = openMainWindow();
        QVERIFY(window);
        saveShot(window.get(), QStringLiteral("main-window"));
    }

    void mainWindowFiltered() {
        auto window = openMainWindow();
        QVERIFY(window);
        window->findChild<gui::SummaryStrip*>()->healthButton(Health::Error)->click();
        window->findChild<gui::SummaryStrip*>()->healthButton(Health::Warning)->click();
        saveShot(window.get(), QStringLiteral("main-window-filtered"));
    }

    void aboutWindow() {
        auto window = openMainWindow();
        QVERIFY(window);
        window->showAbout();
        auto* edition = window->findChild<QLabel*>(QStringLiteral("editionLabel"));
        auto* service = window->findChild<QLabel*>(QStringLiteral("serviceVersionLabel"));
        QVERIFY(edition && service);
        QTRY_VERIFY_WITH_TIMEOUT(!edition->text().isEmpty(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(service->text().contains(QLatin1String("OpenSSL")), kWaitMs);
        saveShot(window.get(), QStringLiteral("about"));
    }

    // What a new user sees: a service with nothing yet, and the guide in place of the list.
    void firstRun() {
        ServiceProcess empty;
        QVERIFY(empty.pauseAutomaticRenewal());
        QVERIFY2(empty.start(), qPrintable(empty.output()));
        MainWindow window(empty.dataDir());
        window.resize(1280, 800);
        window.show();
        auto* state = window.findChild<QLabel*>(QStringLiteral("accountStateLabel"));
        QVERIFY(state);
        QTRY_COMPARE_WITH_TIMEOUT(state->text(), QStringLiteral("No account yet."), kWaitMs);
        saveShot(&window, QStringLiteral("first-run"));
    }

    // A large install: 10,000 certificates, with a long message in the status bar beside the
    // count, as when a request reports its step.
    void largeFleet() {
        ServiceProcess fleet;
        {
            auto store = store::SqliteItemStore::open(fleet.dataDir(), nullptr);
            const QDateTime now = QDateTime::currentDateTimeUtc();
            store->createMany(sampleItems(kLargeFleet, now, 7), now);
        }
        QVERIFY(fleet.pauseAutomaticRenewal());
        QVERIFY2(fleet.start(), qPrintable(fleet.output()));
        QVERIFY(activateDevLicense(fleet));
        MainWindow window(fleet.dataDir());
        window.resize(1280, 800);
        window.show();
        auto* table = window.findChild<QTableView*>(QStringLiteral("certificateTable"));
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), kLargeFleet, kWaitMs * 3);
        auto* counts = window.findChild<QLabel*>(QStringLiteral("countsLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(counts->text().startsWith(QLatin1String("10,000")), kWaitMs);
        window.findChild<gui::StatusMessage*>()->showMessage(
            QStringLiteral("Northwind shop (www.northwind-shop.example.com): Waiting for the CA "
                           "to validate 6 names, then finalizing the order"),
            0);
        saveShot(&window, QStringLiteral("main-window-10000"));
    }

    void editorPreview() {
        auto editor = openEditor(m_shopId, "previewTab");
        QVERIFY(editor);
        auto* text = editor->findChild<QTextBrowser*>(QStringLiteral("previewText"));
        QTRY_VERIFY_WITH_TIMEOUT(text->toPlainText().contains("Reload nginx"), kWaitMs);
        // The tasks (the end of the preview) in view.
        const QTextCursor tasks = text->document()->find(QStringLiteral("Before the request"));
        QVERIFY(!tasks.isNull());
        text->verticalScrollBar()->setValue(
            int(text->document()->documentLayout()->blockBoundingRect(tasks.block()).top()));
        saveShot(editor.get(), QStringLiteral("editor-preview"));
    }

    void editorLog() {
        auto editor = openEditor(m_lonelyId, "logTab");
        QVERIFY(editor);
        auto* log = editor->findChild<gui::LogTab*>();
        QTRY_VERIFY_WITH_TIMEOUT(log->model()->rowCount() > 0, kWaitMs);
        saveShot(editor.get(), QStringLiteral("editor-log"));
    }

    // A dns-01 rule through a DNS host's API: the page made from the provider's description.
    void editorDnsRule() {
        auto editor = openEditor(m_shopId, "authorizationTab");
        QVERIFY(editor);
        editor->findChild<QPushButton*>(QStringLiteral("addRuleButton"))->click();
        auto* type = editor->findChild<QComboBox*>(QStringLiteral("challengeTypeCombo"));
        type->setCurrentIndex(type->findData(QStringLiteral("dns-01")));
        Q_EMIT type->activated(type->currentIndex());
        auto* provider = editor->findChild<QComboBox*>(QStringLiteral("dnsProviderCombo"));
        QTRY_VERIFY_WITH_TIMEOUT(provider->findData(QStringLiteral("powerdns")) >= 0, kWaitMs);
        provider->setCurrentIndex(provider->findData(QStringLiteral("powerdns")));
        Q_EMIT provider->activated(provider->currentIndex());
        saveShot(editor.get(), QStringLiteral("editor-dns-rule"));
    }

    void settings() {
        auto window = openMainWindow();
        QVERIFY(window);
        window->showSettings();
        auto* settings = window->findChild<gui::SettingsDialog*>();
        QVERIFY(settings);
        QTRY_VERIFY_WITH_TIMEOUT(settings->catalog()->isLoaded(), kWaitMs);
        saveShot(settings, QStringLiteral("settings"));

        // A form the service refused: its words under the fields they are about.
        settings->showPage(gui::SettingsDialog::Page::Credentials);
        auto* add = settings->findChild<QPushButton*>(QStringLiteral("addCredentialButton"));
        QTRY_VERIFY_WITH_TIMEOUT(add->isEnabled(), kWaitMs);
        add->click();
        gui::CredentialDialog* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = settings->findChild<gui::CredentialDialog*>()), kWaitMs);
        dialog->selectType(QStringLiteral("rfc2136"));
        dialog->findChild<QLineEdit*>(QStringLiteral("credentialTitleEdit"))->setText("ns2 key");
        dialog->findChild<QPushButton*>(QStringLiteral("credentialStoreButton"))->click();
        auto* error = dialog->findChild<QLabel*>(QStringLiteral("credentialFieldError_keyName"));
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), kWaitMs);
        saveShot(dialog, QStringLiteral("credential-field-errors"));
    }

    void mainWindowDark() {
        QApplication::setPalette(darkPalette());
        auto window = openMainWindow();
        QVERIFY(window);
        saveShot(window.get(), QStringLiteral("main-window-dark"));
        QApplication::setPalette(m_lightPalette);
    }
};

QTEST_MAIN(Screenshots)
#include "screenshots.moc"
