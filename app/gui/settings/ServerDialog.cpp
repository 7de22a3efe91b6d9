#include "gui/settings/ServerDialog.h"

#include "gui/FormSupport.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ck::gui {

ServerDialog::ServerDialog(const ServerEntry& entry, const QStringList& existingIds,
                           QWidget* parent)
    : QDialog(parent), m_entry(entry), m_existingIds(existingIds) {
    setObjectName(QStringLiteral("serverDialog"));
    setWindowTitle(entry.id.isEmpty() ? tr("Add a service") : tr("Edit the connection"));
    const bool local = entry.id == QLatin1String("local");

    m_name = new QLineEdit(entry.displayName, this);
    m_name->setObjectName(QStringLiteral("serverNameEdit"));
    m_name->setAccessibleName(tr("Connection name"));
    m_host = new QLineEdit(entry.host, this);
    m_host->setObjectName(QStringLiteral("serverHostEdit"));
    m_host->setAccessibleName(tr("Host"));
    m_host->setPlaceholderText(tr("192.0.2.10 or server.example.com"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("serverPortSpin"));
    m_port->setAccessibleName(tr("Port"));
    m_port->setRange(1, 65535);
    m_port->setValue(entry.port);
    m_https = new QCheckBox(tr("Use &HTTPS"), this);
    m_https->setObjectName(QStringLiteral("serverHttpsCheck"));
    m_https->setChecked(entry.useHttps);
    m_token = new QLineEdit(entry.tokenFile, this);
    m_token->setObjectName(QStringLiteral("serverTokenEdit"));
    m_token->setAccessibleName(tr("API token file"));
    m_token->setPlaceholderText(tr("a copy of that service's api.token"));
    auto* browse = makeButton(tr("&Browse…"), QStringLiteral("serverTokenBrowseButton"),
                              tr("Choose the token file"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("API token file"), m_token->text());
        if (!file.isEmpty())
            m_token->setText(file);
    });
    m_default = new QCheckBox(tr("&Connect to this service when the app starts"), this);
    m_default->setObjectName(QStringLiteral("serverDefaultCheck"));
    m_default->setChecked(entry.isDefault);
    m_error =
        new ErrorLabel(QStringLiteral("serverError"), tr("Problem with the connection"), this);
    for (QWidget* w : std::initializer_list<QWidget*>{m_host, m_port, m_https, m_token, browse})
        w->setEnabled(!local);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(makeCaption(tr("&Name:"), m_name, this), m_name);
    form->addRow(makeCaption(tr("H&ost:"), m_host, this), m_host);
    form->addRow(makeCaption(tr("&Port:"), m_port, this), m_port);
    form->addRow(QString(), m_https);
    form->addRow(makeCaption(tr("&Token file:"), m_token, this), lineWith(m_token, {browse}));
    form->addRow(QString(), m_default);
    if (local)
        form->addRow(makeHint(tr("The service on this computer keeps its address and token "
                                 "file up to date here; only the name and the default can "
                                 "be changed."),
                              this));
    else
        form->addRow(makeHint(tr("A service on another host must listen on an address this "
                                 "computer reaches (\"host\" in its serviceconfig.json); use "
                                 "HTTPS or an SSH tunnel across networks you do not trust."),
                              this));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("serverOkButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ServerDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    m_name->setFocus();
    resize(fontMetrics().averageCharWidth() * 70, sizeHint().height());
}

ServerEntry ServerDialog::entry() const {
    ServerEntry e = m_entry;
    e.displayName = m_name->text().trimmed();
    e.host = m_host->text().trimmed();
    e.port = m_port->value();
    e.useHttps = m_https->isChecked();
    e.tokenFile = m_token->text().trimmed();
    e.isDefault = m_default->isChecked();
    if (e.id.isEmpty()) {
        // A readable id from the name, unique in the file: "Web server 2" -> "web-server-2".
        static const QRegularExpression notWord(QStringLiteral("[^a-z0-9]+"));
        QString base = e.displayName.toLower().replace(notWord, QStringLiteral("-"));
        base.remove(QRegularExpression(QStringLiteral("^-+|-+$")));
        if (base.isEmpty() || base == QLatin1String("local"))
            base = QStringLiteral("server");
        e.id = base;
        for (int n = 2; m_existingIds.contains(e.id); ++n)
            e.id = QStringLiteral("%1-%2").arg(base).arg(n);
    }
    return e;
}

void ServerDialog::accept() {
    QStringList problems;
    if (m_name->text().trimmed().isEmpty())
        problems.append(tr("Give the connection a name."));
    if (m_host->text().trimmed().isEmpty())
        problems.append(tr("Enter the host the service runs on."));
    m_error->showMessages(problems);
    if (problems.isEmpty())
        QDialog::accept();
}

} // namespace ck::gui
