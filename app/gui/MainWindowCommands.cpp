// The toolbar's commands: each asks the service and returns at once; the status bar shows the
// work, the list shows the outcome, and a failure is shown in the service's own words.

#include "client/ApiClient.h"
#include "gui/AboutPage.h"
#include "gui/AdoptDialog.h"
#include "gui/CertificateEditorDialog.h"
#include "gui/CertificateFilterProxy.h"
#include "gui/CertificateListModel.h"
#include "gui/CheckResultsDialog.h"
#include "gui/EditionPrompts.h"
#include "gui/ListFreshness.h"
#include "gui/MainWindow.h"
#include "gui/WorkIndicator.h"
#include "gui/settings/SettingsDialog.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <memory>

namespace ck::gui {

namespace {
// The names of the items, for a question or a report: all of a few, the first ten of many.
QString nameList(const QStringList& names) {
    constexpr int kNamesShown = 10;
    QStringList lines;
    for (int i = 0; i < names.size() && i < kNamesShown; ++i)
        lines.append(QStringLiteral("  • ") + names[i]);
    if (names.size() > kNamesShown)
        lines.append(MainWindow::tr("  … and %1 more").arg(names.size() - kNamesShown));
    return lines.join(QLatin1Char('\n'));
}

QStringList namesOf(const QList<ManagedCertificate>& items) {
    QStringList names;
    for (const auto& item : items)
        names.append(item.name);
    return names;
}

QString deleteQuestion(const QList<ManagedCertificate>& items) {
    if (items.size() == 1)
        return MainWindow::tr("Delete the certificate “%1”?\n\nCertkeeper will no longer renew "
                              "it.")
            .arg(items.first().name);
    return MainWindow::tr("Delete these %1 certificates?\n\n%2\n\nCertkeeper will no longer "
                          "renew them.")
        .arg(items.size())
        .arg(nameList(namesOf(items)));
}

// RFC 5280 reasons an ACME CA accepts from a subscriber, as the service takes them.
struct Reason {
    int code;
    const char* text;
};
constexpr Reason kReasons[] = {
    {4, QT_TRANSLATE_NOOP("ck::gui::MainWindow", "Superseded (replaced by a new certificate)")},
    {5, QT_TRANSLATE_NOOP("ck::gui::MainWindow", "Cessation of operation (no longer used)")},
    {1, QT_TRANSLATE_NOOP("ck::gui::MainWindow", "Key compromise (the private key leaked)")},
    {3, QT_TRANSLATE_NOOP("ck::gui::MainWindow", "Affiliation changed")},
    {0, QT_TRANSLATE_NOOP("ck::gui::MainWindow", "Unspecified")},
};
} // namespace

bool MainWindow::askToConfirm(QWidget* parent, const QString& question) {
    QMessageBox box(QMessageBox::Warning, tr("Delete certificates"), question, QMessageBox::Cancel,
                    parent);
    QPushButton* remove = box.addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == remove;
}

std::optional<int> MainWindow::askRevocationReason(QWidget* parent,
                                                   const QList<ManagedCertificate>& items) {
    QDialog dialog(parent);
    dialog.setWindowTitle(tr("Revoke certificates"));
    auto* text = new QLabel(
        tr("Revoke the current certificate of:\n\n%1\n\nThe CA will tell every client that asks "
           "that it must no longer be trusted. This cannot be undone; request a new certificate "
           "before revoking one that is in use.")
            .arg(nameList(namesOf(items))),
        &dialog);
    text->setWordWrap(true);
    auto* reason = new QComboBox(&dialog);
    reason->setAccessibleName(tr("Reason for the revocation"));
    for (const Reason& r : kReasons)
        reason->addItem(tr(r.text), r.code);
    auto* reasonLabel = new QLabel(tr("&Reason:"), &dialog);
    reasonLabel->setBuddy(reason);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, &dialog);
    buttons->addButton(tr("Re&voke"), QDialogButtonBox::DestructiveRole);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::clicked, &dialog, [&](QAbstractButton* button) {
        if (buttons->buttonRole(button) == QDialogButtonBox::DestructiveRole)
            dialog.accept();
    });
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(text);
    layout->addWidget(reasonLabel);
    layout->addWidget(reason);
    layout->addWidget(buttons);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return reason->currentData().toInt();
}

void MainWindow::showError(const QString& title, const QString& text) {
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorMessage"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::forEachItem(const QList<ManagedCertificate>& items, const QString& doing,
                             const QString& failureTitle, PerItemCall call) {
    if (items.isEmpty())
        return;
    struct Batch {
        int remaining = 0;
        int work = 0;
        QStringList failures;
    };
    auto batch = std::make_shared<Batch>();
    batch->remaining = int(items.size());
    batch->work = m_work->begin(doing, int(items.size()));
    const auto settle = [this, batch, failureTitle] {
        m_work->advance(batch->work);
        if (--batch->remaining > 0)
            return;
        m_work->end(batch->work);
        fetchSummary();
        if (!batch->failures.isEmpty())
            showError(failureTitle, batch->failures.join(QStringLiteral("\n\n")));
    };
    for (const auto& item : items) {
        call(item, this, settle, [batch, settle, name = item.name](const ApiError& error) {
            batch->failures.append(QStringLiteral("“%1”: %2").arg(name, error.detail));
            settle();
        });
    }
}

