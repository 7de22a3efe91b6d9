#pragma once
// Stored credentials: the list (names, types, the non-secret settings and which secrets are
// set, never the secrets), add, test (the service tries it), remove (refused by the service
// while a certificate uses it, in its words).

#include "gui/settings/ListPage.h"
#include "model/StoredCredential.h"

namespace ck::gui {

class CredentialsPage : public ListPage {
    Q_OBJECT
public:
    CredentialsPage(ServiceCatalog* catalog, QWidget* parent);

private:
    QList<Row> rows() const override;
    void addCredential();
    void testSelected();

    QList<CredentialType> m_types;
    QPushButton* m_add;
};

} // namespace ck::gui
