#include "gui/HealthStyle.h"

#include <QApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>

namespace ck::gui {

namespace {
enum class Glyph { Check, Exclamation, Cross, Pause, Ring, Clock };

// Paints a coloured disc with a white glyph at whatever size and device pixel ratio is asked.
class GlyphIconEngine : public QIconEngine {
public:
    GlyphIconEngine(Glyph glyph, std::function<QColor()> color)
        : m_glyph(glyph), m_color(std::move(color)) {}

    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override {
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        QColor color = m_color();
        if (mode == QIcon::Disabled)
            color.setAlphaF(0.4f);
        const qreal side = qMin(rect.width(), rect.height());
        const QRectF box(rect.x() + (rect.width() - side) / 2,
                         rect.y() + (rect.height() - side) / 2, side, side);
        const QRectF disc = box.adjusted(side * 0.06, side * 0.06, -side * 0.06, -side * 0.06);
        QPen glyphPen(Qt::white, side * 0.13, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        if (m_glyph == Glyph::Ring) { // not issued: an outline, nothing inside yet
            painter->setPen(QPen(color, side * 0.12));
            painter->setBrush(Qt::NoBrush);
            painter->drawEllipse(
                disc.adjusted(side * 0.06, side * 0.06, -side * 0.06, -side * 0.06));
            painter->restore();
            return;
        }
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        if (m_glyph == Glyph::Exclamation) { // a warning triangle
            QPainterPath triangle;
            triangle.moveTo(disc.center().x(), disc.top());
            triangle.lineTo(disc.right(), disc.bottom() - side * 0.04);
            triangle.lineTo(disc.left(), disc.bottom() - side * 0.04);
            triangle.closeSubpath();
            painter->drawPath(triangle);
        } else {
            painter->drawEllipse(disc);
        }
        painter->setPen(glyphPen);
        const auto at = [&](qreal x, qreal y) {
            return QPointF(box.left() + x * side, box.top() + y * side);
        };
        switch (m_glyph) {
        case Glyph::Check:
            painter->drawPolyline(QPolygonF{at(0.28, 0.52), at(0.44, 0.68), at(0.72, 0.36)});
            break;
        case Glyph::Exclamation:
            painter->drawLine(at(0.5, 0.36), at(0.5, 0.62));
            painter->drawPoint(at(0.5, 0.78));
            break;
        case Glyph::Cross:
            painter->drawLine(at(0.34, 0.34), at(0.66, 0.66));
            painter->drawLine(at(0.66, 0.34), at(0.34, 0.66));
            break;
        case Glyph::Pause:
            painter->drawLine(at(0.41, 0.33), at(0.41, 0.67));
            painter->drawLine(at(0.59, 0.33), at(0.59, 0.67));
            break;
        case Glyph::Clock:
            painter->drawPolyline(QPolygonF{at(0.5, 0.28), at(0.5, 0.52), at(0.66, 0.62)});
            break;
        case Glyph::Ring:
            break;
        }
        painter->restore();
    }

    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize& size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override {
        QPixmap pixmap(size * scale);
        pixmap.setDevicePixelRatio(scale);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paint(&painter, QRect(QPoint(0, 0), size), mode, state);
        return pixmap;
    }

    QIconEngine* clone() const override { return new GlyphIconEngine(m_glyph, m_color); }

private:
    Glyph m_glyph;
    std::function<QColor()> m_color;
};

QIcon glyphIcon(Glyph glyph, std::function<QColor()> color) {
    return QIcon(new GlyphIconEngine(glyph, std::move(color)));
}
} // namespace

bool isDark(const QPalette& palette) {
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

QColor healthColor(Health health, const QPalette& palette) {
    const bool dark = isDark(palette);
    switch (health) {
    case Health::Ok:
        return dark ? QColor(0x5c, 0xc8, 0x6f) : QColor(0x1e, 0x7b, 0x34);
    case Health::Warning:
        return dark ? QColor(0xf2, 0xb1, 0x3c) : QColor(0xa8, 0x62, 0x00);
    case Health::Error:
        return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc0, 0x1c, 0x28);
    case Health::AwaitingUser:
        return dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x5f, 0xb4);
    case Health::NotYetIssued:
        return dark ? QColor(0xa0, 0xa0, 0xa0) : QColor(0x6e, 0x6e, 0x6e);
    }
    return palette.color(QPalette::Text);
}

QIcon healthIcon(Health health) {
    static const QIcon icons[] = {
        glyphIcon(Glyph::Check, [] { return healthColor(Health::Ok, QApplication::palette()); }),
        glyphIcon(Glyph::Exclamation,
                  [] { return healthColor(Health::Warning, QApplication::palette()); }),
        glyphIcon(Glyph::Cross, [] { return healthColor(Health::Error, QApplication::palette()); }),
        glyphIcon(Glyph::Pause,
                  [] { return healthColor(Health::AwaitingUser, QApplication::palette()); }),
        glyphIcon(Glyph::Ring,
                  [] { return healthColor(Health::NotYetIssued, QApplication::palette()); })};
    return icons[int(health)];
}

QIcon busyIcon() {
    static const QIcon icon =
        glyphIcon(Glyph::Clock, [] { return QApplication::palette().color(QPalette::Highlight); });
    return icon;
}

QString healthText(Health health) {
    switch (health) {
    case Health::Ok:
        return QApplication::translate("ck::gui::Health", "OK");
    case Health::Warning:
        return QApplication::translate("ck::gui::Health", "Warning");
    case Health::Error:
        return QApplication::translate("ck::gui::Health", "Error");
    case Health::AwaitingUser:
        return QApplication::translate("ck::gui::Health", "Awaiting user");
    case Health::NotYetIssued:
        return QApplication::translate("ck::gui::Health", "Not yet issued");
    }
    return {};
}

const QList<Health>& healthsByUrgency() {
    static const QList<Health> order{Health::Error, Health::Warning, Health::AwaitingUser,
                                     Health::NotYetIssued, Health::Ok};
    return order;
}

} // namespace ck::gui
