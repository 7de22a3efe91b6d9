#pragma once
// The certificate authorities the service can request from: the built-in ones, and custom ones
// (a private CA, or a public one that is not built in) that can be added and removed.

#include "gui/settings/ListPage.h"

namespace ck::gui {

class CertificateAuthoritiesPage : public ListPage {
    Q_OBJECT
public:
    CertificateAuthoritiesPage(ServiceCatalog* catalog, QWidget* parent);

private:
    QList<Row> rows() const override;
    void addCertificateAuthority();
};

} // namespace ck::gui
