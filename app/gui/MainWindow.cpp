#include "MainWindow.h"

#include "ApiClient.h"
#include "CertificateEditorDialog.h"
#include "CertificateListLoader.h"
#include "CertificateListModel.h"
#include "ConnectionProblemPage.h"
#include "DataPaths.h"

#include <QAction>
#include <QDateTime>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <utility>

namespace ck::gui {

namespace {
constexpr int kSearchDebounceMs = 250;
const QString kWindowIcon = QStringLiteral(":/icons/certkeeper.svg");

bool askWithMessageBox(QWidget* parent, const QString& question) {
    QMessageBox box(QMessageBox::Warning, MainWindow::tr("Delete certificates"), question,
                    QMessageBox::Cancel, parent);
    QPushButton* remove = box.addButton(MainWindow::tr("&Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == remove;
}

QString deleteQuestion(const QList<ManagedCertificate>& items) {
    if (items.size() == 1)
        return MainWindow::tr("Delete the certificate “%1”?\n\nCertkeeper will no longer renew "
                              "it.")
            .arg(items.first().name);
    constexpr int kNamesShown = 10;
    QStringList names;
    for (int i = 0; i < items.size() && i < kNamesShown; ++i)
        names.append(QStringLiteral("  • ") + items[i].name);
    if (items.size() > kNamesShown)
        names.append(MainWindow::tr("  … and %n more", nullptr, int(items.size()) - kNamesShown));
    return MainWindow::tr("Delete these %n certificates?\n\n%1\n\nCertkeeper will no longer renew "
                          "them.",
                          nullptr, int(items.size()))
        .arg(names.join(QLatin1Char('\n')));
}

// English plurals without a translation catalogue ("%n item(s)" would show the brackets).
QString countOf(int n, const char* singular, const char* plural) {
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? singular : plural));
}

QString countsText(const ItemSummary& summary) {
    QStringList parts;
    for (auto it = summary.byHealth.cbegin(); it != summary.byHealth.cend(); ++it)
        if (it.value() > 0)
            parts.append(QStringLiteral("%1 %2")
                             .arg(it.value())
                             .arg(CertificateListModel::healthText(it.key()).toLower()));
    QString text = countOf(summary.total, "certificate", "certificates");
    if (!parts.isEmpty())
        text += QStringLiteral(": ") + parts.join(QStringLiteral(", "));
    return text + QStringLiteral(" · ") + countOf(summary.totalDomains, "domain", "domains");
}

// A recovery event as the banner tells it: when, what happened, what may be missing and where
// the damaged file was kept, from the service's own sentences.
QString recoveryHtml(const QJsonObject& event) {
    const auto escaped = [&](const char* key) {
        return event.value(key).toString().toHtmlEscaped();
    };
    QString html = QStringLiteral("<p>");
    const QDateTime time = QDateTime::fromString(event.value("time").toString(), Qt::ISODateWithMs);
    if (time.isValid())
        html +=
            QStringLiteral("<b>%1:</b> ")
                .arg(QLocale().toString(time.toLocalTime(), QLocale::ShortFormat).toHtmlEscaped());
    html += escaped("summary");
    if (!event.value("possiblyMissing").toString().isEmpty())
        html += QStringLiteral("<br><b>%1</b> %2")
                    .arg(MainWindow::tr("What may be missing:"), escaped("possiblyMissing"));
    if (!event.value("quarantinedFile").toString().isEmpty())
        html +=
            QStringLiteral("<br><b>%1</b> %2")
                .arg(MainWindow::tr("The damaged file was kept at:"), escaped("quarantinedFile"));
    return html + QStringLiteral("</p>");
}

QString recoveryKey(const QJsonObject& event) {
    return event.value("time").toString() + QLatin1Char('|') +
           event.value("quarantinedFile").toString() + QLatin1Char('|') +
           event.value("summary").toString();
}

QString portNoticeText(const QJsonObject& bind) {
    const QString reason = bind.value("reason").toString();
    const QString why = reason.contains(QLatin1String("in use"))
                            ? MainWindow::tr("was in use")
                            : MainWindow::tr("could not be used");
    QString text = MainWindow::tr("The service is using port %1 because port %2 %3")
                       .arg(bind.value("boundPort").toInt())
                       .arg(bind.value("requestedPort").toInt())
                       .arg(why);
    if (!reason.isEmpty())
        text += QStringLiteral(" (%1)").arg(reason);
    return text + MainWindow::tr(". Certkeeper follows it there; to get port %1 back, stop what "
                                 "holds it and restart the service.")
                      .arg(bind.value("requestedPort").toInt());
}

// A notice above the list: a tinted frame with a style icon and a word-wrapped text.
QFrame* makeNotice(QWidget* parent, const QString& name, QStyle::StandardPixmap icon,
                   QLabel*& text) {
    auto* frame = new QFrame(parent);
    frame->setObjectName(name);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setAutoFillBackground(true);
    auto* iconLabel = new QLabel(frame);
    const int size = frame->style()->pixelMetric(QStyle::PM_SmallIconSize) * 2;
    iconLabel->setPixmap(frame->style()->standardIcon(icon, nullptr, frame).pixmap(size, size));
    iconLabel->setAlignment(Qt::AlignTop);
    text = new QLabel(frame);
    text->setWordWrap(true);
    // Paths are copied from here into a terminal or a support request.
    text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    text->setMinimumWidth(200); // long paths are clipped, not widening the window
    auto* layout = new QHBoxLayout(frame);
    layout->addWidget(iconLabel);
    layout->addWidget(text, 1);
    frame->hide();
    return frame;
}

void tint(QWidget* widget, const QColor& base, const QColor& accent, float amount) {
    QPalette palette = widget->palette();
    palette.setColor(QPalette::Window,
                     QColor::fromRgbF(base.redF() + (accent.redF() - base.redF()) * amount,
                                      base.greenF() + (accent.greenF() - base.greenF()) * amount,
                                      base.blueF() + (accent.blueF() - base.blueF()) * amount));
    widget->setPalette(palette);
}
} // namespace

MainWindow::MainWindow(const QString& dataDir, QWidget* parent)
    : QMainWindow(parent), m_dataDir(dataDir), m_confirm(askWithMessageBox) {
    setObjectName(QStringLiteral("mainWindow"));
    loadServerEntry();
    m_client = new ApiClient(m_server, m_dataDir, this);
    connect(m_client, &ApiClient::serverMoved, this,
            [this](const ServerEntry& now, const QString& explanation) {
                m_server = now;
                statusBar()->showMessage(explanation, 15000);
                forgetDiagnostics(); // a service that moved has started anew
                fetchDiagnostics();
            });
    m_loader = new CertificateListLoader(m_client, this);
    m_model = new CertificateListModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(CertificateListModel::SortRole);

    createActions();
    m_listPage = createListPage();
    m_problemPage = new ConnectionProblemPage(this);
    connect(m_problemPage, &ConnectionProblemPage::retryRequested, this, &MainWindow::refresh);
    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("pages"));
    m_pages->addWidget(m_listPage);
    m_pages->addWidget(m_problemPage);
    setCentralWidget(m_pages);

    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("countsLabel"));
    m_serviceLabel = new QLabel(this);
    m_serviceLabel->setObjectName(QStringLiteral("serviceLabel"));
    statusBar()->addPermanentWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_serviceLabel);

    connect(m_loader, &CertificateListLoader::pageLoaded, this,
            [this](const QList<ManagedCertificate>& items, int loaded, int total) {
                if (m_replaceOnNextPage) {
                    m_model->clear();
                    m_replaceOnNextPage = false;
                }
                m_model->upsert(items);
                if (loaded < total)
                    statusBar()->showMessage(
                        tr("Loading certificates: %1 of %2…").arg(loaded).arg(total));
                showListPage();
            });
    connect(m_loader, &CertificateListLoader::finished, this, [this](const QSet<QString>& ids) {
        m_model->removeAllExcept(ids);
        if (statusBar()->currentMessage().startsWith(tr("Loading certificates")))
            statusBar()->clearMessage();
    });
    connect(m_loader, &CertificateListLoader::failed, this, &MainWindow::handleFailure);

    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(kPollSeconds * 1000);
    connect(m_pollTimer, &QTimer::timeout, this, [this] {
        if (!m_loader->isLoading()) // a slow load is still the freshest answer coming
            refresh();
    });
    m_pollTimer->start();

    setWindowTitle(tr("Certkeeper — %1").arg(m_server.displayName));
    if (QFile::exists(kWindowIcon)) // compiled into the app, not into the tests
        setWindowIcon(QIcon(kWindowIcon));
    resize(960, 600);
    updateActions();
    refresh();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
    auto make = [this](const char* name, const QString& text, const QString& icon,
                       const QString& tip) {
        auto* action = new QAction(QIcon::fromTheme(icon), text, this);
        action->setObjectName(QLatin1String(name));
        action->setToolTip(tip);
        action->setStatusTip(tip);
        return action;
    };
    m_actionNew = make("actionNew", tr("&New…"), QStringLiteral("document-new"),
                       tr("Add a certificate to manage (Ctrl+N)"));
    m_actionNew->setShortcut(QKeySequence::New);
    connect(m_actionNew, &QAction::triggered, this, &MainWindow::newCertificate);

    m_actionEdit = make("actionEdit", tr("&Edit…"), QStringLiteral("document-edit"),
                        tr("Edit the selected certificate (Enter)"));
    m_actionEdit->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    // Enter and Delete act on the list only: in the search field they keep their usual meaning.
    m_actionEdit->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_actionEdit, &QAction::triggered, this, &MainWindow::editSelected);

    m_actionDelete = make("actionDelete", tr("&Delete"), QStringLiteral("edit-delete"),
                          tr("Delete the selected certificates (Del)"));
    m_actionDelete->setShortcut(QKeySequence::Delete);
    m_actionDelete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_actionDelete, &QAction::triggered, this, &MainWindow::deleteSelected);

    m_actionRefresh = make("actionRefresh", tr("&Refresh"), QStringLiteral("view-refresh"),
                           tr("Load the list again from the service (F5)"));
    m_actionRefresh->setShortcut(QKeySequence(Qt::Key_F5));
    connect(m_actionRefresh, &QAction::triggered, this, &MainWindow::refresh);

    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_searchEdit->setFocus(Qt::ShortcutFocusReason);
        m_searchEdit->selectAll();
    });
    addAction(find);

    QToolBar* toolbar = addToolBar(tr("Certificates"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setMovable(false);
    toolbar->addActions({m_actionNew, m_actionEdit, m_actionDelete});
    toolbar->addSeparator();
    toolbar->addAction(m_actionRefresh);
}

QWidget* MainWindow::createListPage() {
    auto* page = new QWidget(this);
    page->setObjectName(QStringLiteral("listPage"));

    m_searchEdit = new QLineEdit(page);
    m_searchEdit->setObjectName(QStringLiteral("searchEdit"));
    m_searchEdit->setPlaceholderText(tr("Search names and domains (Ctrl+F)"));
    m_searchEdit->setAccessibleName(tr("Search certificates"));
    m_searchEdit->setClearButtonEnabled(true);
    m_searchDebounce = new QTimer(this);
    m_searchDebounce->setSingleShot(true);
    m_searchDebounce->setInterval(kSearchDebounceMs);
    connect(m_searchEdit, &QLineEdit::textChanged, m_searchDebounce, qOverload<>(&QTimer::start));
    connect(m_searchDebounce, &QTimer::timeout, this, &MainWindow::startSearch);

    m_table = new QTableView(page);
    m_table->setObjectName(QStringLiteral("certificateTable"));
    m_table->setAccessibleName(tr("Managed certificates"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(CertificateListModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed widths: measuring contents would read every row, slow with thousands of items.
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(CertificateListModel::DomainsColumn, QHeaderView::Stretch);
    header->resizeSection(CertificateListModel::NameColumn, 260);
    header->resizeSection(CertificateListModel::StatusColumn, 120);
    header->resizeSection(CertificateListModel::ExpiryColumn, 110);
    m_table->addActions({m_actionEdit, m_actionDelete});
    connect(m_table, &QTableView::doubleClicked, this, &MainWindow::editSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);

    m_recoveryBanner = makeNotice(page, QStringLiteral("recoveryBanner"),
                                  QStyle::SP_MessageBoxWarning, m_recoveryText);
    m_recoveryBanner->setAccessibleName(tr("Database recovery notice"));
    m_recoveryText->setObjectName(QStringLiteral("recoveryBannerText"));
    m_recoveryText->setTextFormat(Qt::RichText);
    auto* dismiss = new QPushButton(tr("Dis&miss"), m_recoveryBanner);
    dismiss->setObjectName(QStringLiteral("recoveryDismissButton"));
    dismiss->setAccessibleName(tr("Dismiss the database recovery notice"));
    dismiss->setToolTip(tr("Hide this notice until Certkeeper is started again"));
    connect(dismiss, &QPushButton::clicked, this, &MainWindow::dismissRecoveryBanner);
    qobject_cast<QHBoxLayout*>(m_recoveryBanner->layout())->addWidget(dismiss, 0, Qt::AlignTop);

    m_portNotice = makeNotice(page, QStringLiteral("portNotice"), QStyle::SP_MessageBoxInformation,
                              m_portNoticeLabel);
    m_portNotice->setAccessibleName(tr("Service port notice"));
    m_portNoticeLabel->setObjectName(QStringLiteral("portNoticeLabel"));
    m_portNoticeLabel->setTextFormat(Qt::PlainText);
    tintNotices();

    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_recoveryBanner);
    layout->addWidget(m_portNotice);
    layout->addWidget(m_searchEdit);
    layout->addWidget(m_table, 1);
    setTabOrder(m_searchEdit, m_table);
    return page;
}

void MainWindow::loadServerEntry() {
    m_serversProblem.clear();
    const QString path = paths::file(m_dataDir, paths::kServers);
    m_server = ServerEntry{};
    m_server.tokenFile = paths::file(m_dataDir, paths::kToken);
    if (!QFileInfo::exists(path))
        return; // the service has not run yet: try its defaults, the diagnosis says the rest
    auto loaded = ServersConfig::load(path);
    if (const auto* error = std::get_if<ConfigError>(&loaded)) {
        m_serversProblem =
            tr("The list of services cannot be read: %1\nFix the file, or delete it: "
               "the service writes it again when it starts.")
                .arg(error->message());
        return;
    }
    if (const ServerEntry* entry = std::get<ServersConfig>(loaded).defaultServer())
        m_server = *entry;
}

void MainWindow::refresh() {
    if (m_pages->currentWidget() != m_listPage) {
        loadServerEntry();
        m_client->setServer(m_server);
    }
    if (!m_serversProblem.isEmpty()) {
        showConnectionProblem(m_serversProblem);
        return;
    }
    m_loadedSearch = m_searchEdit->text().trimmed();
    m_loader->load(m_loadedSearch);
    fetchSummary();
    if (!m_haveVersion)
        fetchVersion();
    if (!m_diagnosticsRequested)
        fetchDiagnostics();
}

void MainWindow::startSearch() {
    const QString search = m_searchEdit->text().trimmed();
    if (search == m_loadedSearch && !m_loader->isLoading())
        return;
    m_replaceOnNextPage = true;
    m_loadedSearch = search;
    m_loader->load(search);
}

void MainWindow::fetchSummary() {
    m_client->summary(
        this, [this](const ItemSummary& summary) { m_countsLabel->setText(countsText(summary)); },
        [](const ApiError&) {}); // the list load reports the same failure
}

void MainWindow::fetchVersion() {
    m_client->appVersion(
        this,
        [this](const ServiceVersion& version) {
            m_haveVersion = true;
            m_serviceLabel->setText(
                tr("Service %1 at %2").arg(version.version, m_client->server().baseUrl()));
        },
        [](const ApiError&) {});
}

void MainWindow::fetchDiagnostics() {
    m_diagnosticsRequested = true;
    m_client->diagnostics(
        this,
        [this, connection = m_connection](const QJsonObject& diagnostics) {
            if (connection == m_connection)
                showStartupNotices(diagnostics);
        },
        [this, connection = m_connection](const ApiError& error) {
            // Unreachable: try again with the next refresh. Any other failure would only repeat.
            if (connection == m_connection && (error.kind == ApiError::Kind::Connection ||
                                               error.kind == ApiError::Kind::ServiceUnavailable))
                m_diagnosticsRequested = false;
        });
}

void MainWindow::forgetDiagnostics() {
    ++m_connection;
    m_diagnosticsRequested = false;
}

void MainWindow::showStartupNotices(const QJsonObject& diagnostics) {
    m_shownRecoveries.clear();
    QStringList paragraphs;
    const auto events = diagnostics.value("database").toObject().value("recovery").toArray();
    for (const auto& value : events) {
        const QJsonObject event = value.toObject();
        const QString key = recoveryKey(event);
        if (m_dismissedRecoveries.contains(key))
            continue;
        m_shownRecoveries.append(key);
        paragraphs.append(recoveryHtml(event));
    }
    if (paragraphs.isEmpty()) {
        m_recoveryBanner->hide();
    } else {
        const QString heading =
            tr("The service found its certificate database damaged when it started and "
               "repaired it. Check that the list below is complete.");
        m_recoveryText->setText(QStringLiteral("<p><b>%1</b></p>").arg(heading.toHtmlEscaped()) +
                                paragraphs.join(QString()));
        m_recoveryBanner->setAccessibleDescription(heading);
        m_recoveryBanner->show();
    }

    const QJsonObject bind = diagnostics.value("bind").toObject();
    if (bind.value("negotiated").toBool()) {
        m_portNoticeLabel->setText(portNoticeText(bind));
        m_portNotice->setAccessibleDescription(m_portNoticeLabel->text());
        m_portNotice->show();
    } else {
        m_portNotice->hide();
    }
}

void MainWindow::dismissRecoveryBanner() {
    for (const QString& key : std::as_const(m_shownRecoveries))
        m_dismissedRecoveries.insert(key);
    m_shownRecoveries.clear();
    m_recoveryBanner->hide();
    if (m_pages->currentWidget() == m_listPage)
        m_table->setFocus(); // the button that had it is gone
}

void MainWindow::tintNotices() {
    const QColor window = palette().color(QPalette::Window);
    tint(m_recoveryBanner, window, QColor(255, 176, 0), 0.3f); // amber: look at this
    tint(m_portNotice, window, palette().color(QPalette::Highlight), 0.15f);
}

void MainWindow::changeEvent(QEvent* event) {
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_recoveryBanner)
        tintNotices();
}

void MainWindow::showListPage() {
    if (m_pages->currentWidget() != m_listPage) {
        m_pages->setCurrentWidget(m_listPage);
        m_table->setFocus();
    }
    updateActions();
}

void MainWindow::showConnectionProblem(const QString& explanation) {
    m_problemPage->showProblem(explanation, m_client->server().baseUrl(), m_dataDir, kPollSeconds);
    m_pages->setCurrentWidget(m_problemPage);
    m_haveVersion = false; // it may come back as another version
    forgetDiagnostics();   // or as a new start that had to recover its database
    m_serviceLabel->setText(tr("Not connected"));
    m_countsLabel->clear();
    updateActions();
}

void MainWindow::handleFailure(const ApiError& error) {
    if (error.kind == ApiError::Kind::Connection || error.kind == ApiError::Kind::Unauthorized)
        showConnectionProblem(error.detail);
    else
        statusBar()->showMessage(
            tr("The service could not list the certificates: %1").arg(error.detail), 20000);
}

void MainWindow::updateActions() {
    const bool connected = m_pages && m_pages->currentWidget() == m_listPage;
    const auto selected = m_table->selectionModel()->selectedRows().size();
    m_actionNew->setEnabled(connected);
    m_actionEdit->setEnabled(connected && selected == 1);
    m_actionDelete->setEnabled(connected && selected > 0);
}

QList<ManagedCertificate> MainWindow::selectedItems() const {
    QList<ManagedCertificate> items;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        items.append(m_model->item(m_proxy->mapToSource(index).row()));
    return items;
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
    dialog->open();
}

void MainWindow::deleteSelected() {
    const auto items = selectedItems();
    if (items.isEmpty() || !m_confirm(this, deleteQuestion(items)))
        return;
    for (const auto& item : items) {
        m_client->deleteItem(
            item.id, this,
            [this](const QString& id) {
                m_model->removeId(id);
                fetchSummary();
            },
            [this, item](const ApiError& error) {
                if (error.kind == ApiError::Kind::NotFound) { // deleted meanwhile: same outcome
                    m_model->removeId(item.id);
                    return;
                }
                auto* box =
                    new QMessageBox(QMessageBox::Warning, tr("Cannot delete"),
                                    tr("“%1” was not deleted: %2").arg(item.name, error.detail),
                                    QMessageBox::Ok, this);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            });
    }
}

} // namespace ck::gui
