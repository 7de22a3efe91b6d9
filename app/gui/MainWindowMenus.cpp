// The window's commands as actions (with their icons, shortcuts and tips), its menus and its
// toolbar.

#include "gui/MainWindow.h"

#include <QAction>
#include <QLineEdit>
#include <QMenuBar>
#include <QStyle>
#include <QToolBar>

namespace ck::gui {

void MainWindow::createActions() {
    // Icons from the desktop's theme, else the style's own (there is no theme under Xvfb).
    auto make = [this](const char* name, const QString& text, const QString& icon,
                       QStyle::StandardPixmap fallback, const QString& tip,
                       void (MainWindow::*slot)()) {
        auto* action =
            new QAction(QIcon::fromTheme(icon, style()->standardIcon(fallback)), text, this);
        action->setObjectName(QLatin1String(name));
        action->setToolTip(tip);
        action->setStatusTip(tip);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_actionNew =
        make("actionNew", tr("&New…"), QStringLiteral("document-new"), QStyle::SP_FileIcon,
             tr("Add a certificate to manage (Ctrl+N)"), &MainWindow::newCertificate);
    m_actionNew->setShortcut(QKeySequence::New);
    m_actionEdit = make("actionEdit", tr("&Edit…"), QStringLiteral("document-edit"),
                        QStyle::SP_FileDialogDetailedView,
                        tr("Edit the selected certificate (Enter)"), &MainWindow::editSelected);
    m_actionEdit->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    // Enter and Delete act on the list only: in the search field they keep their usual meaning.
    m_actionEdit->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_actionRequest = make("actionRequest", tr("&Request now"), QStringLiteral("view-refresh"),
                           QStyle::SP_BrowserReload,
                           tr("Request or renew the selected certificates now (Ctrl+R)"),
                           &MainWindow::requestSelected);
    m_actionRequest->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_actionTest =
        make("actionTest", tr("&Test"), QStringLiteral("system-run"), QStyle::SP_DialogApplyButton,
             tr("Check the selected certificate's configuration without requesting "
                "(Ctrl+T)"),
             &MainWindow::testSelected);
    m_actionTest->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_actionPreview = make("actionPreview", tr("&Preview"), QStringLiteral("document-preview"),
                           QStyle::SP_FileDialogContentsView,
                           tr("Show what a request of the selected certificate would do "
                              "(Ctrl+P)"),
                           &MainWindow::previewSelected);
    m_actionPreview->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_actionRevoke =
        make("actionRevoke", tr("Re&voke…"), QStringLiteral("security-low"),
             QStyle::SP_DialogCancelButton, tr("Revoke the selected certificates at their CA"),
             &MainWindow::revokeSelected);
    m_actionDelete =
        make("actionDelete", tr("&Delete"), QStringLiteral("edit-delete"), QStyle::SP_TrashIcon,
             tr("Delete the selected certificates (Del)"), &MainWindow::deleteSelected);
    m_actionDelete->setShortcut(QKeySequence::Delete);
    m_actionDelete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_actionRefresh = make("actionRefresh", tr("Re&fresh"), QStringLiteral("view-refresh"),
                           QStyle::SP_BrowserReload,
                           tr("Load the list again from the service (F5)"), &MainWindow::refresh);
    m_actionRefresh->setShortcut(QKeySequence(Qt::Key_F5));
    m_actionClearFilters = make("actionClearFilters", tr("&Show all"), QStringLiteral("edit-clear"),
                                QStyle::SP_DialogResetButton,
                                tr("Clear the search and the filters"), &MainWindow::clearFilters);

    auto* find = new QAction(tr("&Find"), this);
    find->setObjectName(QStringLiteral("actionFind"));
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_searchEdit->setFocus(Qt::ShortcutFocusReason);
        m_searchEdit->selectAll();
    });
    m_actionSettings = make("actionSettings", tr("&Settings…"), QStringLiteral("configure"),
                            QStyle::SP_FileDialogListView,
                            tr("Accounts, CAs, credentials, renewal defaults and connections "
                               "(Ctrl+,)"),
                            &MainWindow::showSettings);
    m_actionSettings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    auto* adopt = new QAction(tr("&Adopt Certificates…"), this);
    adopt->setObjectName(QStringLiteral("actionAdopt"));
    adopt->setStatusTip(tr("Take over the certificates certbot, lego or acme.sh made"));
    connect(adopt, &QAction::triggered, this, &MainWindow::showAdoption);
    auto* quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    quit->setStatusTip(tr("Close the window; the service goes on renewing"));
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_actionNew);
    file->addAction(adopt);
    file->addSeparator();
    file->addAction(m_actionSettings);
    file->addSeparator();
    file->addAction(quit);
    QMenu* certificate = menuBar()->addMenu(tr("&Certificate"));
    certificate->addActions({m_actionEdit, m_actionRequest, m_actionTest, m_actionPreview});
    certificate->addSeparator();
    certificate->addActions({m_actionRevoke, m_actionDelete});
    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addActions({find, m_actionClearFilters, m_actionRefresh});
    m_viewMenu = view;
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Certkeeper"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
    about->setStatusTip(tr("Versions, edition, license key and licences"));

    QToolBar* toolbar = addToolBar(tr("Certificates"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setMovable(false);
    toolbar->addActions({m_actionNew, m_actionEdit});
    toolbar->addSeparator();
    toolbar->addActions({m_actionRequest, m_actionTest, m_actionPreview});
    toolbar->addSeparator();
    toolbar->addActions({m_actionRevoke, m_actionDelete});
    toolbar->addSeparator();
    toolbar->addAction(m_actionRefresh);
}

} // namespace ck::gui
