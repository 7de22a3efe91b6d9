#include "gui/editor/ItemLogModel.h"

#include "gui/FormSupport.h"

#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

#include <algorithm>

namespace ck::gui {

void ItemLogModel::setEntries(const QList<LogEntry>& entries) {
    beginResetModel();
    m_entries = entries.mid(std::max<qsizetype>(0, entries.size() - kMaxEntries));
    endResetModel();
}

void ItemLogModel::appendEntries(const QList<LogEntry>& entries) {
    if (entries.isEmpty())
        return;
    const qsizetype overflow = m_entries.size() + entries.size() - kMaxEntries;
    if (overflow > 0) {
        const int drop = int(std::min(overflow, m_entries.size()));
        if (drop > 0) {
            beginRemoveRows({}, 0, drop - 1);
            m_entries.remove(0, drop);
            endRemoveRows();
        }
    }
    const QList<LogEntry> added = entries.mid(std::max<qsizetype>(0, entries.size() - kMaxEntries));
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    m_entries.append(added);
    endInsertRows();
}

int ItemLogModel::levelRank(const QString& level) {
    if (level == QLatin1String("DBG"))
        return 0;
    if (level == QLatin1String("WRN"))
        return 2;
    if (level == QLatin1String("ERR"))
        return 3;
    return 1;
}

QString ItemLogModel::levelText(const QString& level) {
    switch (levelRank(level)) {
    case 0:
        return tr("Debug");
    case 2:
        return tr("Warning");
    case 3:
        return tr("Error");
    default:
        return tr("Info");
    }
}

QString ItemLogModel::lineOf(const LogEntry& entry) {
    return QStringLiteral("%1 [%2] %3")
        .arg(entry.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
             entry.level, entry.message);
}

int ItemLogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ItemLogModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ItemLogModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogEntry& e = m_entries[index.row()];
    const int rank = levelRank(e.level);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return e.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case LevelColumn:
            return levelText(e.level);
        default:
            // One row per entry: a message of several lines (a script's output) shows them
            // run together, marked; the tooltip and Copy have them as written.
            return QString(e.message).replace(u'\n', QStringLiteral(" ⏎ "));
        }
    case Qt::ToolTipRole:
        return index.column() == TimeColumn
                   ? QLocale().toString(e.time.toLocalTime(), QLocale::LongFormat)
                   : e.message;
    case Qt::ForegroundRole:
        if (rank >= 2 && index.column() != TimeColumn)
            return ErrorLabel::colorFor(QGuiApplication::palette());
        if (rank == 0)
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        return {};
    case LevelRankRole:
        return rank;
    case LineRole:
        return lineOf(e);
    default:
        return {};
    }
}

QVariant ItemLogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

void LogFilterModel::setMinimumLevel(int rank) {
    if (rank == m_minimumLevel)
        return;
    m_minimumLevel = rank;
    invalidateFilter();
}

void LogFilterModel::setSearchText(const QString& text) {
    if (text == m_search)
        return;
    m_search = text;
    invalidateFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (index.data(ItemLogModel::LevelRankRole).toInt() < m_minimumLevel)
        return false;
    return m_search.isEmpty() ||
           index.data(ItemLogModel::LineRole).toString().contains(m_search, Qt::CaseInsensitive);
}

std::optional<QList<LogEntry>> newLogEntries(const QList<LogEntry>& known,
                                             const QList<LogEntry>& tail) {
    if (known.isEmpty())
        return tail;
    // The last known entry, found in the tail together with the entries before it (lines can
    // repeat: "Answering http-01 …" twice in one millisecond is two lines, not one). Near the
    // start of the tail fewer entries precede it; those there must match.
    constexpr qsizetype kOverlap = 4;
    for (qsizetype end = tail.size(); end >= 1; --end) {
        const qsizetype overlap = std::min({kOverlap, end, known.size()});
        bool matches = true;
        for (qsizetype k = 1; k <= overlap && matches; ++k)
            matches = tail[end - k] == known[known.size() - k];
        if (matches)
            return tail.mid(end);
    }
    return std::nullopt;
}

} // namespace ck::gui
