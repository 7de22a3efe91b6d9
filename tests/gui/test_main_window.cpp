// The manager window against the real service: it lists what the API holds, creates through
// the editor, keeps the user's text on a conflict, deletes after confirmation, and explains a
// stopped service. The summary strip and the timeline filter the list; Request now, Test,
// Preview and Revoke show their outcome in the service's words; live events update the list.

#include "MainWindowTestSupport.h"

using namespace ck;
using namespace ck::test;

class MainWindowTest : public MainWindowFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { startService(); }
    void cleanupTestCase() { stopServices(); }
    void init() { QSettings().clear(); }

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

    void summaryStripAndTimelineFilterTheList() {
        if (!m_fleet)
            m_fleet = populatedService(300);
        QVERIFY(m_fleet);
        MainWindow window(m_fleet->dataDir());
        window.show();
        QTableView* table = tableOf(window);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 300, kWaitMs);
        const QJsonObject byHealth = rawHttpFor(*m_fleet)
                                         .get("/api/managedcertificates/summary")
                                         .json()["byHealth"]
                                         .toObject();
        auto* strip = window.findChild<gui::SummaryStrip*>();
        QVERIFY(strip);

        // A health button shows its count and, checked, exactly those rows.
        QToolButton* errors = strip->healthButton(Health::Error);
        const int errorCount = byHealth.value("Error").toInt();
        QVERIFY(errorCount > 0);
        QCOMPARE(errors->text(), QStringLiteral("%1 Error").arg(errorCount));
        QVERIFY(!errors->accessibleName().isEmpty());
        QTest::mouseClick(errors, Qt::LeftButton);
        QCOMPARE(table->model()->rowCount(), errorCount);
        for (int row = 0; row < table->model()->rowCount(); ++row)
            QCOMPARE(
                table->model()->index(row, CertificateListModel::HealthColumn).data().toString(),
                QStringLiteral("Error"));
        auto* filterLabel = childOf<QLabel>(&window, "filterLabel");
        QVERIFY(filterLabel->isVisible());
        QCOMPARE(filterLabel->text(),
                 QStringLiteral("Showing %1 of 300 certificates").arg(errorCount));
        // A second health adds to the first.
        QTest::mouseClick(strip->healthButton(Health::Warning), Qt::LeftButton);
        QCOMPARE(table->model()->rowCount(), errorCount + byHealth.value("Warning").toInt());

        // Show all clears every filter, the buttons too.
        trigger(window, "actionClearFilters");
        QCOMPARE(table->model()->rowCount(), 300);
        QVERIFY(!errors->isChecked());
        QVERIFY(!filterLabel->isVisible());

        // The timeline: a click on the overdue box shows what expired or is overdue.
        gui::ExpiryTimelineView* timeline = strip->timeline();
        const auto* model = window.listModel();
        const QDateTime startOfToday = QDate::currentDate().startOfDay().toUTC();
        int overdue = 0;
        for (int row = 0; row < model->rowCount(); ++row) {
            const auto& item = model->item(row);
            const QDateTime renewal = CertificateListModel::nextRenewal(item);
            overdue += (item.dateExpiry.isValid() && item.dateExpiry < startOfToday) ||
                       (renewal.isValid() && renewal < startOfToday);
        }
        QVERIFY(overdue > 0);
        QTest::mouseClick(timeline, Qt::LeftButton, {}, timeline->rowRect(0).center());
        QCOMPARE(table->model()->rowCount(), overdue);
        // A day and, with shift, the days up to another: their bars' certificates.
        QTest::mouseClick(timeline, Qt::LeftButton, {}, timeline->rowRect(1).center());
        QTest::mouseClick(timeline, Qt::LeftButton, Qt::ShiftModifier,
                          timeline->rowRect(30).center());
        QCOMPARE(timeline->firstChosen(), 1);
        QCOMPARE(timeline->lastChosen(), 30);
        const QDateTime in30Days = QDate::currentDate().addDays(30).startOfDay().toUTC();
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            const QModelIndex index = table->model()->index(row, 0);
            const QDateTime expiry = index.data(CertificateListModel::ExpiryRole).toDateTime();
            const QDateTime renewal =
                index.data(CertificateListModel::NextRenewalRole).toDateTime();
            QVERIFY((expiry >= startOfToday && expiry < in30Days) ||
                    (renewal >= startOfToday && renewal < in30Days));
        }
        QVERIFY(table->model()->rowCount() > 0);
        // Escape on the timeline shows all again.
        timeline->setFocus();
        QTest::keyClick(timeline, Qt::Key_Escape);
        QCOMPARE(table->model()->rowCount(), 300);

        // The search combines with the filters.
        childOf<QLineEdit>(&window, "searchEdit")->setText(QStringLiteral("northwind"));
        QTRY_VERIFY(table->model()->rowCount() < 300);
        const int found = table->model()->rowCount();
        QVERIFY(found > 0);
        QTest::mouseClick(errors, Qt::LeftButton);
        QVERIFY(table->model()->rowCount() <= found);
        for (int row = 0; row < table->model()->rowCount(); ++row)
            QVERIFY(table->model()
                        ->index(row, 0)
                        .data(CertificateListModel::SearchTextRole)
                        .toString()
                        .contains("northwind"));
    }

    void requestNowShowsProgressAndTheOutcome() {
        const QString id = createRaw(*m_service, QStringLiteral("Request me"),
                                     {QStringLiteral("request.example.com")});
        QVERIFY(!id.isEmpty());
        auto window = openWindow();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(*window, QStringLiteral("Request me")) >= 0, kWaitMs);
        tableOf(*window)->selectRow(rowOfName(*window, QStringLiteral("Request me")));
        trigger(*window, "actionRequest");
        // No ACME account is registered: the service accepts the request, then records why it
        // failed. The row says so in the service's words.
        const auto healthCell = [&] {
            return tableOf(*window)->model()->index(
                rowOfName(*window, QStringLiteral("Request me")),
                CertificateListModel::HealthColumn);
        };
        QTRY_COMPARE_WITH_TIMEOUT(healthCell().data().toString(), QStringLiteral("Error"), kWaitMs);
        const QString stored = rawHttpFor(*m_service)
                                   .get("/api/managedcertificates/" + id.toStdString())
                                   .json()
                                   .value("renewalFailureMessage")
                                   .toString();
        QVERIFY2(stored.contains("no ACME account"), qPrintable(stored));
        QCOMPARE(healthCell().data(Qt::ToolTipRole).toString(), stored);
        QVERIFY(childOf<QLabel>(window.get(), "liveLabel")->text().startsWith("Refreshed every") ||
                window->liveUpdates()->isLive());
    }

    void liveEventsUpdateTheListWithoutARefresh() {
        auto window = openWindow();
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(*window), QStringLiteral("listPage"), kWaitMs);
        auto* live = childOf<QLabel>(window.get(), "liveLabel");
        QTRY_COMPARE_WITH_TIMEOUT(live->text(), QStringLiteral("● Live"), kWaitMs);
        QVERIFY(!live->accessibleName().isEmpty());

        // Made behind the window's back: the event brings it, not a reload (the window reloads
        // every 5 minutes while live).
        const QString id = createRaw(*m_service, QStringLiteral("Arrives live"),
                                     {QStringLiteral("live.example.com")});
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(*window, QStringLiteral("Arrives live")) >= 0, 3000);

        // A request's log lines come into the activity panel, its end into the row.
        window->findChild<QDockWidget*>(QStringLiteral("activityDock"))->show();
        tableOf(*window)->selectRow(rowOfName(*window, QStringLiteral("Arrives live")));
        trigger(*window, "actionRequest");
        auto* activity = childOf<QPlainTextEdit>(window.get(), "activityLog");
        QTRY_VERIFY_WITH_TIMEOUT(activity->toPlainText().contains("no ACME account"), kWaitMs);
        QVERIFY2(activity->toPlainText().contains("Arrives live"),
                 qPrintable(activity->toPlainText()));
        QTRY_COMPARE_WITH_TIMEOUT(tableOf(*window)
                                      ->model()
                                      ->index(rowOfName(*window, QStringLiteral("Arrives live")),
                                              CertificateListModel::HealthColumn)
                                      .data()
                                      .toString(),
                                  QStringLiteral("Error"), kWaitMs);

        QCOMPARE(rawHttpFor(*m_service).del("/api/managedcertificates/" + id.toStdString()).status,
                 204);
        QTRY_COMPARE_WITH_TIMEOUT(rowOfName(*window, QStringLiteral("Arrives live")), -1, 3000);
    }

    void testAndPreviewShowTheServiceAnswerInWords() {
        auto window = openWindow();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfName(*window, QStringLiteral("Mail")) >= 0, kWaitMs);
        const QString id = tableOf(*window)
                               ->model()
                               ->index(rowOfName(*window, QStringLiteral("Mail")), 0)
                               .data(CertificateListModel::IdRole)
                               .toString();
        for (const char* action : {"actionTest", "actionPreview"}) {
            const bool preview = QByteArray(action) == "actionPreview";
            tableOf(*window)->selectRow(rowOfName(*window, QStringLiteral("Mail")));
            trigger(*window, action);
            // What the service answers this route, read behind the window's back.
            const auto answer = rawHttpFor(*m_service)
                                    .post("/api/managedcertificates/" + id.toStdString() +
                                              (preview ? "/preview" : "/test"),
                                          QJsonObject{});
            if (answer.status == 200) {
                gui::CheckResultsDialog* dialog = nullptr;
                QTRY_VERIFY_WITH_TIMEOUT((dialog = window->findChild<gui::CheckResultsDialog*>()) &&
                                             dialog->isVisible(),
                                         kChecksWaitMs);
                // The service's steps or checks, in words.
                const QJsonArray parts =
                    answer.json().value(preview ? "steps" : "checks").toArray();
                QVERIFY(!parts.isEmpty());
                for (const auto& part : parts)
                    QVERIFY2(dialog->text().contains(part.toObject().value("title").toString()),
                             qPrintable(dialog->text()));
                QVERIFY(dialog->windowTitle().contains("Mail"));
                QVERIFY2(!dialog->text().contains('{'), qPrintable(dialog->text()));
                dialog->close();
                QTRY_VERIFY(!window->findChild<gui::CheckResultsDialog*>());
            } else {
                // Not (yet) there, or refused: the service's sentence, never its JSON.
                QMessageBox* box = waitForErrorBox(*window, kChecksWaitMs);
                QVERIFY(box);
                const QString detail = answer.json().value("detail").toString();
                QVERIFY(!detail.isEmpty());
                QVERIFY2(box->text().contains(detail), qPrintable(box->text()));
                QVERIFY2(box->text().contains("Mail"), qPrintable(box->text()));
                QVERIFY2(!box->text().contains('{'), qPrintable(box->text()));
                box->close();
                QTRY_VERIFY(!window->findChild<QMessageBox*>(QStringLiteral("errorMessage")));
            }
        }
    }

    void revokeAsksForAReasonAndReportsTheServiceError() {
        if (!m_fleet)
            m_fleet = populatedService(300);
        QVERIFY(m_fleet);
        MainWindow window(m_fleet->dataDir());
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(tableOf(window)->model()->rowCount(), 300, kWaitMs);
        // The sample items have certificate dates but no certificate files.
        auto* strip = window.findChild<gui::SummaryStrip*>();
        QTest::mouseClick(strip->healthButton(Health::Ok), Qt::LeftButton);
        tableOf(window)->selectRow(0);
        const QString name = tableOf(window)->model()->index(0, 0).data().toString();
        auto* revoke = window.findChild<QAction*>(QStringLiteral("actionRevoke"));
        QVERIFY(revoke->isEnabled());

        QList<ManagedCertificate> asked;
        window.setRevocationReason(
            [&](QWidget*, const QList<ManagedCertificate>& items) -> std::optional<int> {
                asked = items;
                return std::nullopt; // cancelled
            });
        revoke->trigger();
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.first().name, name);
        QTest::qWait(300);
        QVERIFY(!window.findChild<QMessageBox*>(QStringLiteral("errorMessage")));

        window.setRevocationReason(
            [](QWidget*, const QList<ManagedCertificate>&) -> std::optional<int> { return 4; });
        revoke->trigger();
        QMessageBox* box = waitForErrorBox(window);
        QVERIFY(box);
        QCOMPARE(box->windowTitle(), QStringLiteral("Some certificates were not revoked"));
        QCOMPARE(box->text(), QStringLiteral("“%1”: '%1' has no certificate to revoke").arg(name));
        box->close();

        // Not issued yet: nothing to revoke.
        trigger(window, "actionClearFilters");
        QTest::mouseClick(strip->healthButton(Health::NotYetIssued), Qt::LeftButton);
        tableOf(window)->selectRow(0);
        QVERIFY(!revoke->isEnabled());
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
