// The manager window against the real service: it lists what the API holds, creates through
// the editor, shows the service's field errors under the field, keeps the user's text on a
// conflict, deletes after confirmation, and explains a stopped service.

#include "CertificateEditorDialog.h"
#include "MainWindow.h"
#include "TestSupport.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>

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
        childOf<QPlainTextEdit>(dialog, "domainsEdit")
            ->setPlainText(QStringLiteral("mail.example.com\nsmtp.example.com"));
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

    void showsFieldErrorsUnderTheirFieldsAndKeepsTheInput() {
        auto window = openWindow();
        QTRY_COMPARE(currentPage(*window), QStringLiteral("listPage"));
        trigger(*window, "actionNew");
        CertificateEditorDialog* dialog = waitForEditor(*window);
        QVERIFY(dialog);
        auto* domains = childOf<QPlainTextEdit>(dialog, "domainsEdit");
        const QString typed = QStringLiteral("good.example.com\nbad..example.com\n");
        domains->setPlainText(typed);
        QTest::mouseClick(childOf<QPushButton>(dialog, "saveButton"), Qt::LeftButton);

        auto* domainsError = childOf<QLabel>(dialog, "domainsError");
        auto* nameError = childOf<QLabel>(dialog, "nameError");
        QTRY_VERIFY_WITH_TIMEOUT(domainsError->isVisible(), kWaitMs);
        QVERIFY2(domainsError->text().contains("Line 2"), qPrintable(domainsError->text()));
        QVERIFY(domainsError->text().contains("bad..example.com"));
        QVERIFY(!domainsError->text().contains("Line 1"));
        QVERIFY(nameError->isVisible()); // the name was left empty
        // Each error sits right under its own field.
        auto* comments = childOf<QPlainTextEdit>(dialog, "commentsEdit");
        QVERIFY(domainsError->geometry().top() >= domains->geometry().bottom());
        QVERIFY(domainsError->geometry().bottom() <= comments->geometry().top());
        QVERIFY(nameError->geometry().bottom() <= domains->geometry().top());
        // Nothing the user typed is lost, and the dialog stays open.
        QVERIFY(dialog->isVisible());
        QCOMPARE(domains->toPlainText(), typed);

        // Fixing the name clears its error on the next try; the domain error stays.
        childOf<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("Fixed name"));
        QTest::mouseClick(childOf<QPushButton>(dialog, "saveButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!nameError->isVisible(), kWaitMs);
        QTRY_VERIFY(domainsError->isVisible());
        dialog->reject();
    }

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
