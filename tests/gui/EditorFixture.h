#pragma once
// The fixture of the editor and settings tests: a real service (automatic renewal paused, the
// development license so that more than 5 items fit), a client of it, and helpers that open
// the editor and the settings and check what a keyboard or screen-reader user meets.

#include "DevLicense.h"
#include "EditorTestSupport.h"
#include "ServiceAccess.h"
#include "client/ApiClient.h"
#include "client/BlockingCall.h"
#include "gui/CertificateEditorDialog.h"
#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "gui/editor/DomainListModel.h"
#include "gui/editor/ItemLogFeed.h"
#include "gui/editor/ItemLogModel.h"
#include "gui/editor/LogTab.h"
#include "gui/editor/TaskEditorDialog.h"
#include "gui/settings/CredentialDialog.h"
#include "gui/settings/CustomCaDialog.h"
#include "gui/settings/RegisterAccountDialog.h"
#include "gui/settings/ServerDialog.h"
#include "gui/settings/SettingsDialog.h"
#include "model/CertificateAuthority.h"

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

namespace ck::test {

using namespace ck::gui;

const QJsonObject itemNamed(const ServiceProcess& service, const QString& name) {
    const auto list = rawHttpFor(service).get("/api/managedcertificates?limit=100").json();
    for (const auto& v : list.value("items").toArray())
        if (v.toObject().value("name").toString() == name)
            return v.toObject();
    return {};
}

inline QString createCredential(const ServiceProcess& service, const QString& type,
                                const QString& title, const QJsonObject& values) {
    const auto r = rawHttpFor(service).post(
        "/api/credentials", QJsonObject{{"type", type}, {"title", title}, {"values", values}});
    if (r.status != 201)
        qWarning("credential: %d %s", r.status, r.body.c_str());
    return r.json().value("id").toString();
}

inline QStringList treeColumn(const QTreeWidget* tree, int column) {
    QStringList texts;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        texts.append(tree->topLevelItem(i)->text(column));
    return texts;
}

inline bool selectRow(QTreeWidget* tree, int column, const QString& text) {
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(column) == text) {
            tree->setCurrentItem(tree->topLevelItem(i));
            return true;
        }
    return false;
}

inline QString allLogText(const CertificateEditorDialog& dialog) {
    QStringList lines;
    for (const LogEntry& e : dialog.findChild<LogTab*>()->model()->entries())
        lines.append(ItemLogModel::lineOf(e));
    return lines.join(u'\n');
}

// The Alt+letter shortcuts of the controls a user sees now (captions with a buddy, buttons,
// the tab bar): a letter used twice does nothing useful.
inline QStringList mnemonicClashes(const QWidget* window) {
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
inline QStringList unnamedControls(const QWidget* window) {
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
inline QRect inWindow(const QWidget* w) {
    return QRect(w->mapTo(w->window(), QPoint(0, 0)), w->size());
}

// The service and a client of it, started by a test class's initTestCase (startService) and
// stopped by its cleanupTestCase (stopService).
class EditorFixture : public QObject {
protected:
    std::unique_ptr<ServiceProcess> m_service;
    std::unique_ptr<ApiClient> m_client;

    std::unique_ptr<CertificateEditorDialog> openEditor(const ManagedCertificate& item = {}) {
        auto dialog = std::make_unique<CertificateEditorDialog>(m_client.get(), item);
        dialog->show();
        // The choices are read from the service: wait for the CA list (the built-in CAs at
        // least; the test service has no custom ones unless a test adds them).
        const auto builtIn = builtInCertificateAuthorities().size();
        (void)QTest::qWaitFor(
            [&] { return child<QComboBox>(dialog.get(), "caCombo")->count() >= builtIn; }, kWaitMs);
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

    // The editor requests by hand; the scheduler must not start the new items first (saving
    // the preferences wakes it). The tests add more than the Community edition's 5 items.
    bool startService() {
        m_service = std::make_unique<ServiceProcess>();
        if (!m_service->pauseAutomaticRenewal() || !m_service->start() ||
            !activateDevLicense(*m_service)) {
            qWarning("%s", qPrintable(m_service->output()));
            return false;
        }
        m_client = std::make_unique<ApiClient>(entryFor(*m_service), m_service->dataDir());
        return true;
    }

    void stopService() {
        m_client.reset();
        m_service.reset();
    }
};

} // namespace ck::test
