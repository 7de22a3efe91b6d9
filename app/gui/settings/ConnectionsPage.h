#pragma once
// The services this app can connect to (servers.json in the data directory): add a service on
// another host, edit, remove, choose the default, and test a connection. A test that fails
// explains why in the same words as the window's "Service not started" page: not running (and
// the fault it recorded), moved to another port, a token that cannot be read or is refused.

#include "config/ServersConfig.h"
#include "gui/settings/SettingsDialog.h"

#include <QWidget>

class QPushButton;
class QTreeWidget;

namespace ck {
class ApiClient;
}

namespace ck::gui {

class ErrorLabel;

class ConnectionsPage : public QWidget {
    Q_OBJECT
public:
    ConnectionsPage(QString dataDir, QWidget* parent);
    void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }

    QString serversFile() const;
    void reload();
    void addServer();
    void editSelected();
    void removeSelected();
    void makeSelectedDefault();
    void testSelected();

Q_SIGNALS:
    void serversChanged();

private:
    void fill();
    bool write(); // servers.json; false (and says why) when it cannot be written
    int selectedRow() const;
    void setDefault(int row);

    QString m_dataDir;
    Confirmation m_confirm;
    ServersConfig m_config;
    ApiClient* m_tester = nullptr;
    QTreeWidget* m_list;
    QPushButton* m_add;
    QPushButton* m_edit;
    QPushButton* m_remove;
    QPushButton* m_default;
    QPushButton* m_test;
    ErrorLabel* m_status;
};

} // namespace ck::gui
