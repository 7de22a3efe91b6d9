#pragma once
// Stores a new credential: its type (as the service describes the types), a name, and the
// type's fields; secret fields are masked (with "Show secrets" to check a paste) and are never
// shown again once stored.

#include "gui/settings/FormDialog.h"
#include "model/StoredCredential.h"

#include <QMap>

class QComboBox;
class QFormLayout;

namespace ck {
class ApiClient;
}

namespace ck::gui {

class CredentialDialog : public FormDialog {
    Q_OBJECT
public:
    CredentialDialog(ApiClient* client, const QList<CredentialType>& types, QWidget* parent);

    void selectType(const QString& type);

Q_SIGNALS:
    void created(const QString& title);

private:
    void typeChosen();
    void submit() override;

    ApiClient* m_client;
    QList<CredentialType> m_types;
    QComboBox* m_type;
    LineField m_title;
    QWidget* m_fieldsBox;
    QFormLayout* m_fieldsForm;
    QMap<QString, QLineEdit*> m_fields;
};

} // namespace ck::gui
