#include "gui/MainWindow.h"

#include "client/ApiClient.h"
#include "config/DataPaths.h"
#include "gui/AboutPage.h"
#include "gui/CertificateFilterProxy.h"
#include "gui/CertificateListModel.h"
#include "gui/ConnectionProblemPage.h"
#include "gui/DesktopNotices.h"
#include "gui/EditionPrompts.h"
#include "gui/ExpiryTimelineModel.h"
#include "gui/ExpiryTimelineView.h"
#include "gui/FirstRunGuide.h"
#include "gui/FormSupport.h"
#include "gui/HealthSummaryModel.h"
#include "gui/ListFreshness.h"
#include "gui/LiveUpdates.h"
#include "gui/ServiceCatalog.h"
#include "gui/StatusMessage.h"
#include "gui/SummaryStrip.h"
#include "gui/WorkIndicator.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
constexpr int kSearchDebounceMs = 150;
constexpr int kActivityLines = 1000;
const QString kWindowIcon = QStringLiteral(":/icons/certkeeper.svg");
const QString kSettingsGroup = QStringLiteral("MainWindow");

QString countsText(const ItemSummary& summary) {
    return countOf(summary.total, MainWindow::tr("certificate"), MainWindow::tr("certificates")) +
           QStringLiteral(" · ") +
           countOf(summary.totalDomains, MainWindow::tr("domain"), MainWindow::tr("domains"));
}
} // namespace

MainWindow::MainWindow(const QString& dataDir, QWidget* parent)
    : QMainWindow(parent), m_dataDir(dataDir), m_confirm(askToConfirm),
      m_askReason(askRevocationReason) {
    setObjectName(QStringLiteral("mainWindow"));
    loadServerEntry();
    m_client = new ApiClient(m_server, m_dataDir, this);
    connect(m_client, &ApiClient::serverMoved, this,
            [this](const ServerEntry& now, const QString& explanation) {
                m_server = now;
                m_statusMessage->showMessage(explanation, 15000);
                m_freshness->serviceMoved();
            });
    // First, so that its tab bar comes before the page in the keyboard's order.
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setAccessibleName(tr("Sections: certificates and about"));
    m_tabs->tabBar()->setAccessibleName(m_tabs->accessibleName());
    createModels();
    createActions();
    m_listPage = createListPage();
    m_problemPage = new ConnectionProblemPage(this);
    connect(m_problemPage, &ConnectionProblemPage::retryRequested, this, &MainWindow::refresh);
    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("pages"));
    m_pages->addWidget(m_listPage);
    m_pages->addWidget(m_problemPage);
    m_aboutPage = new AboutPage(m_client, this);
    connect(m_aboutPage, &AboutPage::licenseChanged, m_reminder, &EditionReminder::display);
    m_tabs->addTab(m_pages, tr("Certificates"));
    m_tabs->addTab(m_aboutPage, tr("About"));
    setCentralWidget(m_tabs);
    m_activityDock = createActivityDock();
    auto* desktopNotices = new DesktopNotices(this, m_model, m_freshness, m_healthSummary);
    m_viewMenu->addAction(desktopNotices->toggleAction());

    m_work = new WorkIndicator(this);
    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("countsLabel"));
    m_liveLabel = new QLabel(this);
    m_liveLabel->setObjectName(QStringLiteral("liveLabel"));
    m_serviceLabel = new QLabel(this);
    m_serviceLabel->setObjectName(QStringLiteral("serviceLabel"));
    m_statusMessage = new StatusMessage(this);
    statusBar()->addWidget(m_work);
    statusBar()->addWidget(m_statusMessage, 1);
    statusBar()->addPermanentWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_liveLabel);
    statusBar()->addPermanentWidget(m_serviceLabel);

    connectFreshness();
    showPolling();

    setWindowTitle(tr("Certkeeper — %1").arg(m_server.displayName));
    if (QFile::exists(kWindowIcon)) // compiled into the app, not into the tests
        setWindowIcon(QIcon(kWindowIcon));
    resize(1100, 720);
    restoreWindowState();
    setKeyboardOrder();
    updateActions();
    refresh();
}

