#include "gui/settings/ConnectionsPage.h"

#include "client/ApiClient.h"
#include "gui/FormSupport.h"
#include "gui/settings/ServerDialog.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ck::gui {

ConnectionsPage::ConnectionsPage(QString dataDir, QWidget* parent)
    : QWidget(parent), m_dataDir(std::move(dataDir)) {
    setObjectName(QStringLiteral("connectionsPage"));
    m_list = makeTable(QStringLiteral("serverList"), tr("Service connections"),
                       {tr("Name"), tr("Address"), tr("Default"), tr("Token file")}, this);
    m_add = makeButton(tr("&Add…"), QStringLiteral("addServerButton"),
                       tr("Add a service on another host"), this);
    m_edit = makeButton(tr("Ed&it…"), QStringLiteral("editServerButton"),
                        tr("Edit the selected connection"), this);
    m_remove = makeButton(tr("&Remove"), QStringLiteral("removeServerButton"),
                          tr("Remove the selected connection"), this);
    m_default = makeButton(tr("Make &default"), QStringLiteral("defaultServerButton"),
                           tr("Connect to the selected service when the app starts"), this);
    m_test = makeButton(tr("&Test connection"), QStringLiteral("testConnectionButton"),
                        tr("Test the connection to the selected service"), this);
    m_status = new ErrorLabel(QStringLiteral("connectionTestResult"), tr("Connection test"), this);
    connect(m_add, &QPushButton::clicked, this, &ConnectionsPage::addServer);
    connect(m_edit, &QPushButton::clicked, this, &ConnectionsPage::editSelected);
    connect(m_remove, &QPushButton::clicked, this, &ConnectionsPage::removeSelected);
    connect(m_default, &QPushButton::clicked, this, &ConnectionsPage::makeSelectedDefault);
    connect(m_test, &QPushButton::clicked, this, &ConnectionsPage::testSelected);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &ConnectionsPage::editSelected);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] {
        const int row = selectedRow();
        const bool local = row >= 0 && m_config.servers[row].id == QLatin1String("local");
        m_edit->setEnabled(row >= 0);
        m_remove->setEnabled(row >= 0 && !local);
        m_default->setEnabled(row >= 0 && !m_config.servers[row].isDefault);
        m_test->setEnabled(row >= 0);
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(listWithButtons(m_list, {m_add, m_edit, m_remove, m_default, m_test}), 1);
    layout->addWidget(m_status);
    reload();
}

QString ConnectionsPage::serversFile() const {
    return m_dataDir + QStringLiteral("/servers.json");
}

void ConnectionsPage::reload() {
    m_config = {};
    if (QFileInfo::exists(serversFile())) {
        auto loaded = ServersConfig::load(serversFile());
        if (auto* config = std::get_if<ServersConfig>(&loaded))
            m_config = *config;
        else
            m_status->showMessages({tr("%1\nSaving here replaces the file.")
                                        .arg(std::get<ConfigError>(loaded).message())});
    } else {
        m_status->showInfo(tr("There is no %1 yet: the service writes it when it first starts. "
                              "Entries added here are kept.")
                               .arg(serversFile()));
    }
    fill();
}

void ConnectionsPage::fill() {
    const int selected = selectedRow();
    m_list->clear();
    for (const ServerEntry& s : m_config.servers) {
        auto* item =
            new QTreeWidgetItem(m_list, {s.displayName, s.baseUrl(),
                                         s.isDefault ? tr("default") : QString(), s.tokenFile});
        item->setData(0, Qt::UserRole, s.id);
    }
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(
            m_list->topLevelItem(std::clamp(selected, 0, m_list->topLevelItemCount() - 1)));
    Q_EMIT m_list->currentItemChanged(m_list->currentItem(), nullptr);
}

int ConnectionsPage::selectedRow() const {
    return m_list->currentItem() ? m_list->indexOfTopLevelItem(m_list->currentItem()) : -1;
}

bool ConnectionsPage::write() {
    QString error;
    if (!m_config.save(serversFile(), &error)) {
        m_status->showMessages({tr("Could not write %1: %2").arg(serversFile(), error)});
        return false;
    }
    Q_EMIT serversChanged();
    return true;
}

void ConnectionsPage::setDefault(int row) {
    for (int i = 0; i < m_config.servers.size(); ++i)
        m_config.servers[i].isDefault = i == row;
}

void ConnectionsPage::addServer() {
    ServerEntry entry;
    entry.id.clear();
    entry.displayName.clear();
    entry.host.clear();
    entry.isDefault = false;
    QStringList ids;
    for (const auto& s : m_config.servers)
        ids.append(s.id);
    auto* dialog = new ServerDialog(entry, ids, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ServerEntry added = dialog->entry();
        m_config.servers.append(added);
        if (added.isDefault || m_config.servers.size() == 1)
            setDefault(int(m_config.servers.size()) - 1);
        if (write())
            m_status->showInfo(
                tr("Added “%1”. Test the connection to check it.").arg(added.displayName));
        fill();
        m_list->setCurrentItem(m_list->topLevelItem(m_list->topLevelItemCount() - 1));
    });
    dialog->open();
}

void ConnectionsPage::editSelected() {
    const int row = selectedRow();
    if (row < 0)
        return;
    QStringList ids;
    for (const auto& s : m_config.servers)
        ids.append(s.id);
    auto* dialog = new ServerDialog(m_config.servers[row], ids, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, row] {
        m_config.servers[row] = dialog->entry();
        if (m_config.servers[row].isDefault)
            setDefault(row);
        write();
        fill();
    });
    dialog->open();
}

void ConnectionsPage::removeSelected() {
    const int row = selectedRow();
    if (row < 0 || m_config.servers[row].id == QLatin1String("local"))
        return;
    const ServerEntry removed = m_config.servers[row];
    if (!m_confirm(this, tr("Remove the connection “%1” (%2)?\n\nThe service itself is not "
                            "changed.")
                             .arg(removed.displayName, removed.baseUrl())))
        return;
    m_config.servers.removeAt(row);
    if (removed.isDefault && !m_config.servers.isEmpty())
        setDefault(0);
    if (write())
        m_status->showInfo(tr("Removed “%1”.").arg(removed.displayName));
    fill();
}

void ConnectionsPage::makeSelectedDefault() {
    const int row = selectedRow();
    if (row < 0)
        return;
    setDefault(row);
    if (write())
        m_status->showInfo(
            tr("The app connects to “%1” from now on.").arg(m_config.servers[row].displayName));
    fill();
}

void ConnectionsPage::testSelected() {
    const int row = selectedRow();
    if (row < 0)
        return;
    const ServerEntry entry = m_config.servers[row];
    delete m_tester; // an earlier test's answer no longer matters
    m_tester = new ApiClient(entry, m_dataDir, this);
    m_status->showInfo(tr("Connecting to %1…").arg(entry.baseUrl()));
    m_tester->diagnostics(
        this,
        [this, entry](const ServiceDiagnostics& diagnostics) {
            const QString& version = diagnostics.version;
            m_status->showInfo(
                tr("Connected to the Certkeeper service%1 at %2; the token is "
                   "accepted.")
                    .arg(version.isEmpty() ? QString() : QStringLiteral(" ") + version,
                         entry.baseUrl()));
        },
        [this](const ApiError& error) { m_status->showError(error); });
}

} // namespace ck::gui
