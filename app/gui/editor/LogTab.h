#pragma once
// The Log tab: the certificate's log, live. It opens at the newest line and follows new lines
// as the service writes them (ItemLogFeed: the service's live events, polling only while they
// are not connected, which the status line then says); scrolling up (or Pause) stops following
// and counts what arrives below, scrolling to the end (or Follow) resumes. Filter by level,
// search, copy the selected lines (or all shown) as the log file has them.

#include "gui/editor/EditorTab.h"
#include "model/LogEntry.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeView;

namespace ck::gui {

class ItemLogModel;
class LogFilterModel;
class ItemLogFeed;

class LogTab : public EditorTab {
    Q_OBJECT
public:
    LogTab(const EditorContext& context, QWidget* parent);
    // Stops listening to the view before QWidget deletes it: its scroll bar signals a range
    // change while it goes, and this tab is no longer whole then (UBSan saw the call).
    ~LogTab() override;

    void load(const ManagedCertificate& item) override;
    ItemLogModel* model() const { return m_model; }
    bool isFollowing() const;
    void setFollowing(bool follow);
    QString copyText() const; // what Copy puts on the clipboard

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void rowsArrived(int count);
    void scrolled(int value);
    void scrollToEnd();
    void updateNewLines();

    ItemLogModel* m_model;
    LogFilterModel* m_filter;
    ItemLogFeed* m_feed = nullptr; // while the tab shows
    QString m_notLive;             // why the live events are not connected, after they were
    QString m_itemId;
    int m_unseen = 0;
    bool m_scrollingToEnd = false;
    QComboBox* m_level;
    QLineEdit* m_search;
    QPushButton* m_follow;
    QPushButton* m_copy;
    QLabel* m_status;
    QTreeView* m_view;
};

} // namespace ck::gui