void MainWindow::setKeyboardOrder() {
    // Top to bottom, as the page reads: the tabs, search, show all, summary, timeline, list. Set
    // once the page is in its tab: moving widgets into it changes the order they had.
    QList<QWidget*> order{m_tabs, m_searchEdit,
                          findChild<QToolButton*>(QStringLiteral("showAllButton"))};
    order += m_summary->focusOrder();
    order.append(m_table);
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order[i - 1], order[i]);
}

MainWindow::~MainWindow() {
    saveWindowState();
}

void MainWindow::createModels() {
    m_model = new CertificateListModel(this);
    m_freshness = new ListFreshness(m_client, m_model, this);
    m_proxy = new CertificateFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_healthSummary = new HealthSummaryModel(m_model, this);
    m_timelineModel = new ExpiryTimelineModel(m_model, this);
    m_catalog = new ServiceCatalog(m_client, this);
    connect(m_catalog, &ServiceCatalog::loaded, this, &MainWindow::showAccountNotice);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, &MainWindow::updateListArea);
    connect(m_model, &QAbstractItemModel::modelReset, this, &MainWindow::updateListArea);
}

QWidget* MainWindow::createListPage() {
    auto* page = new QWidget(this);
    page->setObjectName(QStringLiteral("listPage"));
    createNotices(page);

    m_summary = new SummaryStrip(m_healthSummary, m_timelineModel, page);
    connect(m_summary, &SummaryStrip::healthsChosen, m_proxy, &CertificateFilterProxy::setHealths);
    connect(m_summary->timeline(), &ExpiryTimelineView::windowChosen, m_proxy,
            &CertificateFilterProxy::setWindow);
    connect(m_summary->timeline(), &ExpiryTimelineView::choiceCleared, m_proxy,
            &CertificateFilterProxy::clearWindow);

    m_searchEdit = new QLineEdit(page);
    m_searchEdit->setObjectName(QStringLiteral("searchEdit"));
    m_searchEdit->setPlaceholderText(tr("Search names and domains (Ctrl+F)"));
    m_searchEdit->setAccessibleName(tr("Search certificates"));
    m_searchEdit->setClearButtonEnabled(true);
    m_searchDebounce = new QTimer(this);
    m_searchDebounce->setSingleShot(true);
    m_searchDebounce->setInterval(kSearchDebounceMs);
    connect(m_searchEdit, &QLineEdit::textChanged, m_searchDebounce, qOverload<>(&QTimer::start));
    connect(m_searchDebounce, &QTimer::timeout, this,
            [this] { m_proxy->setSearchText(m_searchEdit->text()); });

    m_filterLabel = new QLabel(page);
    m_filterLabel->setObjectName(QStringLiteral("filterLabel"));
    auto* showAll = new QToolButton(page);
    showAll->setObjectName(QStringLiteral("showAllButton"));
    showAll->setDefaultAction(m_actionClearFilters);
    showAll->setToolButtonStyle(Qt::ToolButtonTextOnly);
    showAll->setFocusPolicy(Qt::StrongFocus);
    m_filterBar = new QFrame(page);
    auto* filterLayout = new QHBoxLayout(m_filterBar);
    filterLayout->setContentsMargins(0, 0, 0, 0);
    filterLayout->addWidget(m_filterLabel);
    filterLayout->addWidget(showAll);
    m_filterBar->hide();
    connect(m_proxy, &CertificateFilterProxy::filtersChanged, this, &MainWindow::updateFilterBar);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, &MainWindow::updateFilterBar);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateFilterBar);

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
    m_table->setTabKeyNavigation(false); // Tab leaves the list, arrows move in it
    m_table->verticalHeader()->hide();
    // Rows of one height: the view then never measures thousands of rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    // Fixed widths: measuring contents would read every row, slow with thousands of items.
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(CertificateListModel::DomainsColumn, QHeaderView::Stretch);
    const QFontMetrics fm = fontMetrics();
    const int em = fm.horizontalAdvance(QLatin1Char('M'));
    const auto dateColumn = [&](int column) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        return std::max(fm.horizontalAdvance(QStringLiteral("2026-12-31")),
                        fm.horizontalAdvance(title) + em) +
               em * 2; // room for the sort arrow
    };
    header->resizeSection(CertificateListModel::NameColumn, em * 18);
    header->resizeSection(CertificateListModel::HealthColumn, em * 12);
    header->resizeSection(CertificateListModel::ExpiryColumn,
                          dateColumn(CertificateListModel::ExpiryColumn));
    header->resizeSection(CertificateListModel::NextRenewalColumn,
                          dateColumn(CertificateListModel::NextRenewalColumn));
    m_table->addActions({m_actionEdit, m_actionDelete});
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (QAction* action : {m_actionRequest, m_actionTest, m_actionPreview, m_actionRevoke})
        m_table->addAction(action);
    connect(m_table, &QTableView::doubleClicked, this, &MainWindow::editSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);

    m_searchRow = new QWidget(page);
    auto* searchRow = new QHBoxLayout(m_searchRow);
    searchRow->setContentsMargins(0, 0, 0, 0);
    searchRow->addWidget(m_searchEdit, 1);
    searchRow->addWidget(m_filterBar);
    m_guide = new FirstRunGuide(m_catalog, page);
    connect(m_guide, &FirstRunGuide::addCertificateRequested, this, &MainWindow::newCertificate);
    m_listArea = new QStackedWidget(page);
    m_listArea->addWidget(m_table);
    // In a scroll area: the guide's text must not make the window's minimum taller than a
    // small screen, nor the list's (a stacked page counts even hidden).
    auto* guideScroll = new QScrollArea(page);
    guideScroll->setObjectName(QStringLiteral("firstRunScroll"));
    guideScroll->setWidget(m_guide);
    guideScroll->setWidgetResizable(true);
    guideScroll->setFrameShape(QFrame::NoFrame);
    m_listArea->addWidget(guideScroll);
    m_reminder = new EditionReminder(m_client, page);
    connect(m_reminder, &EditionReminder::licenseUnreadable, this, [this](const ApiError& error) {
        reportFailure(tr("The service could not say its edition: %1"), error);
    });
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_recoveryBanner);
    layout->addWidget(m_portNotice);
    layout->addWidget(m_accountNotice);
    layout->addWidget(m_reminder);
    layout->addWidget(m_summary);
    layout->addWidget(m_searchRow);
    layout->addWidget(m_listArea, 1);
    return page;
}

