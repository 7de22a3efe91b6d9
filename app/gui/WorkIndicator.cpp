#include "gui/WorkIndicator.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

#include <algorithm>

namespace ck::gui {

WorkIndicator::WorkIndicator(QWidget* parent)
    : QWidget(parent), m_bar(new QProgressBar(this)), m_label(new QLabel(this)) {
    setObjectName(QStringLiteral("workIndicator"));
    m_bar->setObjectName(QStringLiteral("workProgress"));
    m_bar->setAccessibleName(tr("Work in progress"));
    m_bar->setMaximumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 16);
    m_bar->setTextVisible(false);
    m_label->setObjectName(QStringLiteral("workLabel"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_bar);
    layout->addWidget(m_label);
    hide();
}

int WorkIndicator::begin(const QString& text, int steps) {
    const int work = m_next++;
    m_work.insert(work, {text, std::max(0, steps), 0});
    display(work);
    return work;
}

void WorkIndicator::advance(int work, const QString& text) {
    const auto it = m_work.find(work);
    if (it == m_work.end())
        return;
    ++it->done;
    if (!text.isEmpty())
        it->text = text;
    display(work);
}

void WorkIndicator::setDone(int work, int done, int steps) {
    const auto it = m_work.find(work);
    if (it == m_work.end())
        return;
    it->done = done;
    it->steps = std::max(0, steps);
    display(work);
}

void WorkIndicator::end(int work) {
    if (!m_work.remove(work))
        return;
    if (m_work.isEmpty()) {
        hide();
        m_shown = 0;
        return;
    }
    if (work == m_shown)
        display(*std::max_element(m_work.keyBegin(), m_work.keyEnd())); // the latest left
}

QString WorkIndicator::text() const {
    return m_label->text();
}

void WorkIndicator::display(int work) {
    m_shown = work;
    const Work& w = m_work.value(work);
    m_bar->setRange(0, w.steps); // 0..0 is the moving bar of work without steps
    m_bar->setValue(std::min(w.done, w.steps));
    QString text = w.text;
    if (w.steps > 0)
        text = tr("%1 (%2 of %3)").arg(w.text).arg(w.done).arg(w.steps);
    if (m_work.size() > 1)
        text += tr(" — and %1 more").arg(m_work.size() - 1);
    m_label->setText(text);
    m_bar->setAccessibleDescription(text);
    setVisible(true);
}

} // namespace ck::gui
