#include "gui/FirstRunGuide.h"

#include "gui/ServiceCatalog.h"
#include "gui/settings/RegisterAccountDialog.h"

#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
constexpr int kTextWidthEm = 40; // lines a reader's eye can follow

QLabel* paragraph(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    return label;
}

QLabel* stepNumber(int number, QWidget* parent) {
    auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(number), parent);
    label->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    label->setFont(font);
    return label;
}
} // namespace

FirstRunGuide::FirstRunGuide(ServiceCatalog* catalog, QWidget* parent)
    : QWidget(parent), m_catalog(catalog), m_accountState(new QLabel(this)),
      m_register(new QPushButton(tr("&Register an account…"), this)),
      m_add(new QPushButton(tr("&Add a certificate…"), this)) {
    setObjectName(QStringLiteral("firstRunGuide"));
    setAccessibleName(tr("Getting started"));
    m_accountState->setObjectName(QStringLiteral("accountStateLabel"));
    m_accountState->setWordWrap(true);
    m_accountState->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_register->setObjectName(QStringLiteral("registerAccountButton"));
    m_add->setObjectName(QStringLiteral("addCertificateButton"));

    auto* title = new QLabel(tr("No certificates yet"), this);
    title->setObjectName(QStringLiteral("firstRunTitle"));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    auto* intro = paragraph(
        tr("Certkeeper requests certificates from a certificate authority (CA) such as Let's "
           "Encrypt, renews them well before they expire, and puts them where your servers read "
           "them. Two steps to the first one:"),
        this);

    auto* steps = new QGridLayout;
    steps->setHorizontalSpacing(fontMetrics().horizontalAdvance(QLatin1Char('M')));
    steps->setVerticalSpacing(fontMetrics().height());
    steps->addWidget(stepNumber(1, this), 0, 0);
    steps->addWidget(paragraph(tr("<b>Register an account with a CA.</b> The CA writes to its "
                                  "address about your certificates."),
                               this),
                     0, 1);
    steps->addWidget(m_accountState, 1, 1);
    steps->addWidget(m_register, 2, 1, Qt::AlignLeft);
    steps->addWidget(stepNumber(2, this), 3, 0);
    steps->addWidget(paragraph(tr("<b>Add a certificate.</b> Name its domains, choose how to "
                                  "prove they are yours (a web root or DNS), and where its files "
                                  "go. Request it there; the service renews it from then on."),
                               this),
                     3, 1);
    steps->addWidget(m_add, 4, 1, Qt::AlignLeft);
    steps->setColumnStretch(1, 1);

    // A fixed width: wrapped text then knows its height, and the steps never overlap.
    auto* panel = new QWidget(this);
    panel->setFixedWidth(fontMetrics().horizontalAdvance(QLatin1Char('M')) * kTextWidthEm);
    auto* panelLayout = new QVBoxLayout(panel);
    panelLayout->addWidget(title);
    panelLayout->addWidget(intro);
    panelLayout->addSpacing(fontMetrics().height());
    panelLayout->addLayout(steps);

    // Centred by stretches, not by alignment: an aligned widget gets its plain size hint, too
    // short for its wrapped text.
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(panel);
    row->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addLayout(row);
    layout->addStretch(2);

    connect(m_register, &QPushButton::clicked, this, &FirstRunGuide::registerAccount);
    connect(m_add, &QPushButton::clicked, this, &FirstRunGuide::addCertificateRequested);
    connect(m_catalog, &ServiceCatalog::loaded, this, &FirstRunGuide::showAccounts);
    m_accountState->setText(tr("Looking for accounts…"));
}

void FirstRunGuide::refresh() {
    m_catalog->refresh();
}

void FirstRunGuide::showAccounts() {
    const auto& accounts = m_catalog->accounts();
    const bool hasAccount = !accounts.isEmpty();
    if (!m_catalog->problem().isEmpty() && !hasAccount) {
        m_accountState->setText(
            tr("The service could not list its accounts: %1").arg(m_catalog->problem()));
    } else if (!hasAccount) {
        m_accountState->setText(tr("No account yet."));
    } else {
        const AcmeAccount& first = accounts.first();
        const CertificateAuthority* ca = m_catalog->authority(first.certificateAuthorityId);
        const QString where = ca ? ca->title : first.certificateAuthorityId;
        m_accountState->setText(accounts.size() == 1
                                    ? tr("✓ Registered as %1 with %2.").arg(first.email, where)
                                    : tr("✓ Registered as %1 with %2, and %3 more.")
                                          .arg(first.email, where)
                                          .arg(accounts.size() - 1));
    }
    m_register->setText(hasAccount ? tr("&Register another account…")
                                   : tr("&Register an account…"));
    m_register->setDefault(!hasAccount);
    m_add->setDefault(hasAccount);
}

void FirstRunGuide::registerAccount() {
    auto* dialog = new RegisterAccountDialog(m_catalog, window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RegisterAccountDialog::registered, this, [this] { m_catalog->refresh(); });
    dialog->open();
}

} // namespace ck::gui
