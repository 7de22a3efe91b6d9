#pragma once
// Adds a custom ACME certificate authority: a private CA (step-ca, Smallstep, an internal
// Boulder or Pebble) or a public one that is not built in. The service checks the fields.

#include "CertificateAuthority.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QPushButton;

namespace ck {
class ApiClient;
}

namespace ck::gui {

class ErrorLabel;

class CustomCaDialog : public QDialog {
    Q_OBJECT
public:
    CustomCaDialog(ApiClient* client, QWidget* parent);

    static bool isBuiltIn(const QString& id);

Q_SIGNALS:
    void added(const ck::CertificateAuthority& ca);

private:
    void submit();

    ApiClient* m_client;
    QLineEdit* m_id;
    QLineEdit* m_title;
    QLineEdit* m_directory;
    QLineEdit* m_staging;
    QLineEdit* m_root;
    QLineEdit* m_website;
    QCheckBox* m_eab;
    QList<std::pair<QString, ErrorLabel*>> m_errors; // field -> its label
    ErrorLabel* m_formError;
    QPushButton* m_add;
};

} // namespace ck::gui
