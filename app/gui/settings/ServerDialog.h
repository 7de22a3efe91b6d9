#pragma once
// Adds or edits one service connection of servers.json: a name, the address and port, HTTPS,
// the file holding the service's API token, and whether it is the default.

#include "config/ServersConfig.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QSpinBox;

namespace ck::gui {

class ErrorLabel;

class ServerDialog : public QDialog {
    Q_OBJECT
public:
    // `existingIds` keeps a new entry's id unique.
    ServerDialog(const ServerEntry& entry, const QStringList& existingIds, QWidget* parent);

    ServerEntry entry() const;
    void accept() override; // only with a name and an address

private:
    ServerEntry m_entry;
    QStringList m_existingIds;
    QLineEdit* m_name;
    QLineEdit* m_host;
    QSpinBox* m_port;
    QCheckBox* m_https;
    QLineEdit* m_token;
    QCheckBox* m_default;
    ErrorLabel* m_error;
};

} // namespace ck::gui
