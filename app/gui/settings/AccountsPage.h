#pragma once
// ACME accounts: register one with a CA (a contact address, the CA's terms, External Account
// Binding where the CA needs it) and remove one.

#include "gui/settings/ListPage.h"

namespace ck::gui {

class AccountsPage : public ListPage {
    Q_OBJECT
public:
    AccountsPage(ServiceCatalog* catalog, QWidget* parent);

private:
    QList<Row> rows() const override;
    void registerAccount();
};

} // namespace ck::gui
