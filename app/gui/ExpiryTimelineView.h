#pragma once
// The expiry timeline, drawn: for today and the next 13 weeks, a bar per day above the line for
// the certificates that expire that day (coloured by health) and one below it for those the
// service will renew that day, with what is already expired or overdue at the left and what comes
// later at the right. Pointing at a day tells its numbers; clicking it (shift-click for a range)
// shows only those certificates. By keyboard: Left/Right choose a day, Shift extends, Enter or
// Space shows them, Escape shows all again.

#include <QDateTime>
#include <QWidget>

namespace ck::gui {

class ExpiryTimelineModel;

class ExpiryTimelineView : public QWidget {
    Q_OBJECT
public:
    explicit ExpiryTimelineView(ExpiryTimelineModel* model, QWidget* parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // The chosen rows of the model (first <= last), or -1 when none is chosen.
    int firstChosen() const { return m_chosen ? std::min(m_anchor, m_current) : -1; }
    int lastChosen() const { return m_chosen ? std::max(m_anchor, m_current) : -1; }
    // The horizontal span of a model row, in widget coordinates (tests click there).
    QRect rowRect(int row) const;
    void choose(int first, int last);
    void clearChoice();

Q_SIGNALS:
    // Show the certificates that expire or renew in [from, to) (an invalid end is open).
    void windowChosen(const QDateTime& from, const QDateTime& to);
    void choiceCleared();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Geometry {
        QRectF plot;    // the bars
        qreal dayWidth; // one day
        qreal edgeWidth;
        qreal baseline;
    };
    Geometry geometry() const;
    int rowAt(const QPoint& pos) const;
    QString rowToolTip(int row) const;
    void emitChoice();
    void updateAccessibleDescription();

    ExpiryTimelineModel* m_model;
    bool m_chosen = false;
    int m_anchor = 0;
    int m_current = 1; // keyboard position: today
    int m_hovered = -1;
};

} // namespace ck::gui
