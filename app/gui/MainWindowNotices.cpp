// The notices above the list: the service recovered a damaged database when it started, or it
// listens on another port than configured (both read from the diagnostics once per connection),
// or it has certificates but no ACME account to request them with.

#include "client/ApiClient.h"
#include "gui/CertificateListModel.h"
#include "gui/FirstRunGuide.h"
#include "gui/MainWindow.h"
#include "gui/ServiceCatalog.h"

#include <QDateTime>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>

namespace ck::gui {

namespace {
// A recovery event as the banner tells it: when, what happened, what may be missing and where
// the damaged file was kept, from the service's own sentences.
QString recoveryHtml(const ServiceDiagnostics::Recovery& event) {
    QString html = QStringLiteral("<p>");
    if (event.time.isValid())
        html += QStringLiteral("<b>%1:</b> ")
                    .arg(QLocale()
                             .toString(event.time.toLocalTime(), QLocale::ShortFormat)
                             .toHtmlEscaped());
    html += event.summary.toHtmlEscaped();
    if (!event.possiblyMissing.isEmpty())
        html +=
            QStringLiteral("<br><b>%1</b> %2")
                .arg(MainWindow::tr("What may be missing:"), event.possiblyMissing.toHtmlEscaped());
    if (!event.quarantinedFile.isEmpty())
        html += QStringLiteral("<br><b>%1</b> %2")
                    .arg(MainWindow::tr("The damaged file was kept at:"),
                         event.quarantinedFile.toHtmlEscaped());
    return html + QStringLiteral("</p>");
}

QString recoveryKey(const ServiceDiagnostics::Recovery& event) {
    return event.time.toString(Qt::ISODateWithMs) + QLatin1Char('|') + event.quarantinedFile +
           QLatin1Char('|') + event.summary;
}

QString portNoticeText(const ServiceDiagnostics::Bind& bind) {
    const QString why = bind.reason.contains(QLatin1String("in use"))
                            ? MainWindow::tr("was in use")
                            : MainWindow::tr("could not be used");
    QString text = MainWindow::tr("The service is using port %1 because port %2 %3")
                       .arg(bind.boundPort)
                       .arg(bind.requestedPort)
                       .arg(why);
    if (!bind.reason.isEmpty())
        text += QStringLiteral(" (%1)").arg(bind.reason);
    return text + MainWindow::tr(". Certkeeper follows it there; to get port %1 back, stop what "
                                 "holds it and restart the service.")
                      .arg(bind.requestedPort);
}

// A notice above the list: a tinted frame with a style icon and a word-wrapped text.
QFrame* makeNotice(QWidget* parent, const QString& name, QStyle::StandardPixmap icon,
                   QLabel*& text) {
    auto* frame = new QFrame(parent);
    frame->setObjectName(name);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setAutoFillBackground(true);
    auto* iconLabel = new QLabel(frame);
    const int size = frame->style()->pixelMetric(QStyle::PM_SmallIconSize) * 2;
    iconLabel->setPixmap(frame->style()->standardIcon(icon, nullptr, frame).pixmap(size, size));
    iconLabel->setAlignment(Qt::AlignTop);
    text = new QLabel(frame);
    text->setWordWrap(true);
    // Paths are copied from here into a terminal or a support request.
    text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    text->setMinimumWidth(200); // long paths are clipped, not widening the window
    auto* layout = new QHBoxLayout(frame);
    layout->addWidget(iconLabel);
    layout->addWidget(text, 1);
    frame->hide();
    return frame;
}

void tint(QWidget* widget, const QColor& base, const QColor& accent, float amount) {
    QPalette palette = widget->palette();
    palette.setColor(QPalette::Window,
                     QColor::fromRgbF(base.redF() + (accent.redF() - base.redF()) * amount,
                                      base.greenF() + (accent.greenF() - base.greenF()) * amount,
                                      base.blueF() + (accent.blueF() - base.blueF()) * amount));
    widget->setPalette(palette);
}
} // namespace

void MainWindow::createNotices(QWidget* page) {
    m_recoveryBanner = makeNotice(page, QStringLiteral("recoveryBanner"),
                                  QStyle::SP_MessageBoxWarning, m_recoveryText);
    m_recoveryBanner->setAccessibleName(tr("Database recovery notice"));
    m_recoveryText->setObjectName(QStringLiteral("recoveryBannerText"));
    m_recoveryText->setTextFormat(Qt::RichText);
    auto* dismiss = new QPushButton(tr("Dis&miss"), m_recoveryBanner);
    dismiss->setObjectName(QStringLiteral("recoveryDismissButton"));
    dismiss->setAccessibleName(tr("Dismiss the database recovery notice"));
    dismiss->setToolTip(tr("Hide this notice until Certkeeper is started again"));
    connect(dismiss, &QPushButton::clicked, this, &MainWindow::dismissRecoveryBanner);
    qobject_cast<QHBoxLayout*>(m_recoveryBanner->layout())->addWidget(dismiss, 0, Qt::AlignTop);

    m_portNotice = makeNotice(page, QStringLiteral("portNotice"), QStyle::SP_MessageBoxInformation,
                              m_portNoticeLabel);
    m_portNotice->setAccessibleName(tr("Service port notice"));
    m_portNoticeLabel->setObjectName(QStringLiteral("portNoticeLabel"));
    m_portNoticeLabel->setTextFormat(Qt::PlainText);

    m_accountNotice = makeNotice(page, QStringLiteral("accountNotice"),
                                 QStyle::SP_MessageBoxWarning, m_accountNoticeLabel);
    m_accountNotice->setAccessibleName(tr("No ACME account notice"));
    m_accountNoticeLabel->setObjectName(QStringLiteral("accountNoticeLabel"));
    m_accountNoticeLabel->setTextFormat(Qt::PlainText);
    m_accountNoticeLabel->setText(
        tr("No account with a certificate authority is registered, so these certificates can "
           "be neither requested nor renewed. Register one, and the renewals due go ahead."));
    auto* registerAccount = new QPushButton(tr("&Register an account…"), m_accountNotice);
    registerAccount->setObjectName(QStringLiteral("accountNoticeRegisterButton"));
    connect(registerAccount, &QPushButton::clicked, this, [this] { m_guide->registerAccount(); });
    qobject_cast<QHBoxLayout*>(m_accountNotice->layout())
        ->addWidget(registerAccount, 0, Qt::AlignTop);
    tintNotices();
}

void MainWindow::showAccountNotice() {
    // Only once the accounts were read: "none" must mean none, not "not asked yet".
    const bool noAccount = m_listLoaded && m_catalog->isLoaded() &&
                           m_catalog->problem().isEmpty() && m_catalog->accounts().isEmpty();
    m_accountNotice->setVisible(noAccount && m_model->rowCount() > 0);
}

void MainWindow::showStartupNotices(const ServiceDiagnostics& diagnostics) {
    m_shownRecoveries.clear();
    QStringList paragraphs;
    for (const ServiceDiagnostics::Recovery& event : diagnostics.database.recovery) {
        const QString key = recoveryKey(event);
        if (m_dismissedRecoveries.contains(key))
            continue;
        m_shownRecoveries.append(key);
        paragraphs.append(recoveryHtml(event));
    }
    if (paragraphs.isEmpty()) {
        m_recoveryBanner->hide();
    } else {
        const QString heading =
            tr("The service found its certificate database damaged when it started and "
               "repaired it. Check that the list below is complete.");
        m_recoveryText->setText(QStringLiteral("<p><b>%1</b></p>").arg(heading.toHtmlEscaped()) +
                                paragraphs.join(QString()));
        m_recoveryBanner->setAccessibleDescription(heading);
        m_recoveryBanner->show();
    }

    if (diagnostics.bind.negotiated) {
        m_portNoticeLabel->setText(portNoticeText(diagnostics.bind));
        m_portNotice->setAccessibleDescription(m_portNoticeLabel->text());
        m_portNotice->show();
    } else {
        m_portNotice->hide();
    }
}

void MainWindow::dismissRecoveryBanner() {
    for (const QString& key : std::as_const(m_shownRecoveries))
        m_dismissedRecoveries.insert(key);
    m_shownRecoveries.clear();
    m_recoveryBanner->hide();
    if (m_pages->currentWidget() == m_listPage)
        m_table->setFocus(); // the button that had it is gone
}

void MainWindow::tintNotices() {
    const QColor window = palette().color(QPalette::Window);
    tint(m_recoveryBanner, window, QColor(255, 176, 0), 0.3f); // amber: look at this
    tint(m_portNotice, window, palette().color(QPalette::Highlight), 0.15f);
    tint(m_accountNotice, window, QColor(255, 176, 0), 0.3f);
}

} // namespace ck::gui
