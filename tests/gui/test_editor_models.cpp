// The editor's models and pure parts, without a service: each model under
// QAbstractItemModelTester while it is changed as the editor changes it; the log's follow
// logic (independent of where lines come from); the preview's Markdown; the renewal history
// read from a log; the task parameter form generated from a type description.

#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "gui/editor/DomainListModel.h"
#include "gui/editor/ItemLogModel.h"
#include "gui/editor/LogTab.h"
#include "gui/editor/ParameterForm.h"
#include "gui/editor/StatusTab.h"
#include "gui/editor/StepMarkdown.h"
#include "gui/editor/TaskListModel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTreeView>

using namespace ck;
using namespace ck::gui;

namespace {
LogEntry entry(int second, const char* level, const QString& message) {
    return {QDateTime(QDate(2025, 3, 1), QTime(12, 0, second), Qt::UTC), QLatin1String(level),
            message};
}

QList<LogEntry> entries(int count, int from = 0) {
    QList<LogEntry> list;
    for (int i = from; i < from + count; ++i)
        list.append(entry(i % 60, "INF", QStringLiteral("line %1").arg(i)));
    return list;
}

DeploymentTask task(const char* id, const char* name) {
    DeploymentTask t;
    t.id = QString::fromLatin1(id);
    t.name = QString::fromUtf8(name);
    t.type = QStringLiteral("script");
    t.trigger = TaskTrigger::OnSuccess;
    t.enabled = true;
    t.extra = {{"custom", "kept"}}; // a field of a newer version
    return t;
}
} // namespace

class EditorModelsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void domainListKeepsOnePrimaryFirst() {
        DomainListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDomains({"www.example.com", "example.com", "WWW.example.com."}, "example.com");
        QCOMPARE(model.domains(), QStringList({"example.com", "www.example.com"}));
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("example.com"));
        QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("primary"));
        QVERIFY(model.index(1, 1).data().toString().isEmpty());
        QVERIFY(model.index(0, 0).data(DomainListModel::IsPrimaryRole).toBool());
        QVERIFY(model.index(0, 0).data(Qt::AccessibleTextRole).toString().contains("primary"));
        QVERIFY(!(model.flags(model.index(0, 1)) & Qt::ItemIsEditable));

        // Pasted lists: duplicates (any case, trailing dot) are reported, not added twice.
        const QStringList skipped = model.addDomains(
            DomainListModel::namesInText("DNS:api.example.com, *.example.com\nEXAMPLE.com."));
        QCOMPARE(skipped, QStringList({"EXAMPLE.com."}));
        QCOMPARE(model.domains(), QStringList({"example.com", "www.example.com", "api.example.com",
                                               "*.example.com"}));

        QSignalSpy edited(&model, &DomainListModel::domainsEdited);
        model.setPrimary(3);
        QCOMPARE(model.primary(), QStringLiteral("*.example.com"));
        QVERIFY(!model.index(1, 0).data(DomainListModel::IsPrimaryRole).toBool());
        QVERIFY(model.index(1, 1).data().toString().isEmpty());
        QCOMPARE(edited.count(), 1);

        // Removing the primary makes the next name the primary.
        QVERIFY(model.removeRows(0, 1));
        QCOMPARE(model.primary(), QStringLiteral("example.com"));
        QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("primary"));

        // Renaming in place: a duplicate or an empty name keeps the old one.
        QVERIFY(!model.setData(model.index(1, 0), "EXAMPLE.COM"));
        QVERIFY(!model.setData(model.index(1, 0), "  "));
        QVERIFY(model.setData(model.index(1, 0), "shop.example.com"));
        QCOMPARE(model.domains().at(1), QStringLiteral("shop.example.com"));

        // The service's errors by row, in the error colour with the reason.
        model.setErrors({{2, "'api..example.com' has an empty label"}});
        QCOMPARE(model.index(2, 0).data(DomainListModel::ErrorRole).toString(),
                 QStringLiteral("'api..example.com' has an empty label"));
        QVERIFY(model.index(2, 0).data(Qt::ForegroundRole).isValid());
        QVERIFY(!model.index(1, 0).data(Qt::ForegroundRole).isValid());
        model.clearErrors();
        QVERIFY(model.index(2, 0).data(DomainListModel::ErrorRole).toString().isEmpty());

        QVERIFY(model.removeRows(0, model.rowCount()));
        QVERIFY(model.primary().isEmpty());
        QVERIFY(model.addDomains({"first.example.com"}).isEmpty());
        QCOMPARE(model.primary(), QStringLiteral("first.example.com"));
    }

    void taskListReordersEnablesAndKeepsUnknownFields() {
        TaskListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTasks({task("a", "Export"), task("b", "Reload nginx")});
        model.addTask(task("c", "Webhook"));
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.index(1).data().toString().startsWith("Reload nginx — script, when the "
                                                            "request succeeds"));

        QVERIFY(model.moveTask(2, -1)); // Webhook before Reload nginx
        QVERIFY(model.moveTask(0, +1)); // Export after Webhook
        QVERIFY(!model.moveTask(0, -1));
        QVERIFY(!model.moveTask(2, +1));
        QStringList order;
        for (const auto& t : model.tasks())
            order.append(t.id);
        QCOMPARE(order, QStringList({"c", "a", "b"}));

        QCOMPARE(model.index(0).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(model.setData(model.index(0), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(model.tasks().at(0).enabled, false);
        QVERIFY(model.index(0).data(Qt::AccessibleTextRole).toString().contains("disabled"));
        QCOMPARE(model.tasks().at(0).extra.value("custom").toString(), QStringLiteral("kept"));

        model.setRunResult("a", TaskRunStatus::Failed, "exit code 3");
        QVERIFY(model.index(1).data().toString().contains("Last run failed: exit code 3"));
        QVERIFY(model.removeRows(1, 1));
        QCOMPARE(model.rowCount(), 2);
    }

    void logModelGrowsFiltersAndDropsTheOldest() {
        ItemLogModel model;
        LogFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester t1(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&filter,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntries({entry(1, "DBG", "Directory fetched"), entry(2, "INF", "Order created")});
        model.appendEntries({entry(3, "WRN", "Slow DNS"), entry(4, "ERR", "Boom\nsecond line")});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(3, ItemLogModel::MessageColumn).data().toString(),
                 QStringLiteral("Boom ⏎ second line")); // one row, every line seen
        QCOMPARE(model.index(3, ItemLogModel::MessageColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Boom\nsecond line"));
        QCOMPARE(model.index(3, ItemLogModel::LevelColumn).data().toString(),
                 QStringLiteral("Error"));
        QVERIFY(model.index(3, 0).data(ItemLogModel::LineRole).toString().contains("[ERR] Boom"));

        filter.setMinimumLevel(2);
        QCOMPARE(filter.rowCount(), 2);
        filter.setMinimumLevel(0);
        filter.setSearchText("order");
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.index(0, ItemLogModel::MessageColumn).data().toString(),
                 QStringLiteral("Order created"));
        filter.setSearchText({});

        model.appendEntries(entries(ItemLogModel::kMaxEntries));
        QCOMPARE(model.rowCount(), ItemLogModel::kMaxEntries);
        QCOMPARE(model.entries().first().message, QStringLiteral("line 0"));
        QCOMPARE(filter.rowCount(), ItemLogModel::kMaxEntries);
    }

    void newLogLinesAreFoundAfterTheLastKnownOnes() {
        const QList<LogEntry> known = entries(10);
        QVERIFY(newLogEntries(known, entries(20).mid(8)).has_value());
        QCOMPARE(*newLogEntries({}, entries(3)), entries(3));
        QCOMPARE(*newLogEntries(known, known), QList<LogEntry>{});
        QCOMPARE(*newLogEntries(known, entries(12).mid(5)), entries(2, 10));
        // A poll answers the newest lines only: those overlapping the known ones anchor it.
        QCOMPARE(*newLogEntries(known, entries(20).mid(8)), entries(10, 10));
        // Repeated lines are separate lines: the one before anchors them.
        const LogEntry before = entry(4, "INF", "Order created");
        const LogEntry same = entry(5, "INF", "Answering http-01");
        QCOMPARE(*newLogEntries({before, same}, {before, same, same}), QList<LogEntry>{same});
        // No overlap (more new lines than a poll returns): start over.
        QVERIFY(!newLogEntries(known, entries(5, 100)).has_value());
    }

    void theLogFollowsUntilTheUserScrollsUp() {
        ServiceCatalog catalog(nullptr);
        EditorContext context;
        context.catalog = &catalog;
        LogTab tab(context, nullptr);
        tab.resize(600, 300);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        auto* view = tab.findChild<QTreeView*>("logView");
        QScrollBar* bar = view->verticalScrollBar();
        tab.model()->appendEntries(entries(200));
        QTRY_VERIFY(bar->maximum() > 0);
        QTRY_COMPARE(bar->value(), bar->maximum()); // follows: the newest line is shown

        bar->setValue(0); // the user scrolls up to read: paused
        QVERIFY(!tab.isFollowing());
        tab.model()->appendEntries(entries(5, 200));
        QTest::qWait(50);
        QCOMPARE(bar->value(), 0);
        QTRY_VERIFY(tab.findChild<QLabel*>("logStatus")->text().contains("5 new lines below"));

        QTest::mouseClick(tab.findChild<QPushButton*>("logFollowButton"), Qt::LeftButton);
        QVERIFY(tab.isFollowing());
        QTRY_COMPARE(bar->value(), bar->maximum());
        tab.model()->appendEntries(entries(50, 205));
        QTRY_COMPARE(bar->value(), bar->maximum());

        // Level filter and copy: what is shown is what is copied, as the log file has it.
        tab.findChild<QComboBox*>("logLevelCombo")->setCurrentIndex(3); // errors only
        tab.model()->appendEntries({entry(1, "ERR", "Validation failed")});
        QCOMPARE(tab.copyText().count('\n'), 0);
        QVERIFY(tab.copyText().endsWith("[ERR] Validation failed"));
    }

    void stepsBecomeAnOutline() {
        const QJsonArray steps{
            QJsonObject{
                {"title", "Request *example.com*"},
                {"description", "Order from **Pebble**."},
                {"warnings", QJsonArray{"Wildcard needs dns-01"}},
                {"substeps", QJsonArray{QJsonObject{{"title", "Answer http-01"},
                                                    {"description", "On port 5002"},
                                                    {"errors", QJsonArray{"Port 80 is closed"}}}}}},
            QJsonObject{{"title", "Deploy"},
                        {"substeps", QJsonArray{QJsonObject{{"title", "Export PFX"}}}}}};
        const QString md = stepsToMarkdown(steps);
        QVERIFY2(md.contains("### 1. Request \\*example.com\\*"), qPrintable(md));
        QVERIFY(md.contains("Order from **Pebble**.")); // the service's Markdown stays Markdown
        QVERIFY(md.contains("> **Warning:** Wildcard needs dns-01"));
        QVERIFY(md.contains("- **1.1** Answer http-01\n\n  On port 5002")); // its own paragraph
        QVERIFY(md.contains("  > **Error:** Port 80 is closed"));
        QVERIFY(md.contains("### 2. Deploy"));
        QVERIFY(md.contains("- **2.1** Export PFX"));
        QVERIFY(stepsToMarkdown({}).contains("nothing to do"));
    }

    void historyIsReadFromTheLog() {
        const QList<LogEntry> log{
            entry(1, "INF", "Requesting a certificate for a.example.com from Pebble (account x)"),
            entry(2, "ERR", "The CA could not reach a.example.com on port 80"),
            entry(3, "INF", "Requesting a certificate for a.example.com from Pebble (account x)"),
            entry(4, "INF",
                  "Certificate issued by Pebble Intermediate, serial 0a1b, valid until "
                  "2025-06-01; files in /var/lib/certkeeper/assets/x"),
            entry(5, "INF", "Request completed in 812 ms"),
            entry(6, "INF", "The CA revoked the certificate with serial 0a1b")};
        const auto history = renewalHistory(log);
        QCOMPARE(history.size(), 3);
        QCOMPARE(history[0].kind, HistoryEvent::Kind::Failed);
        QVERIFY(history[0].detail.contains("port 80"));
        QCOMPARE(history[1].kind, HistoryEvent::Kind::Issued);
        QVERIFY(history[1].detail.contains("serial 0a1b"));
        QVERIFY(!history[1].detail.contains("files in"));
        QCOMPARE(history[2].kind, HistoryEvent::Kind::Revoked);
    }

    void parameterFormFollowsTheTypeDescription() {
        ServiceCatalog catalog(nullptr);
        ParameterForm form(&catalog, nullptr);
        const QJsonArray described{
            QJsonObject{{"key", "path"}, {"label", "Folder"}, {"kind", "path"}, {"required", true}},
            QJsonObject{{"key", "format"},
                        {"label", "Format"},
                        {"kind", "choice"},
                        {"choices", QJsonArray{"pem", "pfx"}},
                        {"default", "pfx"}},
            QJsonObject{{"key", "timeout"}, {"label", "Timeout"}, {"kind", "int"}, {"default", 30}},
            QJsonObject{{"key", "restart"}, {"label", "Restart"}, {"kind", "bool"}},
            QJsonObject{{"key", "script"}, {"label", "Script"}, {"kind", "multiline"}},
            QJsonObject{{"key", "secret"}, {"label", "Password"}, {"kind", "credential"}}};
        QList<TaskParameterSpec> parameters; // as the service serves them
        for (const auto& d : described) {
            QList<FieldError> errors;
            parameters.append(TaskParameterSpec::fromJson(d.toObject(), &errors));
            QVERIFY(errors.isEmpty());
        }
        form.build(parameters, QJsonObject{{"timeout", 5}, {"other", "kept"}});
        QJsonObject values = form.values();
        QCOMPARE(values.value("format").toString(), QStringLiteral("pfx")); // the default
        QCOMPARE(values.value("timeout").toInt(), 5);                       // the task's value
        QCOMPARE(values.value("restart").toBool(), false);
        QCOMPARE(values.value("other").toString(), QStringLiteral("kept"));
        QVERIFY(qobject_cast<QSpinBox*>(form.field("timeout")));
        QVERIFY(qobject_cast<QCheckBox*>(form.field("restart")));
        QCOMPARE(form.field("path")->accessibleName(), QStringLiteral("Folder"));

        // A required field left empty is named under it.
        QVERIFY(!form.checkRequired());
        auto* pathError = form.findChild<QLabel*>("parameterError_path");
        QVERIFY(!pathError->isHidden());
        QCOMPARE(pathError->text(), QStringLiteral("Folder is required"));
        form.field("path")->findChild<QLineEdit*>()->setText("/etc/ssl/shop");
        QVERIFY(form.checkRequired());
        QVERIFY(pathError->isHidden());
        QCOMPARE(form.values().value("path").toString(), QStringLiteral("/etc/ssl/shop"));
    }

    void errorLabelsFollowAPaletteChange() {
        ErrorLabel label(QStringLiteral("e"), QStringLiteral("Problem"), nullptr);
        label.showMessages({"Boom"});
        QPalette light;
        light.setColor(QPalette::Window, Qt::white);
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
        dark.setColor(QPalette::WindowText, Qt::white);
        QApplication::setPalette(dark); // delivered to the widgets as a posted event
        QTRY_COMPARE(label.palette().color(QPalette::WindowText), ErrorLabel::colorFor(dark));
        QApplication::setPalette(light);
        QTRY_COMPARE(label.palette().color(QPalette::WindowText), ErrorLabel::colorFor(light));
        // An information is in the normal text colour, an error again in the error colour.
        label.showInfo("Saved.");
        QCOMPARE(label.palette().color(QPalette::WindowText),
                 QApplication::palette().color(QPalette::WindowText));
        label.showMessages({"Boom"});
        QCOMPARE(label.palette().color(QPalette::WindowText), ErrorLabel::colorFor(light));
        QApplication::setPalette(QPalette());
        QCoreApplication::processEvents();
    }

    void errorsReadOnLightAndDarkPalettes() {
        const auto contrast = [](const QColor& a, const QColor& b) {
            const auto luminance = [](const QColor& c) {
                const auto channel = [](double v) {
                    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
                };
                return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
                       0.0722 * channel(c.blueF());
            };
            const double la = luminance(a), lb = luminance(b);
            return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
        };
        for (const QColor window : {QColor(Qt::white), QColor(0xef, 0xef, 0xef),
                                    QColor(0x2b, 0x2b, 0x2b), QColor(Qt::black)}) {
            QPalette palette;
            palette.setColor(QPalette::Window, window);
            const QColor error = ErrorLabel::colorFor(palette);
            QVERIFY2(contrast(error, window) >= 4.5,
                     qPrintable(QStringLiteral("%1 on %2").arg(error.name(), window.name())));
        }
    }
};

QTEST_MAIN(EditorModelsTest)
#include "test_editor_models.moc"
