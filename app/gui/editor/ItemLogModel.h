#pragma once
// A certificate's log as rows (time, level, message), growing as the service writes new lines,
// and a filter over it by lowest level and by words. The model does not know where the lines
// come from (ItemLogFeed: the history from GET .../log, then the "log" events): a feed appends,
// the view follows.

#include "model/LogEntry.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <optional>

namespace ck::gui {

class ItemLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, LevelColumn, MessageColumn, ColumnCount };
    enum Role { LevelRankRole = Qt::UserRole + 1, LineRole };
    static constexpr int kMaxEntries = 20000; // the oldest go first beyond this

    using QAbstractTableModel::QAbstractTableModel;

    void setEntries(const QList<LogEntry>& entries);
    void appendEntries(const QList<LogEntry>& entries);
    const QList<LogEntry>& entries() const { return m_entries; }

    // DBG 0, INF 1, WRN 2, ERR 3 (unknown levels count as INF).
    static int levelRank(const QString& level);
    static QString levelText(const QString& level);
    // "2024-05-01 12:00:00.123 [INF] message", as in the log file.
    static QString lineOf(const LogEntry& entry);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<LogEntry> m_entries;
};

class LogFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setMinimumLevel(int rank);
    void setSearchText(const QString& text);
    int minimumLevel() const { return m_minimumLevel; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    int m_minimumLevel = 0;
    QString m_search;
};

// The entries of `tail` (the newest lines, as GET .../log answers) that `known` lacks:
// those after the last known entry. Nothing when nothing is new; nullopt when the two do not
// overlap (more new lines than one read returns, or the log was replaced): then start over.
std::optional<QList<LogEntry>> newLogEntries(const QList<LogEntry>& known,
                                             const QList<LogEntry>& tail);

} // namespace ck::gui
