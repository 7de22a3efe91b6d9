#pragma once
// Stores a new credential: its type (as the service describes the types), a name, and the
// type's fields; secret fields are masked (with "Show secrets" to check a paste) and are never
// shown again once stored.

#include "StoredCredential.h"

#include <QDialog>
#include <QMap>

class QComboBox;
class QFormLayout;
class QLineEdit;
class QPushButton;

namespace ck {
class ApiClient;
}

namespace ck::gui {

class ErrorLabel;

class CredentialDialog : public QDialog {
    Q_OBJECT
public:
    CredentialDialog(ApiClient* client, const QList<CredentialType>& types, QWidget* parent);

    void selectType(const QString& type);

Q_SIGNALS:
    void created(const QString& title);

private:
    void typeChosen();
    void submit();

    struct Field {
        QLineEdit* edit = nullptr;
        ErrorLabel* error = nullptr;
    };
    ApiClient* m_client;
    QList<CredentialType> m_types;
    QComboBox* m_type;
    QLineEdit* m_title;
    ErrorLabel* m_titleError;
    QWidget* m_fieldsBox;
    QFormLayout* m_fieldsForm;
    QMap<QString, Field> m_fields;
    ErrorLabel* m_formError;
    QPushButton* m_store;
};

} // namespace ck::gui
