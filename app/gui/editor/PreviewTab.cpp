#include "gui/editor/PreviewTab.h"

#include "client/ApiClient.h"
#include "gui/FormSupport.h"
#include "gui/editor/StepMarkdown.h"
#include "model/ActionStep.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
// Code blocks (a webhook's body, a command) wrap like the rest of the text: one long line would
// otherwise make the whole preview scroll sideways.
void wrapCodeBlocks(QTextDocument* document) {
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat format = block.blockFormat();
        if (!format.nonBreakableLines())
            continue;
        format.setNonBreakableLines(false);
        QTextCursor(block).setBlockFormat(format);
    }
}
} // namespace

PreviewTab::PreviewTab(const EditorContext& context, QWidget* parent) : EditorTab(context, parent) {
    setObjectName(QStringLiteral("previewTab"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("previewStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_text = new QTextBrowser(this);
    m_text->setObjectName(QStringLiteral("previewText"));
    m_text->setAccessibleName(tr("What a request would do"));
    m_text->setOpenExternalLinks(true);
    m_refresh = new QPushButton(tr("&Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("previewRefreshButton"));
    m_refresh->setAccessibleName(tr("Refresh the preview"));
    m_refresh->setAutoDefault(false);
    connect(m_refresh, &QPushButton::clicked, this, &PreviewTab::refresh);
    m_copy = new QPushButton(tr("&Copy as Markdown"), this);
    m_copy->setObjectName(QStringLiteral("previewCopyButton"));
    m_copy->setAutoDefault(false);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_markdown); });
    m_delay = new QTimer(this);
    m_delay->setSingleShot(true);
    m_delay->setInterval(kRefreshDelayMs);
    connect(m_delay, &QTimer::timeout, this, &PreviewTab::refresh);

    auto* top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_refresh);
    top->addWidget(m_copy);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_text, 1);
}

void PreviewTab::load(const ManagedCertificate& item) {
    m_itemId = item.id;
    itemChanged();
}

void PreviewTab::itemChanged() {
    m_stale = true;
    if (isVisible())
        m_delay->start();
}

void PreviewTab::showEvent(QShowEvent* event) {
    EditorTab::showEvent(event);
    if (m_stale)
        refresh();
}

void PreviewTab::refresh() {
    m_delay->stop();
    m_stale = false;
    const int generation = ++m_generation;
    m_status->setText(tr("Asking the service…"));
    context().client->previewItem(
        m_itemId, currentEdits(), this,
        [this, generation](const QList<ActionStep>& steps) {
            if (generation != m_generation)
                return;
            m_markdown = stepsToMarkdown(previewToJson(steps).value("steps").toArray());
            m_text->setMarkdown(m_markdown);
            wrapCodeBlocks(m_text->document());
            m_copy->setEnabled(true);
            m_status->setText(tr("What a request would do now, with the changes on screen. "
                                 "Nothing is done until you request."));
        },
        [this, generation](const ApiError& error) {
            if (generation != m_generation)
                return;
            m_status->setText(explainError(error, tr("the preview")));
        });
}

} // namespace ck::gui
