#include "CredentialsPage.h"

#include "ApiClient.h"
#include "CredentialDialog.h"
#include "FormSupport.h"
#include "ServiceCatalog.h"

#include <QHBoxLayout>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ck::gui {

CredentialsPage::CredentialsPage(ServiceCatalog* catalog, QWidget* parent)
    : QWidget(parent), m_catalog(catalog) {
    setObjectName(QStringLiteral("credentialsPage"));
    m_list = makeTable(QStringLiteral("credentialList"), tr("Stored credentials"),
                       {tr("Name"), tr("Type"), tr("Settings"), tr("Secrets"), tr("Stored")}, this);
    m_add = makeButton(tr("&Add…"), QStringLiteral("addCredentialButton"),
                       tr("Store a new credential"), this);
    m_test = makeButton(tr("&Test"), QStringLiteral("testCredentialButton"),
                        tr("Test the selected credential"), this);
    m_remove = makeButton(tr("&Remove"), QStringLiteral("removeCredentialButton"),
                          tr("Remove the selected credential"), this);
    m_status = new ErrorLabel(QStringLiteral("credentialsStatus"), tr("Credentials status"), this);
    connect(m_add, &QPushButton::clicked, this, &CredentialsPage::addCredential);
    connect(m_test, &QPushButton::clicked, this, &CredentialsPage::testSelected);
    connect(m_remove, &QPushButton::clicked, this, &CredentialsPage::removeSelected);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] {
        m_test->setEnabled(!selectedId().isEmpty());
        m_remove->setEnabled(!selectedId().isEmpty());
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(listWithButtons(m_list, {m_add, m_test, m_remove}), 1);
    layout->addWidget(makeHint(tr("Secrets are sealed by the service and never shown again; to "
                                  "change one, store a new credential and switch to it."),
                               this));
    layout->addWidget(m_status);

    connect(catalog, &ServiceCatalog::loaded, this, &CredentialsPage::fill);
    m_add->setEnabled(false); // until the service has said which types there are
    catalog->client()->credentialTypes(
        this,
        [this](const QList<CredentialType>& types) {
            m_types = types;
            m_add->setEnabled(!types.isEmpty());
        },
        [this](const ApiError& e) { m_status->showError(e); });
    fill();
}

QString CredentialsPage::selectedId() const {
    const QTreeWidgetItem* item = m_list->currentItem();
    return item ? item->data(0, Qt::UserRole).toString() : QString();
}

void CredentialsPage::fill() {
    const QString selected = selectedId();
    m_list->clear();
    for (const StoredCredential& c : m_catalog->credentials()) {
        QStringList settings;
        for (auto it = c.fields.begin(); it != c.fields.end(); ++it)
            if (!it.value().toString().isEmpty())
                settings.append(QStringLiteral("%1 %2").arg(it.key(), it.value().toString()));
        QStringList secrets;
        for (const QString& s : c.secretFields)
            secrets.append(tr("%1 set").arg(s));
        auto* row = new QTreeWidgetItem(
            m_list, {c.title, c.type, settings.join(QStringLiteral(", ")),
                     secrets.join(QStringLiteral(", ")),
                     QLocale().toString(c.dateCreated.toLocalTime(), QLocale::ShortFormat)});
        row->setData(0, Qt::UserRole, c.id);
        if (c.id == selected)
            m_list->setCurrentItem(row);
    }
    m_test->setEnabled(!selectedId().isEmpty());
    m_remove->setEnabled(!selectedId().isEmpty());
}

void CredentialsPage::addCredential() {
    auto* dialog = new CredentialDialog(m_catalog->client(), m_types, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CredentialDialog::created, this, [this](const QString& title) {
        m_status->showInfo(tr("Stored “%1”.").arg(title));
        m_catalog->refresh();
    });
    dialog->open();
}

void CredentialsPage::testSelected() {
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    m_status->showInfo(tr("Testing…"));
    m_catalog->client()->testCredential(
        id, this,
        [this](const CredentialTest& result) {
            const QString& message = result.message;
            if (result.ok == false) {
                QStringList lines{message.isEmpty() ? tr("The credential does not work.")
                                                    : message};
                if (!result.advice.isEmpty())
                    lines << result.advice;
                m_status->showMessages(lines);
            } else if (result.ok) {
                m_status->showInfo(message.isEmpty() ? tr("The credential works.") : message);
            } else {
                m_status->showInfo(message.isEmpty() ? tr("This credential cannot be tested here.")
                                                     : message);
            }
        },
        [this](const ApiError& e) { m_status->showError(e, tr("testing credentials")); });
}

void CredentialsPage::removeSelected() {
    const QTreeWidgetItem* row = m_list->currentItem();
    if (!row)
        return;
    if (!m_confirm(this, tr("Remove the credential “%1”?\n\nIts secret is deleted; the service "
                            "cannot use it again.")
                             .arg(row->text(0))))
        return;
    m_catalog->client()->removeCredential(
        row->data(0, Qt::UserRole).toString(), this,
        [this](const QString&) {
            m_status->showInfo(tr("The credential was removed."));
            m_catalog->refresh();
        },
        [this](const ApiError& e) { m_status->showError(e); });
}

} // namespace ck::gui