void MainWindow::showAbout() {
    m_tabs->setCurrentWidget(m_aboutPage);
}

void MainWindow::showSettings() {
    if (!m_settings) {
        auto* settings = new SettingsDialog(m_client, m_dataDir, this);
        settings->setAttribute(Qt::WA_DeleteOnClose);
        connect(settings, &SettingsDialog::serversChanged, this, &MainWindow::serversEdited);
        m_settings = settings;
    }
    m_settings->show();
    m_settings->raise();
    m_settings->activateWindow();
}

void MainWindow::showAdoption() {
    if (!m_adoption) {
        auto* dialog = new AdoptDialog(m_client, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &AdoptDialog::adopted, this, &MainWindow::refresh);
        m_adoption = dialog;
    }
    m_adoption->show();
    m_adoption->raise();
    m_adoption->activateWindow();
}

void MainWindow::newCertificate() {
    openEditor(ManagedCertificate{});
}

void MainWindow::editSelected() {
    const auto items = selectedItems();
    if (items.size() == 1)
        openEditor(items.first());
}

void MainWindow::openEditor(const ManagedCertificate& item) {
    auto* dialog = new CertificateEditorDialog(m_client, item, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CertificateEditorDialog::saved, this,
            [this](const ManagedCertificate& stored) {
                m_model->upsert({stored});
                const QModelIndex row =
                    m_proxy->mapFromSource(m_model->index(m_model->rowOfId(stored.id), 0));
                m_table->selectionModel()->select(row, QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
                m_table->scrollTo(row);
                fetchSummary();
            });
    connect(dialog, &CertificateEditorDialog::licenseChanged, m_reminder,
            &EditionReminder::display);
    dialog->open();
}

void MainWindow::deleteSelected() {
    const auto items = selectedItems();
    if (items.isEmpty() || !m_confirm(this, deleteQuestion(items)))
        return;
    forEachItem(items, tr("Deleting"), tr("Some certificates were not deleted"),
                [this](const ManagedCertificate& item, QObject* context, auto done, auto failed) {
                    m_client->deleteItem(
                        item.id, context,
                        [this, done](const QString& id) {
                            m_model->removeId(id);
                            done();
                        },
                        [this, id = item.id, done, failed](const ApiError& error) {
                            if (error.kind != ApiError::Kind::NotFound)
                                return failed(error);
                            m_model->removeId(id); // deleted meanwhile: the same outcome
                            done();
                        });
                });
}

void MainWindow::requestSelected() {
    forEachItem(selectedItems(), tr("Starting requests"), tr("Some requests were not started"),
                [this](const ManagedCertificate& item, QObject* context, auto done, auto failed) {
                    m_client->requestCertificate(
                        item.id, context,
                        [this, id = item.id, done](const RequestStarted&) {
                            // Shown at once; the live events (or polling) tell the rest.
                            m_model->setProgress({id, QStringLiteral("Queued"), {}, {}});
                            m_freshness->watch(id);
                            done();
                        },
                        failed);
                });
}

void MainWindow::testSelected() {
    showCheckResults(false);
}

void MainWindow::previewSelected() {
    showCheckResults(true);
}

void MainWindow::showCheckResults(bool preview) {
    const auto items = selectedItems();
    if (items.size() != 1)
        return;
    const ManagedCertificate item = items.first();
    const int work = m_work->begin(preview ? tr("Preparing the preview of “%1”").arg(item.name)
                                           : tr("Testing “%1”").arg(item.name));
    const auto show = [this, work](CheckResultsDialog* dialog) {
        m_work->end(work);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    };
    const auto failed = [this, work, preview, name = item.name](const ApiError& error) {
        m_work->end(work);
        showError(preview ? tr("No preview") : tr("Test not run"),
                  (preview ? tr("The service could not preview “%1”: %2")
                           : tr("The service could not test “%1”: %2"))
                      .arg(name, error.detail));
    };
    // Checks may take tens of seconds (DNS, the CA): they wait longer than other calls.
    if (preview)
        m_client->previewItem(item.id, std::nullopt, this,
                              [this, show, name = item.name](const QList<ActionStep>& steps) {
                                  show(new CheckResultsDialog(name, steps, this));
                              },
                              failed, {kChecksTimeout});
    else
        m_client->testItem(item.id, std::nullopt, this,
                           [this, show, name = item.name](const TestReport& report) {
                               show(new CheckResultsDialog(name, report, this));
                           },
                           failed, {kChecksTimeout});
}

void MainWindow::revokeSelected() {
    QList<ManagedCertificate> items;
    for (const auto& item : selectedItems())
        if (item.dateExpiry.isValid() && !item.certificateRevoked)
            items.append(item);
    if (items.isEmpty())
        return;
    const std::optional<int> reason = m_askReason(this, items);
    if (!reason)
        return;
    forEachItem(items, tr("Revoking"), tr("Some certificates were not revoked"),
                [this, code = *reason](const ManagedCertificate& item, QObject* context, auto done,
                                       auto failed) {
                    m_client->revokeCertificate(
                        item.id, code, context,
                        [this, done](const ManagedCertificate& stored) {
                            m_model->upsert({stored});
                            done();
                        },
                        failed);
                });
}

} // namespace ck::gui
