#include "gui/AboutPage.h"

#include "client/ApiClient.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShowEvent>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
bool askWithMessageBox(QWidget* parent, const QString& question) {
    QMessageBox box(QMessageBox::Question, AboutPage::tr("Deactivate install"), question,
                    QMessageBox::Cancel, parent);
    QPushButton* yes = box.addButton(AboutPage::tr("&Deactivate"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == yes;
}

QLabel* valueLabel(const char* objectName, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(QLatin1String(objectName));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

QString dateText(const QDateTime& time) {
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd"));
}
} // namespace

EnterKeyDialog::EnterKeyDialog(ApiClient* client, QWidget* parent)
    : QDialog(parent), m_client(client), m_key(new QPlainTextEdit(this)),
      m_problem(new QLabel(this)) {
    setWindowTitle(tr("Enter license key"));
    setObjectName(QStringLiteral("enterKeyDialog"));
    m_key->setObjectName(QStringLiteral("licenseKeyEdit"));
    m_key->setPlaceholderText(tr("CK1.…"));
    m_problem->setObjectName(QStringLiteral("licenseKeyProblem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    m_problem->hide();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_activate = buttons->addButton(tr("&Activate"), QDialogButtonBox::AcceptRole);
    m_activate->setObjectName(QStringLiteral("activateButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &EnterKeyDialog::activate);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Paste the license key from your order. It is checked on "
                                    "this computer and bound to this install."),
                                 this));
    layout->addWidget(m_key);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
}

EnterKeyDialog* EnterKeyDialog::openFor(ApiClient* client, QWidget* parent) {
    auto* dialog = new EnterKeyDialog(client, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

QString EnterKeyDialog::problem() const {
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void EnterKeyDialog::activate() {
    m_activate->setEnabled(false);
    m_problem->hide();
    m_client->activateLicense(
        m_key->toPlainText(), this,
        [this](const LicenseInfo& info) {
            m_activate->setEnabled(true);
            Q_EMIT activated(info);
            accept();
        },
        [this](const ApiError& error) {
            m_activate->setEnabled(true);
            m_problem->setText(error.detail);
            m_problem->show();
        });
}

AboutPage::AboutPage(ApiClient* client, QWidget* parent)
    : QWidget(parent), m_client(client), m_edition(valueLabel("editionLabel", this)),
      m_licensee(valueLabel("licenseeLabel", this)), m_expires(valueLabel("expiresLabel", this)),
      m_usage(valueLabel("usageLabel", this)), m_installId(valueLabel("installIdLabel", this)),
      m_warning(valueLabel("licenseWarningLabel", this)), m_error(valueLabel("aboutError", this)),
      m_enterKey(new QPushButton(tr("&Enter Key…"), this)),
      m_deactivate(new QPushButton(tr("&Deactivate Install…"), this)),
      m_confirm(askWithMessageBox) {
    m_enterKey->setObjectName(QStringLiteral("enterKeyButton"));
    m_deactivate->setObjectName(QStringLiteral("deactivateButton"));
    m_warning->setStyleSheet(QStringLiteral("color: #8a5300"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_warning->hide();
    m_error->hide();
    m_deactivate->setEnabled(false);

    auto* title = new QLabel(QStringLiteral("<b>Certkeeper</b> %1").arg(CERTKEEPER_VERSION), this);
    auto* form = new QFormLayout;
    form->addRow(tr("Edition:"), m_edition);
    form->addRow(tr("Licensed to:"), m_licensee);
    form->addRow(tr("Expires:"), m_expires);
    form->addRow(tr("Certificates:"), m_usage);
    form->addRow(tr("Install id:"), m_installId);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_enterKey);
    buttons->addWidget(m_deactivate);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(form);
    layout->addWidget(m_warning);
    layout->addWidget(m_error);
    layout->addLayout(buttons);
    layout->addStretch();

    connect(m_enterKey, &QPushButton::clicked, this, &AboutPage::enterKey);
    connect(m_deactivate, &QPushButton::clicked, this, &AboutPage::deactivate);
}

void AboutPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!m_loaded)
        refresh();
}

void AboutPage::refresh() {
    m_client->license(
        this, [this](const LicenseInfo& info) { display(info); },
        [this](const ApiError& error) { showError(error); });
}

void AboutPage::display(const LicenseInfo& info) {
    m_loaded = true;
    m_license = info;
    m_error->hide();
    m_edition->setText(info.licensed ? tr("%1 edition").arg(info.editionTitle())
                                     : tr("Community edition"));
    m_licensee->setText(info.licensee.isEmpty() ? tr("not licensed") : info.licensee);
    m_expires->setText(info.licensee.isEmpty()  ? QStringLiteral("—")
                       : info.expires.isValid() ? dateText(info.expires)
                                                : tr("never"));
    m_usage->setText(info.unlimited()
                         ? tr("%1 managed, no limit").arg(info.itemsUsed)
                         : tr("%1 of %2 managed").arg(info.itemsUsed).arg(info.itemLimit));
    m_installId->setText(info.installId);
    const QString warning = info.warning.isEmpty() ? info.reminder() : info.warning;
    m_warning->setText(warning);
    m_warning->setVisible(!warning.isEmpty());
    // An expired key can be deactivated too: it still occupies license.json.
    m_deactivate->setEnabled(!info.licensee.isEmpty());
    Q_EMIT licenseChanged(info);
}

void AboutPage::showError(const ApiError& error) {
    m_error->setText(error.detail);
    m_error->show();
}

EnterKeyDialog* AboutPage::enterKey() {
    auto* dialog = EnterKeyDialog::openFor(m_client, this);
    connect(dialog, &EnterKeyDialog::activated, this, &AboutPage::display);
    return dialog;
}

void AboutPage::deactivate() {
    const QString question =
        tr("Deactivate the %1 license of %2 on this install?\n\nThe install returns to the "
           "Community edition: all %3 certificates are kept and keep renewing, but no more "
           "than %4 can be managed until a key is entered again.")
            .arg(m_license.editionTitle(), m_license.licensee)
            .arg(m_license.itemsUsed)
            .arg(kCommunityItemLimit);
    if (!m_confirm(this, question))
        return;
    m_client->deactivateLicense(
        this, [this](const LicenseInfo& info) { display(info); },
        [this](const ApiError& error) { showError(error); });
}

} // namespace ck::gui