QDockWidget* MainWindow::createActivityDock() {
    auto* dock = new QDockWidget(tr("Activity"), this);
    dock->setObjectName(QStringLiteral("activityDock"));
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    m_activity = new QPlainTextEdit(dock);
    m_activity->setObjectName(QStringLiteral("activityLog"));
    m_activity->setAccessibleName(tr("Activity: log lines of running requests"));
    m_activity->setReadOnly(true);
    m_activity->setMaximumBlockCount(kActivityLines);
    m_activity->setPlaceholderText(
        tr("Log lines of requests and renewals appear here as the service writes them."));
    m_activity->setLineWrapMode(QPlainTextEdit::NoWrap);
    dock->setWidget(m_activity);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    QAction* toggle = dock->toggleViewAction();
    toggle->setObjectName(QStringLiteral("actionActivity"));
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(toggle);
    dock->hide();
    return dock;
}

void MainWindow::appendActivity(const QString& name, const LogEntry& entry) {
    const QString time = entry.time.isValid()
                             ? entry.time.toLocalTime().toString(QStringLiteral("HH:mm:ss"))
                             : QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    m_activity->appendPlainText(
        QStringLiteral("%1  %2  [%3] %4")
            .arg(time, name.isEmpty() ? tr("(unknown)") : name, entry.level, entry.message));
}

LiveUpdates* MainWindow::liveUpdates() const {
    return m_freshness->liveUpdates();
}

