#pragma once
// Adds a custom ACME certificate authority: a private CA (step-ca, Smallstep, an internal
// Boulder or Pebble) or a public one that is not built in. The service checks the fields.

#include "gui/settings/FormDialog.h"
#include "model/CertificateAuthority.h"

class QCheckBox;

namespace ck {
class ApiClient;
}

namespace ck::gui {

class CustomCaDialog : public FormDialog {
    Q_OBJECT
public:
    CustomCaDialog(ApiClient* client, QWidget* parent);

    static bool isBuiltIn(const QString& id);

Q_SIGNALS:
    void added(const ck::CertificateAuthority& ca);

private:
    void submit() override;

    ApiClient* m_client;
    QLineEdit* m_id;
    QLineEdit* m_title;
    QLineEdit* m_directory;
    QLineEdit* m_staging;
    QLineEdit* m_root;
    QLineEdit* m_website;
    QCheckBox* m_eab;
};

} // namespace ck::gui
