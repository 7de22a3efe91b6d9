#include "gui/AboutPage.h"

#include "client/ApiClient.h"
#include "gui/LicenceNotices.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShowEvent>
#include <QSslSocket>
#include <QTextBrowser>
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

// "Qt 6.4.2, OpenSSL 3.0.15": what the app itself runs with.
QString appLibraries() {
    QStringList libraries{QStringLiteral("Qt %1").arg(QString::fromLatin1(qVersion()))};
    if (QSslSocket::supportsSsl())
        libraries.append(QSslSocket::sslLibraryVersionString());
    return libraries.join(QStringLiteral(", "));
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
      m_appVersions(valueLabel("appVersionLabel", this)),
      m_serviceVersions(valueLabel("serviceVersionLabel", this)), m_notices(new QTextBrowser(this)),
      m_enterKey(new QPushButton(tr("&Enter Key…"), this)),
      m_deactivate(new QPushButton(tr("&Deactivate Install…"), this)),
      m_confirm(askWithMessageBox) {
    setObjectName(QStringLiteral("aboutPage"));
    m_enterKey->setObjectName(QStringLiteral("enterKeyButton"));
    m_deactivate->setObjectName(QStringLiteral("deactivateButton"));
    m_warning->setStyleSheet(QStringLiteral("color: #8a5300"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_warning->hide();
    m_error->hide();
    m_deactivate->setEnabled(false);

    auto* license = new QGroupBox(tr("Edition and license"), this);
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
    auto* licenseLayout = new QVBoxLayout(license);
    licenseLayout->addLayout(form);
    licenseLayout->addWidget(m_warning);
    licenseLayout->addWidget(m_error);
    licenseLayout->addLayout(buttons);

    // Left: what runs and what it may do; right: where to read more, and the licences.
    auto* left = new QVBoxLayout;
    left->addWidget(createVersions());
    left->addWidget(license);
    left->addWidget(createDocumentation());
    left->addStretch();
    auto* notices = new QGroupBox(tr("Licences"), this);
    m_notices->setObjectName(QStringLiteral("noticesBrowser"));
    m_notices->setAccessibleName(tr("Licences of Certkeeper and of the libraries it uses"));
    m_notices->setOpenExternalLinks(false);
    m_notices->setHtml(licenceNoticesHtml());
    auto* aboutQt = new QPushButton(tr("About &Qt…"), notices);
    aboutQt->setObjectName(QStringLiteral("aboutQtButton"));
    connect(aboutQt, &QPushButton::clicked, this, [] { QApplication::aboutQt(); });
    auto* noticesLayout = new QVBoxLayout(notices);
    noticesLayout->addWidget(m_notices, 1);
    noticesLayout->addWidget(aboutQt, 0, Qt::AlignLeft);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left, 1);
    layout->addWidget(notices, 1);

    connect(m_enterKey, &QPushButton::clicked, this, &AboutPage::enterKey);
    connect(m_deactivate, &QPushButton::clicked, this, &AboutPage::deactivate);
}

QWidget* AboutPage::createVersions() {
    auto* box = new QGroupBox(this);
    auto* title = new QLabel(QStringLiteral("<b>Certkeeper</b> %1").arg(CERTKEEPER_VERSION), box);
    QFont font = title->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    title->setFont(font);
    auto* tagline = new QLabel(
        tr("Requests, renews and deploys TLS certificates from ACME certificate authorities."),
        box);
    tagline->setWordWrap(true);
    m_appVersions->setText(appLibraries());
    m_serviceVersions->setText(tr("Not read yet"));
    auto* form = new QFormLayout;
    form->addRow(tr("This app:"), m_appVersions);
    form->addRow(tr("Service:"), m_serviceVersions);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(title);
    layout->addWidget(tagline);
    layout->addLayout(form);
    return box;
}

QWidget* AboutPage::createDocumentation() {
    auto* box = new QGroupBox(tr("Documentation"), this);
    auto* text = new QLabel(
        tr("<p>The manual pages: <tt>man certkeeper</tt>, <tt>man certkeeper-cli</tt> and "
           "<tt>man 8 certkeeper-service</tt>. Every command of the CLI explains itself: "
           "<tt>certkeeper-cli help</tt>.</p><p>The package's notes and licence are in "
           "<tt>/usr/share/doc/certkeeper</tt>.</p>"),
        box);
    text->setObjectName(QStringLiteral("documentationLabel"));
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(text);
    return box;
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
    m_client->diagnostics(
        this, [this](const ServiceDiagnostics& diagnostics) { displayService(diagnostics); },
        [this](const ApiError& error) {
            m_serviceVersions->setText(tr("Not connected: %1").arg(error.detail));
        });
}

void AboutPage::displayService(const ServiceDiagnostics& diagnostics) {
    QString text = tr("%1 at %2").arg(diagnostics.version, m_client->server().baseUrl());
    if (!diagnostics.libraries.isEmpty())
        text += QLatin1Char('\n') + diagnostics.libraries.join(QStringLiteral(", "));
    m_serviceVersions->setText(text);
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
