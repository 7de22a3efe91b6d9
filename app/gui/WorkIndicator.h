#pragma once
// The status bar's sign of work in progress: a progress bar (moving, or counting the steps of a
// batch such as deleting 40 certificates) and what is being done. Several pieces of work may run
// at once; it shows the latest and hides when all are done. The work itself runs asynchronously:
// this only tells the user that something is happening.

#include <QHash>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace ck::gui {

class WorkIndicator : public QWidget {
    Q_OBJECT
public:
    explicit WorkIndicator(QWidget* parent = nullptr);

    // Starts a piece of work; `steps` > 0 counts its steps. Returns its handle.
    int begin(const QString& text, int steps = 0);
    void advance(int work, const QString& text = {});
    void setDone(int work, int done, int steps);
    void end(int work);
    bool isBusy() const { return !m_work.isEmpty(); }
    QString text() const;

private:
    struct Work {
        QString text;
        int steps = 0;
        int done = 0;
    };
    void display(int work);

    QHash<int, Work> m_work;
    int m_next = 1;
    int m_shown = 0;
    QProgressBar* m_bar;
    QLabel* m_label;
};

} // namespace ck::gui
