#pragma once
// Stored credentials: the list (names, types, the non-secret settings and which secrets are
// set, never the secrets), add, test (the service tries it), remove (refused by the service
// while a certificate uses it, in its words).

#include "SettingsDialog.h"
#include "StoredCredential.h"

#include <QWidget>

class QPushButton;
class QTreeWidget;

namespace ck::gui {

class ErrorLabel;
class ServiceCatalog;

class CredentialsPage : public QWidget {
    Q_OBJECT
public:
    CredentialsPage(ServiceCatalog* catalog, QWidget* parent);
    void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }

    void addCredential();

private:
    void fill();
    void testSelected();
    void removeSelected();
    QString selectedId() const;

    ServiceCatalog* m_catalog;
    Confirmation m_confirm;
    QList<CredentialType> m_types;
    QTreeWidget* m_list;
    QPushButton* m_add;
    QPushButton* m_test;
    QPushButton* m_remove;
    ErrorLabel* m_status;
};

} // namespace ck::gui