void MainWindow::connectFreshness() {
    connect(m_freshness, &ListFreshness::pageLoaded, this, [this](int loaded, int total) {
        if (loaded < total) {
            if (m_loadWork == 0)
                m_loadWork = m_work->begin(tr("Loading certificates"), total);
            m_work->setDone(m_loadWork, loaded, total);
        }
        showListPage();
    });
    const auto loadOver = [this] {
        m_work->end(m_loadWork);
        m_loadWork = 0;
    };
    connect(m_freshness, &ListFreshness::loadFinished, this, [this, loadOver] {
        loadOver();
        if (!m_listLoaded) { // once per connection: the accounts, for the guide or the notice
            m_listLoaded = true;
            m_catalog->refresh();
        }
        updateListArea();
    });
    connect(m_freshness, &ListFreshness::loadFailed, this, [this, loadOver](const ApiError& error) {
        loadOver();
        handleFailure(error);
    });
    connect(m_freshness, &ListFreshness::reloadDue, this, &MainWindow::refresh);
    connect(m_freshness, &ListFreshness::pollingChanged, this, &MainWindow::showPolling);
    connect(m_freshness, &ListFreshness::diagnosticsRead, this, &MainWindow::showStartupNotices);
    connect(liveUpdates(), &LiveUpdates::logLine, this,
            [this](const QString&, const QString& name, const LogEntry& entry) {
                appendActivity(name, entry);
            });
    connect(liveUpdates(), &LiveUpdates::progressed, this,
            [this](const QString& name, const RequestProgress& progress) {
                if (!progress.message.isEmpty())
                    m_statusMessage->showMessage(
                        QStringLiteral("%1: %2").arg(name, progress.message), 10000);
            });
}

void MainWindow::restoreWindowState() {
    QSettings settings;
    settings.beginGroup(kSettingsGroup);
    if (settings.contains("geometry"))
        restoreGeometry(settings.value("geometry").toByteArray());
    if (settings.contains("state"))
        restoreState(settings.value("state").toByteArray());
    if (settings.contains("listHeader"))
        m_table->horizontalHeader()->restoreState(settings.value("listHeader").toByteArray());
}

void MainWindow::saveWindowState() const {
    QSettings settings;
    settings.beginGroup(kSettingsGroup);
    settings.setValue("geometry", saveGeometry());
    settings.setValue("state", saveState());
    settings.setValue("listHeader", m_table->horizontalHeader()->saveState());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveWindowState();
    QMainWindow::closeEvent(event); // only the window closes: the service goes on
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

void MainWindow::serversEdited() {
    const ServerEntry before = m_server;
    loadServerEntry();
    setWindowTitle(tr("Certkeeper — %1").arg(m_server.displayName));
    if (m_serversProblem.isEmpty() && m_server.baseUrl() == before.baseUrl() &&
        m_server.tokenFile == before.tokenFile)
        return; // the same service: nothing to load again
    m_client->setServer(m_server);
    m_freshness->serviceChanged();
    m_haveVersion = false;
    m_listLoaded = false;
    m_aboutPage->refresh();
    refresh(); // its list replaces the other's, or the problem page says why it cannot
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
    m_freshness->reload();
    fetchSummary();
    if (!m_haveVersion)
        fetchVersion();
}

void MainWindow::fetchSummary() {
    m_reminder->refresh(); // the count may have crossed the edition's reminder
    m_client->summary(
        this, [this](const ItemSummary& summary) { m_countsLabel->setText(countsText(summary)); },
        [this](const ApiError& error) {
            reportFailure(tr("The service could not count the certificates: %1"), error);
        });
}

void MainWindow::fetchVersion() {
    m_client->appVersion(
        this,
        [this](const ServiceVersion& version) {
            m_haveVersion = true;
            m_serviceLabel->setText(
                tr("Service %1 at %2").arg(version.version, m_client->server().baseUrl()));
        },
        [this](const ApiError& error) {
            reportFailure(tr("The service could not say its version: %1"), error);
        });
}

void MainWindow::showPolling() {
    if (!m_pages || m_pages->currentWidget() != m_listPage) {
        m_liveLabel->clear();
    } else if (m_freshness->isLive()) {
        m_liveLabel->setText(tr("● Live"));
        m_liveLabel->setToolTip(tr("Changes made by the service show as they happen"));
    } else {
        const QString problem = m_freshness->liveProblem();
        m_liveLabel->setText(tr("Refreshed every %1 s").arg(m_freshness->pollSeconds()));
        m_liveLabel->setToolTip(problem.isEmpty()
                                    ? tr("Live updates are not connected yet")
                                    : tr("Live updates are not available: %1").arg(problem));
    }
    m_liveLabel->setAccessibleName(m_liveLabel->text() + QStringLiteral(": ") +
                                   m_liveLabel->toolTip());
}

void MainWindow::updateFilterBar() {
    const bool filtering = m_proxy->isFiltering();
    m_filterBar->setVisible(filtering);
    m_actionClearFilters->setEnabled(filtering);
    if (filtering)
        m_filterLabel->setText(
            tr("Showing %1 of %2")
                .arg(QLocale().toString(m_proxy->rowCount()),
                     countOf(m_model->rowCount(), tr("certificate"), tr("certificates"))));
}

void MainWindow::clearFilters() {
    m_searchDebounce->stop();
    m_searchEdit->clear();
    m_summary->setCheckedHealths({});
    m_summary->timeline()->clearChoice();
    m_proxy->clearFilters();
    m_table->setFocus();
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
        m_freshness->connected();
    }
    updateActions();
}

