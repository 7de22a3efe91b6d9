#include "gui/ConnectionProblemPage.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace ck::gui {

ConnectionProblemPage::ConnectionProblemPage(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("connectionProblemPage"));
    auto* title = new QLabel(tr("Cannot connect to the Certkeeper service"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    title->setFont(titleFont);

    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(48, 48));
    icon->setAlignment(Qt::AlignTop);

    m_explanation = new QLabel(this);
    m_explanation->setObjectName(QStringLiteral("connectionProblemLabel"));
    m_explanation->setWordWrap(true);
    // Users copy the commands and paths from here into a terminal or a support request.
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse |
                                           Qt::TextSelectableByKeyboard);
    m_explanation->setTextFormat(Qt::PlainText);
    m_explanation->setAccessibleName(tr("Connection problem"));

    m_details = new QLabel(this);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setForegroundRole(QPalette::PlaceholderText);

    m_retry = new QPushButton(tr("&Retry now"), this);
    m_retry->setObjectName(QStringLiteral("retryButton"));
    connect(m_retry, &QPushButton::clicked, this, &ConnectionProblemPage::retryRequested);

    auto* text = new QVBoxLayout;
    text->addWidget(title);
    text->addSpacing(8);
    text->addWidget(m_explanation);
    text->addSpacing(8);
    text->addWidget(m_details);
    text->addSpacing(12);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addStretch();
    text->addLayout(buttons);
    text->addStretch();

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(32, 32, 32, 32);
    layout->addWidget(icon);
    layout->addSpacing(12);
    layout->addLayout(text, 1);
}

void ConnectionProblemPage::showProblem(const QString& explanation, const QString& serverUrl,
                                        const QString& dataDir, int retrySeconds) {
    m_explanation->setText(explanation);
    m_details->setText(
        tr("Service address: %1\nData directory: %2 (service log: %2/logs/"
           "service.log)\nLast tried at %3; trying again every %4 s.")
            .arg(serverUrl, dataDir, QLocale().toString(QTime::currentTime(), QLocale::ShortFormat))
            .arg(retrySeconds));
}

QString ConnectionProblemPage::explanation() const {
    return m_explanation->text();
}

} // namespace ck::gui
