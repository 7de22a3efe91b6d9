// The manager window against the real service: it lists what the API holds, creates through
// the editor, keeps the user's text on a conflict, deletes after confirmation, explains a stopped
// service, and says when the service recovered a damaged database or moved to another port.

#include "CertificateEditorDialog.h"
#include "MainWindow.h"
#include "TestSupport.h"

#include <QAction>
#include <QFile>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTcpServer>

using namespace ck;
using namespace ck::test;
using ck::gui::CertificateEditorDialog;
using ck::gui::MainWindow;

namespace {
constexpr int kWaitMs = 10000;

QTableView* tableOf(const MainWindow& window) {
    return window.findChild<QTableView*>(QStringLiteral("certificateTable"));
}

QString currentPage(const MainWindow& window) {
    return window.findChild<QStackedWidget*>(QStringLiteral("pages"))
        ->currentWidget()
        ->objectName();
}

int rowOfName(const MainWindow& window, const QString& name) {
    const auto* model = tableOf(window)->model();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, 0).data().toString() == name)
            return row;
    return -1;
}

void trigger(const MainWindow& window, const char* actionName) {
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
bool clobberDatabase(const ServiceProcess& service) {
    QFile db(service.dataDir() + QStringLiteral("/manageditems.db"));
    if (!db.open(QIODevice::ReadWrite))
        return false;
    return db.write(QByteArray(100, '\x5a')) == 100;
}

QJsonArray recoveryEvents(const ServiceProcess& service) {
    return rawHttpFor(service)
        .get("/api/system/diagnostics")
        .json()["database"]["recovery"]
        .toArray();
}

} // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
    std::unique_ptr<ServiceProcess> m_service;
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