void MainWindow::updateListArea() {
    if (!m_listArea)
        return;
    const bool empty = m_listLoaded && m_model->rowCount() == 0;
    QWidget* shown = empty ? m_listArea->widget(1) : m_table;
    if (m_listArea->currentWidget() == shown)
        return;
    const bool hadFocus = m_listArea->currentWidget()->hasFocus();
    m_listArea->setCurrentWidget(shown);
    // Counts of nothing and a search in nothing only take room from the guide.
    m_summary->setVisible(!empty);
    m_searchRow->setVisible(!empty);
    if (empty)
        m_guide->refresh();
    else if (hadFocus)
        m_table->setFocus();
    showAccountNotice();
}

void MainWindow::showConnectionProblem(const QString& explanation) {
    m_problemPage->showProblem(explanation, m_client->server().baseUrl(), m_dataDir,
                               ListFreshness::kPollSeconds);
    m_pages->setCurrentWidget(m_problemPage);
    m_haveVersion = false; // it may come back as another version
    m_listLoaded = false;  // nor need it have the same accounts
    m_freshness->disconnected();
    m_serviceLabel->setText(tr("Not connected"));
    m_countsLabel->clear();
    updateActions();
}

void MainWindow::handleFailure(const ApiError& error) {
    if (error.kind == ApiError::Kind::Connection || error.kind == ApiError::Kind::Unauthorized)
        showConnectionProblem(error.detail);
    else
        m_statusMessage->showMessage(
            tr("The service could not list the certificates: %1").arg(error.detail), 20000);
}

void MainWindow::reportFailure(const QString& what, const ApiError& error) {
    // The service out of reach is what the list's load reports, on the problem page.
    if (error.kind != ApiError::Kind::Connection && error.kind != ApiError::Kind::Unauthorized)
        m_statusMessage->showMessage(what.arg(describeError(error)), 20000);
}

void MainWindow::updateActions() {
    const bool connected = m_pages && m_pages->currentWidget() == m_listPage;
    const auto items = selectedItems();
    const auto selected = items.size();
    bool anyIssued = false;
    for (const auto& item : items)
        anyIssued = anyIssued || (item.dateExpiry.isValid() && !item.certificateRevoked);
    m_actionNew->setEnabled(connected);
    m_actionEdit->setEnabled(connected && selected == 1);
    m_actionRequest->setEnabled(connected && selected > 0);
    m_actionTest->setEnabled(connected && selected == 1);
    m_actionPreview->setEnabled(connected && selected == 1);
    m_actionRevoke->setEnabled(connected && anyIssued);
    m_actionDelete->setEnabled(connected && selected > 0);
}

QList<ManagedCertificate> MainWindow::selectedItems() const {
    QList<ManagedCertificate> items;
    if (!m_table)
        return items;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        items.append(m_model->item(m_proxy->mapToSource(index).row()));
    return items;
}

} // namespace ck::gui
