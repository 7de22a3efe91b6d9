#include "gui/ExpiryTimelineView.h"

#include "gui/CertificateListModel.h"
#include "gui/ExpiryTimelineModel.h"
#include "gui/HealthStyle.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionFocusRect>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace ck::gui {

namespace {
constexpr int kRows = ExpiryTimelineModel::kDays + 2;
constexpr int kLaterRow = kRows - 1;
constexpr qreal kGap = 4;

// Bottom to top in a day's expiry bar: the worst at the base, where the eye lands.
const QList<Health> kStackOrder{Health::Error, Health::Warning, Health::AwaitingUser,
                                Health::NotYetIssued, Health::Ok};

QColor withAlpha(QColor color, qreal alpha) {
    color.setAlphaF(float(alpha));
    return color;
}
} // namespace

ExpiryTimelineView::ExpiryTimelineView(ExpiryTimelineModel* model, QWidget* parent)
    : QWidget(parent), m_model(model) {
    setObjectName(QStringLiteral("expiryTimeline"));
    setAccessibleName(tr("Expiry and renewal timeline"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(model, &QAbstractItemModel::dataChanged, this, [this] {
        updateAccessibleDescription();
        update();
    });
    updateAccessibleDescription();
}

QSize ExpiryTimelineView::sizeHint() const {
    return {720, fontMetrics().height() * 8};
}

QSize ExpiryTimelineView::minimumSizeHint() const {
    return {fontMetrics().horizontalAdvance(QLatin1Char('x')) * 40, fontMetrics().height() * 6};
}

ExpiryTimelineView::Geometry ExpiryTimelineView::geometry() const {
    const QFontMetricsF fm(font());
    Geometry g;
    g.plot = QRectF(rect()).adjusted(2, fm.height() + 4, -2, -(fm.height() + 4));
    g.edgeWidth = std::max(fm.horizontalAdvance(tr("Overdue")),
                           fm.horizontalAdvance(QStringLiteral("00000"))) +
                  8;
    g.dayWidth =
        std::max(1.0, (g.plot.width() - 2 * g.edgeWidth - 2 * kGap) / ExpiryTimelineModel::kDays);
    g.baseline = g.plot.center().y();
    return g;
}

QRect ExpiryTimelineView::rowRect(int row) const {
    const Geometry g = geometry();
    QRectF r;
    if (row == 0)
        r = QRectF(g.plot.left(), g.plot.top(), g.edgeWidth, g.plot.height());
    else if (row == kLaterRow)
        r = QRectF(g.plot.right() - g.edgeWidth, g.plot.top(), g.edgeWidth, g.plot.height());
    else
        r = QRectF(g.plot.left() + g.edgeWidth + kGap + (row - 1) * g.dayWidth, g.plot.top(),
                   g.dayWidth, g.plot.height());
    return r.toAlignedRect();
}

int ExpiryTimelineView::rowAt(const QPoint& pos) const {
    const Geometry g = geometry();
    if (pos.y() < g.plot.top() - 2 || pos.y() > g.plot.bottom() + fontMetrics().height() + 4)
        return -1;
    const qreal x = pos.x();
    if (x < g.plot.left() + g.edgeWidth + kGap / 2)
        return 0;
    if (x >= g.plot.right() - g.edgeWidth - kGap / 2)
        return kLaterRow;
    const int day = int((x - g.plot.left() - g.edgeWidth - kGap) / g.dayWidth);
    return std::clamp(day, 0, ExpiryTimelineModel::kDays - 1) + 1;
}

void ExpiryTimelineView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const Geometry g = geometry();
    const QPalette& pal = palette();
    const QFontMetricsF fm(font());
    const QColor text = pal.color(QPalette::WindowText);
    const QColor muted = withAlpha(text, 0.6);
    const QColor renewColor = pal.color(QPalette::Highlight);

    // Legend.
    p.setPen(muted);
    p.drawText(QRectF(g.plot.left(), 0, g.plot.width(), fm.height() + 2),
               Qt::AlignLeft | Qt::AlignVCenter,
               tr("▲ expiring   ▼ renewing — per day, next 13 weeks"));

    // Chosen and hovered days, behind the bars.
    if (m_chosen)
        p.fillRect(QRectF(rowRect(firstChosen())).united(rowRect(lastChosen())),
                   withAlpha(pal.color(QPalette::Highlight), 0.28));
    if (m_hovered >= 0)
        p.fillRect(rowRect(m_hovered), withAlpha(text, 0.08));

    // The line, the week ticks and their dates.
    p.setPen(QPen(muted, 1));
    p.drawLine(QPointF(g.plot.left() + g.edgeWidth + kGap, g.baseline),
               QPointF(g.plot.right() - g.edgeWidth - kGap, g.baseline));
    const QDate first = m_model->firstDay();
    qreal lastLabelEnd = -1;
    for (int day = 0; day < ExpiryTimelineModel::kDays; ++day) {
        const QDate date = first.addDays(day);
        if (day != 0 && date.dayOfWeek() != Qt::Monday)
            continue;
        const qreal x = g.plot.left() + g.edgeWidth + kGap + day * g.dayWidth;
        p.setPen(QPen(withAlpha(text, 0.25), 1, Qt::DotLine));
        p.drawLine(QPointF(x, g.plot.top()), QPointF(x, g.plot.bottom()));
        const QString label =
            day == 0 ? tr("Today") : QLocale().toString(date, QStringLiteral("d MMM"));
        const qreal width = fm.horizontalAdvance(label);
        if (x <= lastLabelEnd + 4)
            continue;
        p.setPen(muted);
        p.drawText(QPointF(x, g.plot.bottom() + fm.ascent() + 2), label);
        lastLabelEnd = x + width;
    }

    // The days: expiring stacked by health above the line, renewing below. One scale for all
    // days, so that a taller bar is more certificates; a square-root scale, so that a day with
    // one or two still shows next to a day with fifty (the tooltip has the numbers).
    int most = 1;
    for (int row = 1; row < kLaterRow; ++row)
        most = std::max({most, m_model->expiring(row), m_model->renewing(row)});
    const qreal half = g.baseline - g.plot.top() - 1;
    const auto heightOf = [&](int count) {
        return count == 0 ? 0.0 : std::max(2.0, half * std::sqrt(qreal(count) / most));
    };
    const qreal barWidth = std::max(1.0, g.dayWidth - (g.dayWidth > 4 ? 1.5 : 0.0));
    p.setPen(Qt::NoPen);
    for (int row = 1; row < kLaterRow; ++row) {
        const qreal x = g.plot.left() + g.edgeWidth + kGap + (row - 1) * g.dayWidth;
        const QVariantList byHealth =
            m_model->index(row, 0).data(ExpiryTimelineModel::ExpiringByHealthRole).toList();
        qreal top = g.baseline;
        int below = 0;
        for (const Health health : kStackOrder) {
            const int count = byHealth.value(int(health)).toInt();
            if (count == 0)
                continue;
            below += count;
            const qreal newTop = g.baseline - heightOf(below);
            p.setBrush(healthColor(health, pal));
            p.drawRect(QRectF(x, newTop, barWidth, top - newTop));
            top = newTop;
        }
        if (const int renewing = m_model->renewing(row)) {
            p.setBrush(withAlpha(renewColor, 0.75));
            p.drawRect(QRectF(x, g.baseline + 1, barWidth, heightOf(renewing)));
        }
    }

    // The two ends: numbers rather than bars (they gather any number of days).
    for (const int row : {0, kLaterRow}) {
        const QRectF box = QRectF(rowRect(row)).adjusted(0.5, 0.5, -0.5, -0.5);
        p.setPen(QPen(withAlpha(text, 0.3), 1));
        p.setBrush(withAlpha(pal.color(QPalette::Base), 0.6));
        p.drawRoundedRect(box, 3, 3);
        const int expiring = m_model->expiring(row);
        const QColor top = row == 0 && expiring > 0 ? healthColor(Health::Error, pal) : text;
        p.setPen(top);
        p.drawText(QRectF(box.left(), box.top(), box.width(), box.height() / 2), Qt::AlignCenter,
                   QLocale().toString(expiring));
        p.setPen(renewColor);
        p.drawText(QRectF(box.left(), g.baseline, box.width(), box.bottom() - g.baseline),
                   Qt::AlignCenter, QLocale().toString(m_model->renewing(row)));
        p.setPen(muted);
        p.drawText(QRectF(box.left() - 8, g.plot.bottom() + 2, box.width() + 16, fm.height()),
                   Qt::AlignHCenter | Qt::AlignTop, row == 0 ? tr("Overdue") : tr("Later"));
    }

    if (hasFocus()) {
        QStyleOptionFocusRect option;
        option.initFrom(this);
        option.rect = rowRect(m_current).adjusted(-1, -1, 1, 1);
        option.backgroundColor = pal.color(QPalette::Window);
        style()->drawPrimitive(QStyle::PE_FrameFocusRect, &option, &p, this);
    }
}

QString ExpiryTimelineView::rowToolTip(int row) const {
    const QString period = m_model->index(row, ExpiryTimelineModel::PeriodColumn).data().toString();
    const QVariantList byHealth =
        m_model->index(row, 0).data(ExpiryTimelineModel::ExpiringByHealthRole).toList();
    QStringList parts;
    for (const Health health : healthsByUrgency())
        if (const int count = byHealth.value(int(health)).toInt())
            parts.append(QStringLiteral("%1 %2").arg(count).arg(healthText(health)));
    QString expiring = row == 0 ? tr("%1 expired").arg(m_model->expiring(row))
                                : tr("%1 expire").arg(m_model->expiring(row));
    if (parts.size() > 1)
        expiring += QStringLiteral(" (%1)").arg(parts.join(QStringLiteral(", ")));
    const QString renewing = row == 0 ? tr("%1 renewals overdue").arg(m_model->renewing(row))
                                      : tr("%1 renew").arg(m_model->renewing(row));
    return QStringLiteral("<b>%1</b><br>%2<br>%3<br><i>%4</i>")
        .arg(period.toHtmlEscaped(), expiring.toHtmlEscaped(), renewing.toHtmlEscaped(),
             tr("Click to show them; shift-click for a range").toHtmlEscaped());
}

void ExpiryTimelineView::choose(int first, int last) {
    m_chosen = true;
    m_anchor = std::clamp(first, 0, kLaterRow);
    m_current = std::clamp(last, 0, kLaterRow);
    emitChoice();
    update();
}

void ExpiryTimelineView::clearChoice() {
    if (!m_chosen)
        return;
    m_chosen = false;
    update();
    Q_EMIT choiceCleared();
}

void ExpiryTimelineView::emitChoice() {
    Q_EMIT windowChosen(m_model->from(firstChosen()), m_model->to(lastChosen()));
}

void ExpiryTimelineView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int row = rowAt(event->position().toPoint());
    if (row < 0)
        return;
    if (event->modifiers() & Qt::ShiftModifier && m_chosen) {
        choose(m_anchor, row);
    } else if (m_chosen && firstChosen() == row && lastChosen() == row) {
        m_current = row;
        clearChoice(); // a second click on the chosen day shows all again
    } else {
        choose(row, row);
    }
}

