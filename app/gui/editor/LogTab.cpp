#include "gui/editor/LogTab.h"

#include "gui/FormSupport.h"
#include "gui/editor/ItemLogFeed.h"
#include "gui/editor/ItemLogModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace ck::gui {

LogTab::LogTab(const EditorContext& context, QWidget* parent) : EditorTab(context, parent) {
    setObjectName(QStringLiteral("logTab"));
    m_model = new ItemLogModel(this);
    m_filter = new LogFilterModel(this);
    m_filter->setSourceModel(m_model);
    m_filter->setMinimumLevel(1); // debug lines only when asked for

    m_level = new QComboBox(this);
    m_level->setObjectName(QStringLiteral("logLevelCombo"));
    m_level->setAccessibleName(tr("Lowest level shown"));
    m_level->addItem(tr("Everything, with debug"), 0);
    m_level->addItem(tr("Information and above"), 1);
    m_level->addItem(tr("Warnings and errors"), 2);
    m_level->addItem(tr("Errors only"), 3);
    m_level->setCurrentIndex(1);
    connect(m_level, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setMinimumLevel(m_level->currentData().toInt());
        updateNewLines();
    });
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("logSearchEdit"));
    m_search->setAccessibleName(tr("Search the log"));
    m_search->setPlaceholderText(tr("Search"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_filter, &LogFilterModel::setSearchText);
    m_follow = new QPushButton(tr("&Follow"), this);
    m_follow->setObjectName(QStringLiteral("logFollowButton"));
    m_follow->setAccessibleName(tr("Follow new lines"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    m_follow->setAutoDefault(false);
    connect(m_follow, &QPushButton::toggled, this, [this](bool on) {
        m_follow->setText(on ? tr("&Follow") : tr("Paused — &follow"));
        if (on) {
            m_unseen = 0;
            scrollToEnd();
        }
        updateNewLines();
    });
    m_copy = new QPushButton(tr("&Copy"), this);
    m_copy->setObjectName(QStringLiteral("logCopyButton"));
    m_copy->setAccessibleName(tr("Copy the selected lines, or all shown"));
    m_copy->setAutoDefault(false);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(copyText()); });
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("logStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);

    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setAccessibleName(tr("Log of this certificate"));
    m_view->setModel(m_filter);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true); // thousands of lines stay fast
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->header()->setSectionResizeMode(ItemLogModel::TimeColumn, QHeaderView::ResizeToContents);
    m_view->header()->setSectionResizeMode(ItemLogModel::LevelColumn,
                                           QHeaderView::ResizeToContents);
    m_view->header()->setStretchLastSection(true);
    auto* copyAction = new QAction(m_view);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyAction, &QAction::triggered, m_copy, &QPushButton::click);
    m_view->addAction(copyAction);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &LogTab::scrolled);
    // New rows grow the range once the view has laid them out: the end moves, and a following
    // view moves with it.
    connect(m_view->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this] {
        if (isFollowing())
            scrollToEnd();
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { rowsArrived(last - first + 1); });
    connect(m_filter, &QAbstractItemModel::modelReset, this, [this] { rowsArrived(0); });

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_level);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_follow);
    bar->addWidget(m_copy);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    setTabOrder(m_level, m_search);
    setTabOrder(m_search, m_follow);
    setTabOrder(m_follow, m_copy);
    setTabOrder(m_copy, m_view);
    updateNewLines();
}

LogTab::~LogTab() {
    disconnect(m_view->verticalScrollBar(), nullptr, this, nullptr);
    disconnect(m_filter, nullptr, this, nullptr);
}

void LogTab::load(const ManagedCertificate& item) {
    const QString& id = item.id;
    if (id == m_itemId)
        return; // the same certificate saved again: its log goes on
    m_itemId = id;
    delete m_feed;
    m_feed = nullptr;
    m_notLive.clear();
    m_model->setEntries({});
    if (id.isEmpty()) {
        m_status->setText(tr("A new certificate has no log yet."));
        return;
    }
    m_feed = new ItemLogFeed(context().client, id, this);
    connect(m_feed, &ItemLogFeed::appended, m_model, &ItemLogModel::appendEntries);
    connect(m_feed, &ItemLogFeed::replaced, m_model, &ItemLogModel::setEntries);
    connect(m_feed, &ItemLogFeed::failed, m_status, &QLabel::setText);
    for (auto signal : {&ItemLogFeed::appended, &ItemLogFeed::replaced})
        connect(m_feed, signal, this, [this] { updateNewLines(); });
    connect(m_feed, &ItemLogFeed::liveChanged, this, [this](bool live, const QString& why) {
        m_notLive = live ? QString() : why;
        updateNewLines();
    });
    if (isVisible())
        m_feed->start();
}

void LogTab::showEvent(QShowEvent* event) {
    EditorTab::showEvent(event);
    if (isFollowing())
        scrollToEnd(); // the tab opens at the newest line
    if (m_feed)
        m_feed->start();
}

void LogTab::hideEvent(QHideEvent* event) {
    EditorTab::hideEvent(event);
    if (m_feed)
        m_feed->stop();
}

bool LogTab::isFollowing() const {
    return m_follow->isChecked();
}

void LogTab::setFollowing(bool follow) {
    m_follow->setChecked(follow);
}

void LogTab::rowsArrived(int count) {
    if (!isFollowing())
        m_unseen += count;
    updateNewLines();
}

void LogTab::scrollToEnd() {
    m_scrollingToEnd = true;
    m_view->scrollToBottom();
    QScrollBar* bar = m_view->verticalScrollBar();
    bar->setValue(bar->maximum());
    m_scrollingToEnd = false;
}

void LogTab::scrolled(int value) {
    if (m_scrollingToEnd)
        return;
    // The user scrolled: up from the end pauses, back to the end follows again.
    const bool atEnd = value >= m_view->verticalScrollBar()->maximum();
    if (atEnd != isFollowing())
        setFollowing(atEnd);
}

void LogTab::updateNewLines() {
    if (m_itemId.isEmpty() && m_model->rowCount() == 0)
        return; // "A new certificate has no log yet" stays
    if (!isFollowing() && m_unseen > 0)
        m_status->setText(tr("Paused: %1 below. Follow shows them.")
                              .arg(countOf(m_unseen, tr("new line"), tr("new lines"))));
    else
        m_status->setText(tr("%1 shown of %2.")
                              .arg(countOf(m_filter->rowCount(), tr("line"), tr("lines")))
                              .arg(m_model->rowCount()));
    if (!m_notLive.isEmpty()) // the user should know the log is not live, and why
        m_status->setText(m_status->text() + u' ' +
                          tr("Not live (%1): new lines are read every %2 s.")
                              .arg(m_notLive)
                              .arg(m_feed ? m_feed->fallbackInterval().count() / 1000 : 0));
}

QString LogTab::copyText() const {
    QStringList lines;
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty())
        for (int row = 0; row < m_filter->rowCount(); ++row)
            rows.append(m_filter->index(row, 0));
    for (const QModelIndex& index : rows)
        lines.append(index.data(ItemLogModel::LineRole).toString());
    return lines.join(u'\n');
}

} // namespace ck::gui
