#include "gui/StatusMessage.h"

#include <QTimer>

namespace ck::gui {

StatusMessage::StatusMessage(QWidget* parent) : QLabel(parent), m_timer(new QTimer(this)) {
    setObjectName(QStringLiteral("statusMessage"));
    setTextFormat(Qt::PlainText);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &StatusMessage::clearMessage);
}

void StatusMessage::showMessage(const QString& text, int timeoutMs) {
    // One line: a multi-line explanation would make the status bar grow.
    m_message = QString(text).replace(QLatin1Char('\n'), QLatin1Char(' '));
    setToolTip(m_message);
    setAccessibleName(m_message);
    elide();
    if (timeoutMs > 0)
        m_timer->start(timeoutMs);
    else
        m_timer->stop();
}

void StatusMessage::clearMessage() {
    m_timer->stop();
    m_message.clear();
    setToolTip({});
    setAccessibleName({});
    clear();
}

QSize StatusMessage::minimumSizeHint() const {
    return {0, QLabel::minimumSizeHint().height()};
}

void StatusMessage::resizeEvent(QResizeEvent* event) {
    QLabel::resizeEvent(event);
    elide();
}

void StatusMessage::elide() {
    setText(fontMetrics().elidedText(m_message, Qt::ElideRight, contentsRect().width()));
}

} // namespace ck::gui