void ExpiryTimelineView::mouseMoveEvent(QMouseEvent* event) {
    const int row = rowAt(event->position().toPoint());
    if (row != m_hovered) {
        m_hovered = row;
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void ExpiryTimelineView::leaveEvent(QEvent* event) {
    m_hovered = -1;
    update();
    QWidget::leaveEvent(event);
}

void ExpiryTimelineView::keyPressEvent(QKeyEvent* event) {
    int next = m_current;
    switch (event->key()) {
    case Qt::Key_Left:
        next = m_current - 1;
        break;
    case Qt::Key_Right:
        next = m_current + 1;
        break;
    case Qt::Key_Home:
        next = 0;
        break;
    case Qt::Key_End:
        next = kLaterRow;
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        if (m_chosen && firstChosen() == m_current && lastChosen() == m_current)
            clearChoice();
        else
            choose(m_current, m_current);
        return;
    case Qt::Key_Escape:
        if (!m_chosen)
            return QWidget::keyPressEvent(event);
        clearChoice();
        return;
    default:
        return QWidget::keyPressEvent(event);
    }
    next = std::clamp(next, 0, kLaterRow);
    const bool extend = event->modifiers() & Qt::ShiftModifier;
    if (extend)
        choose(m_chosen ? m_anchor : m_current, next);
    else if (m_chosen)
        choose(next, next); // the choice follows the cursor
    m_current = next;
    update();
}

bool ExpiryTimelineView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        const int row = rowAt(static_cast<QHelpEvent*>(event)->pos());
        if (row >= 0)
            QToolTip::showText(static_cast<QHelpEvent*>(event)->globalPos(), rowToolTip(row), this,
                               rowRect(row));
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void ExpiryTimelineView::updateAccessibleDescription() {
    setAccessibleDescription(m_model->description());
}

} // namespace ck::gui
