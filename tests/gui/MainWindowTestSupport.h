#pragma once
// The fixture of the main window's tests: a real service holding "Shop" and "Blog" (automatic
// renewal paused, the development license), window state kept in a directory of the test, and
// helpers that find the window's parts as a user sees them.

#include "DevLicense.h"
#include "SampleItems.h"
#include "ServiceAccess.h"
#include "gui/CertificateEditorDialog.h"
#include "gui/CertificateFilterProxy.h"
#include "gui/CertificateListModel.h"
#include "gui/CheckResultsDialog.h"
#include "gui/ExpiryTimelineModel.h"
#include "gui/ExpiryTimelineView.h"
#include "gui/HealthStyle.h"
#include "gui/LiveUpdates.h"
#include "gui/MainWindow.h"
#include "gui/SummaryStrip.h"
#include "gui/settings/SettingsDialog.h"
#include "store/SqliteItemStore.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFrame>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>

namespace ck::test {

using ck::gui::CertificateEditorDialog;
using ck::gui::CertificateListModel;
using ck::gui::MainWindow;

inline constexpr int kWaitMs = 10000;
inline constexpr int kChecksWaitMs = 60000; // Test asks DNS servers, which may time out here

inline QTableView* tableOf(const MainWindow& window) {
    return window.findChild<QTableView*>(QStringLiteral("certificateTable"));
}

inline QString currentPage(const MainWindow& window) {
    return window.findChild<QStackedWidget*>(QStringLiteral("pages"))
        ->currentWidget()
        ->objectName();
}

inline int rowOfName(const MainWindow& window, const QString& name) {
    const auto* model = tableOf(window)->model();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, 0).data().toString() == name)
            return row;
    return -1;
}

inline void trigger(const MainWindow& window, const char* actionName) {
    auto* action = window.findChild<QAction*>(QLatin1String(actionName));
    QVERIFY2(action, actionName);
    QVERIFY2(action->isEnabled(), actionName);
    action->trigger();
}

template <typename T> T* childOf(QWidget* parent, const char* name) {
    auto* child = parent->findChild<T*>(QLatin1String(name));
    if (!child)
        qWarning("no child %s", name);
    return child;
}

// Overwrites the database header, as a disk fault would: SQLite can no longer read the file.
inline bool clobberDatabase(const ServiceProcess& service) {
    QFile db(service.dataDir() + QStringLiteral("/manageditems.db"));
    if (!db.open(QIODevice::ReadWrite))
        return false;
    return db.write(QByteArray(100, '\x5a')) == 100;
}

// A service whose database was filled with `count` realistic items before it started (with
// certificate dates no test CA would give), licensed for that many as a real install would be.
inline std::unique_ptr<ServiceProcess> populatedService(int count) {
    auto service = std::make_unique<ServiceProcess>();
    {
        auto store = store::SqliteItemStore::open(service->dataDir(), nullptr);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        store->createMany(sampleItems(count, now, 11), now);
    }
    // Only the app is under test: the scheduler would start renewing the due ones.
    if (!service->pauseAutomaticRenewal() || !service->start() || !activateDevLicense(*service)) {
        qWarning("%s", qPrintable(service->output()));
        return nullptr;
    }
    return service;
}

// The message box a command opened, or null.
inline QMessageBox* waitForErrorBox(const MainWindow& window, int timeoutMs = kWaitMs) {
    QMessageBox* box = nullptr;
    const bool shown = QTest::qWaitFor(
        [&] {
            box = window.findChild<QMessageBox*>(QStringLiteral("errorMessage"));
            return box && box->isVisible();
        },
        timeoutMs);
    return shown ? box : nullptr;
}

// Relative luminance contrast (WCAG) of two colours.
inline double contrast(const QColor& a, const QColor& b) {
    const auto luminance = [](const QColor& c) {
        const auto channel = [](float v) {
            return v <= 0.03928f ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
               0.0722 * channel(c.blueF());
    };
    const double la = luminance(a) + 0.05;
    const double lb = luminance(b) + 0.05;
    return la > lb ? la / lb : lb / la;
}

inline QJsonArray recoveryEvents(const ServiceProcess& service) {
    return rawHttpFor(service)
        .get("/api/system/diagnostics")
        .json()["database"]["recovery"]
        .toArray();
}

// The shared service, started by a test class's initTestCase (startService: a failed check in
// it fails initTestCase, and then no test runs) and stopped by its cleanupTestCase.
class MainWindowFixture : public QObject {
protected:
    std::unique_ptr<ServiceProcess> m_service;
    std::unique_ptr<ServiceProcess> m_fleet; // 300 realistic items
    QTemporaryDir m_settings;
    QString m_shopId;

    std::unique_ptr<MainWindow> openWindow() {
        auto window = std::make_unique<MainWindow>(m_service->dataDir());
        window->show();
        return window;
    }

    // The editor the window opened (non-modal to the test: open(), not exec()), or null.
    static CertificateEditorDialog* waitForEditor(MainWindow& window) {
        CertificateEditorDialog* dialog = nullptr;
        const bool shown = QTest::qWaitFor(
            [&] {
                dialog = window.findChild<CertificateEditorDialog*>();
                return dialog && dialog->isVisible();
            },
            kWaitMs);
        return shown ? dialog : nullptr;
    }

    void startService() {
        // The remembered window state goes to a directory of this test, not the user's.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
        m_service = std::make_unique<ServiceProcess>();
        // The window's own commands request; the scheduler must not start the new items first.
        QVERIFY(m_service->pauseAutomaticRenewal());
        QVERIFY2(m_service->start(), qPrintable(m_service->output()));
        QVERIFY(activateDevLicense(*m_service)); // more than the Community edition's 5 items
        m_shopId = createRaw(*m_service, QStringLiteral("Shop"),
                             {"shop.example.com", "www.shop.example.com", "api.shop.example.com"});
        QVERIFY(!m_shopId.isEmpty());
        QVERIFY(!createRaw(*m_service, QStringLiteral("Blog"), {"blog.example.com"}).isEmpty());
    }

    void stopServices() {
        m_fleet.reset();
        m_service.reset();
    }
};

} // namespace ck::test
