#pragma once
// The Preview tab: what a request would do now, step by step, as the service plans it for the
// item on screen (unsaved changes included), without doing any of it. Refreshed a moment after
// each change while the tab is shown.

#include "gui/editor/EditorTab.h"

class QLabel;
class QPushButton;
class QTextBrowser;
class QTimer;

namespace ck::gui {

class PreviewTab : public EditorTab {
    Q_OBJECT
public:
    static constexpr int kRefreshDelayMs = 600;

    PreviewTab(const EditorContext& context, QWidget* parent);

    void load(const ManagedCertificate& item) override;
    // The item on screen changed: the preview is stale.
    void itemChanged();
    void refresh();
    QString markdown() const { return m_markdown; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    QString m_itemId;
    QString m_markdown;
    bool m_stale = true;
    int m_generation = 0; // answers to an older refresh are dropped
    QLabel* m_status;
    QTextBrowser* m_text;
    QPushButton* m_refresh;
    QPushButton* m_copy;
    QTimer* m_delay;
};

} // namespace ck::gui