private Q_SLOTS:
    void initTestCase() {
        m_service = std::make_unique<ServiceProcess>();
        QVERIFY2(m_service->start(), qPrintable(m_service->output()));
        m_shopId = createRaw(*m_service, QStringLiteral("Shop"),
                             {"shop.example.com", "www.shop.example.com", "api.shop.example.com"});
        QVERIFY(!m_shopId.isEmpty());
        QVERIFY(!createRaw(*m_service, QStringLiteral("Blog"), {"blog.example.com"}).isEmpty());
    }

    void cleanupTestCase() { m_service.reset(); }

    void listsItemsCreatedThroughTheApi() {
        auto window = openWindow();
        QTRY_COMPARE_WITH_TIMEOUT(tableOf(*window)->model()->rowCount(), 2, kWaitMs);
        QCOMPARE(currentPage(*window), QStringLiteral("listPage"));
        const int shop = rowOfName(*window, QStringLiteral("Shop"));
        QVERIFY(shop >= 0);
        const auto* model = tableOf(*window)->model();
        QCOMPARE(model->index(shop, 1).data().toString(),
                 QStringLiteral("shop.example.com +2 more"));
        QCOMPARE(model->index(shop, 2).data().toString(), QStringLiteral("Not yet issued"));
        QCOMPARE(model->index(shop, 3).data().toString(), QStringLiteral("not issued"));
        // The status bar has the service's counts and version.
        QTRY_VERIFY(
            childOf<QLabel>(window.get(), "countsLabel")->text().contains("2 certificates"));
        QTRY_VERIFY(childOf<QLabel>(window.get(), "serviceLabel")->text().contains("0.1.0"));

        // The search goes to the service, which matches any domain, not only the primary.
        childOf<QLineEdit>(window.get(), "searchEdit")->setText(QStringLiteral("api.shop"));
        QTRY_COMPARE_WITH_TIMEOUT(tableOf(*window)->model()->rowCount(), 1, kWaitMs);
        QCOMPARE(tableOf(*window)->model()->index(0, 0).data().toString(), QStringLiteral("Shop"));
        childOf<QLineEdit>(window.get(), "searchEdit")->clear();
        QTRY_COMPARE_WITH_TIMEOUT(tableOf(*window)->model()->rowCount(), 2, kWaitMs);
    }

    void createsACertificateThroughTheEditor() {
        auto window = openWindow();
        QTRY_COMPARE_WITH_TIMEOUT(tableOf(*window)->model()->rowCount(), 2, kWaitMs);
        trigger(*window, "actionNew");
        QPointer<CertificateEditorDialog> dialog = waitForEditor(*window);
        QVERIFY(dialog);
        childOf<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("Mail"));
        childOf<QLineEdit>(dialog, "domainInput")
            ->setText(QStringLiteral("mail.example.com smtp.example.com"));
        QTest::mouseClick(childOf<QPushButton>(dialog, "addDomainButton"), Qt::LeftButton);
        QTest::mouseClick(childOf<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull() || !dialog->isVisible(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(*window, QStringLiteral("Mail")) >= 0, kWaitMs);

        const auto list =
            rawHttpFor(*m_service).get("/api/managedcertificates?search=smtp.example.com").json();
        QCOMPARE(list.value("total").toInt(), 1);
        const auto stored = list.value("items").toArray().first().toObject();
        QCOMPARE(stored.value("name").toString(), QStringLiteral("Mail"));
        QCOMPARE(stored["requestConfig"]["primaryDomain"].toString(),
                 QStringLiteral("mail.example.com"));
    }

    // The service's field errors under their fields: tests/gui/test_certificate_editor.cpp.

    void aConflictKeepsTheTextAndReloadLetsTheSaveThrough() {
        auto window = openWindow();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(*window, QStringLiteral("Shop")) >= 0, kWaitMs);
        tableOf(*window)->selectRow(rowOfName(*window, QStringLiteral("Shop")));
        trigger(*window, "actionEdit");
        CertificateEditorDialog* dialog = waitForEditor(*window);
        QVERIFY(dialog);
        QCOMPARE(childOf<QLineEdit>(dialog, "nameEdit")->text(), QStringLiteral("Shop"));

        // Someone else saves the item while the dialog is open.
        auto current =
            rawHttpFor(*m_service).get("/api/managedcertificates/" + m_shopId.toStdString()).json();
        current["comments"] = QStringLiteral("changed elsewhere");
        QCOMPARE(rawHttpFor(*m_service)
                     .put("/api/managedcertificates/" + m_shopId.toStdString(), current)
                     .status,
                 200);

        childOf<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("Shop (mine)"));
        QTest::mouseClick(childOf<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
        auto* reload = childOf<QPushButton>(dialog, "reloadButton");
        QTRY_VERIFY_WITH_TIMEOUT(reload->isVisible(), kWaitMs);
        QVERIFY(childOf<QLabel>(dialog, "conflictLabel")->text().contains("Someone else saved"));
        QCOMPARE(childOf<QLineEdit>(dialog, "nameEdit")->text(), QStringLiteral("Shop (mine)"));

        QTest::mouseClick(reload, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            childOf<QLabel>(dialog, "conflictLabel")->text().contains("Loaded their version"),
            kWaitMs);
        QCOMPARE(childOf<QLineEdit>(dialog, "nameEdit")->text(), QStringLiteral("Shop (mine)"));
        QPointer<CertificateEditorDialog> guard(dialog);
        QTest::mouseClick(childOf<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull() || !guard->isVisible(), kWaitMs);
        const auto saved =
            rawHttpFor(*m_service).get("/api/managedcertificates/" + m_shopId.toStdString()).json();
        QCOMPARE(saved.value("name").toString(), QStringLiteral("Shop (mine)"));
        QCOMPARE(saved.value("version").toInt(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(*window, QStringLiteral("Shop (mine)")) >= 0, kWaitMs);
    }

    void deletesTheSelectedCertificateAfterConfirmation() {
        auto window = openWindow();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(*window, QStringLiteral("Blog")) >= 0, kWaitMs);
        const int before = tableOf(*window)->model()->rowCount();
        QString asked;
        window->setConfirmation([&](QWidget*, const QString& question) {
            asked = question;
            return true;
        });
        tableOf(*window)->selectRow(rowOfName(*window, QStringLiteral("Blog")));
        trigger(*window, "actionDelete");
        QVERIFY2(asked.contains("Blog"), qPrintable(asked));
        QTRY_COMPARE_WITH_TIMEOUT(tableOf(*window)->model()->rowCount(), before - 1, kWaitMs);
        QCOMPARE(rowOfName(*window, QStringLiteral("Blog")), -1);
        QCOMPARE(rawHttpFor(*m_service)
                     .get("/api/managedcertificates?search=blog.example.com")
                     .json()
                     .value("total")
                     .toInt(),
                 0);
    }

    void aDeclinedConfirmationDeletesNothing() {
        auto window = openWindow();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(*window, QStringLiteral("Mail")) >= 0, kWaitMs);
        window->setConfirmation([](QWidget*, const QString&) { return false; });
        tableOf(*window)->selectRow(rowOfName(*window, QStringLiteral("Mail")));
        trigger(*window, "actionDelete");
        QTest::qWait(300);
        QVERIFY(rowOfName(*window, QStringLiteral("Mail")) >= 0);
    }

    void aHealthyStartShowsNoNotices() {
        auto window = openWindow();
        // The list and the version are there: the diagnostics, asked in the same refresh, have
        // had their answer too.
        QTRY_VERIFY_WITH_TIMEOUT(tableOf(*window)->model()->rowCount() > 0, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            childOf<QLabel>(window.get(), "serviceLabel")->text().startsWith("Service"), kWaitMs);
        QTest::qWait(300);
        QVERIFY(!childOf<QFrame>(window.get(), "recoveryBanner")->isVisible());
        QVERIFY(!childOf<QLabel>(window.get(), "portNoticeLabel")->isVisible());
    }

    void aRecoveredDatabaseIsReportedAboveTheListUntilDismissed() {
        ServiceProcess service;
        QVERIFY2(service.start(), qPrintable(service.output()));
        for (int i = 0; i < 3; ++i)
            QVERIFY(!createRaw(service, QStringLiteral("Restored %1").arg(i),
                               {QStringLiteral("r%1.example.com").arg(i)})
                         .isEmpty());
        QVERIFY(service.stop());
        QVERIFY2(service.start(), qPrintable(service.output())); // its backup holds the 3 items
        QVERIFY(service.stop());
        QVERIFY(clobberDatabase(service));
        QVERIFY2(service.start(), qPrintable(service.output()));
        const QJsonArray events = recoveryEvents(service);
        QCOMPARE(events.size(), 1);
        const QString quarantined = events.at(0).toObject().value("quarantinedFile").toString();
        QVERIFY(!quarantined.isEmpty());

        MainWindow window(service.dataDir());
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(tableOf(window)->model()->rowCount(), 3, kWaitMs);
        QVERIFY(rowOfName(window, QStringLiteral("Restored 2")) >= 0);
        auto* banner = childOf<QFrame>(&window, "recoveryBanner");
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kWaitMs);
        const QString text = childOf<QLabel>(&window, "recoveryBannerText")->text();
        QVERIFY2(text.contains("restored", Qt::CaseInsensitive), qPrintable(text));
        QVERIFY2(text.contains("backup"), qPrintable(text));
        QVERIFY2(text.contains("The damaged file was kept at:</b> " + quarantined.toHtmlEscaped()),
                 qPrintable(text));
        QVERIFY2(text.contains("What may be missing:"), qPrintable(text));
        QVERIFY2(!text.contains("quarantinedFile") && !text.contains('{'), qPrintable(text));
        QVERIFY(!banner->accessibleName().isEmpty());
        // At the top of the list page, above the search field and the list.
        QVERIFY(banner->geometry().bottom() <
                childOf<QLineEdit>(&window, "searchEdit")->geometry().top());
        QVERIFY(!childOf<QLabel>(&window, "portNoticeLabel")->isVisible());

        auto* dismiss = childOf<QPushButton>(banner, "recoveryDismissButton");
        QVERIFY(!dismiss->accessibleName().isEmpty());
        QTest::mouseClick(dismiss, Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        trigger(window, "actionRefresh");
        QTest::qWait(300);
        QVERIFY(!banner->isVisible());

        // A later start that recovers again is news: after the reconnection the banner is back,
        // with only the new event.
        QVERIFY(service.stop());
        QVERIFY(clobberDatabase(service));
        trigger(window, "actionRefresh");
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), QStringLiteral("connectionProblemPage"),
                                  kWaitMs);
        QVERIFY2(service.start(), qPrintable(service.output()));
        const QJsonArray again = recoveryEvents(service);
        QCOMPARE(again.size(), 1);
        const QString second = again.at(0).toObject().value("quarantinedFile").toString();
        QVERIFY(second != quarantined);
        QTest::mouseClick(childOf<QPushButton>(&window, "retryButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), QStringLiteral("listPage"), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kWaitMs);
        const QString newText = childOf<QLabel>(&window, "recoveryBannerText")->text();
        QVERIFY2(newText.contains(second.toHtmlEscaped()), qPrintable(newText));
        QVERIFY2(!newText.contains(quarantined.toHtmlEscaped() + "</p>"), qPrintable(newText));
        QTRY_COMPARE_WITH_TIMEOUT(tableOf(window)->model()->rowCount(), 3, kWaitMs);
    }

    void aNegotiatedPortIsExplained() {
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        const int taken = holder.serverPort();
        ServiceProcess service;
        QVERIFY2(service.start({QStringLiteral("--port"), QString::number(taken)}),
                 qPrintable(service.output()));
        const int bound = servicePort(service);
        QVERIFY(bound != taken);

        MainWindow window(service.dataDir());
        window.show();
        auto* notice = childOf<QLabel>(&window, "portNoticeLabel");
        QTRY_VERIFY_WITH_TIMEOUT(notice->isVisible(), kWaitMs);
        QVERIFY2(notice->text().startsWith(
                     QStringLiteral("The service is using port %1 because port %2 was in use (")
                         .arg(bound)
                         .arg(taken)),
                 qPrintable(notice->text()));
        QVERIFY(!childOf<QFrame>(&window, "recoveryBanner")->isVisible());
    }

    // Last: it stops the service.
    void explainsAStoppedServiceAndComesBackWhenItStarts() {
        auto window = openWindow();
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(*window), QStringLiteral("listPage"), kWaitMs);
        QVERIFY(m_service->stop());
        trigger(*window, "actionRefresh");
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(*window), QStringLiteral("connectionProblemPage"),
                                  kWaitMs);
        const QString explanation = childOf<QLabel>(window.get(), "connectionProblemLabel")->text();
        QVERIFY2(explanation.contains("not running"), qPrintable(explanation));
        QVERIFY(explanation.contains(QString::number(servicePort(*m_service))));
        QVERIFY(!window->findChild<QAction*>(QStringLiteral("actionNew"))->isEnabled());

        QVERIFY2(m_service->start(), qPrintable(m_service->output()));
        QTest::mouseClick(childOf<QPushButton>(window.get(), "retryButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(*window), QStringLiteral("listPage"), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(*window, QStringLiteral("Mail")) >= 0, kWaitMs);
    }
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
