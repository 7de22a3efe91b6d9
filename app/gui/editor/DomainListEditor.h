#pragma once
// The domains of a certificate as a list: type a name (or several) and Add, remove the selected
// names, make one the primary, or paste a whole list (one per line, or separated by commas or
// spaces, as openssl or another tool printed it). Wildcards (*.example.com) are names like any
// other. The service's errors about a name are shown on its row and in words under the list.

#include "ApiError.h"

#include <QWidget>

class QLineEdit;
class QTreeView;
class QPlainTextEdit;
class QPushButton;
class QLabel;

namespace ck::gui {

class DomainListModel;
class ErrorLabel;

class DomainListEditor : public QWidget {
    Q_OBJECT
public:
    explicit DomainListEditor(QWidget* parent = nullptr);

    DomainListModel* model() const { return m_model; }
    void setDomains(const QStringList& names, const QString& primary);
    QStringList domains() const; // primary first
    // Names typed but not added yet count too: a user who typed one name and pressed Save
    // expects it on the certificate.
    QStringList domainsIncludingTyped() const;

    // `errors` hold the service's field errors about the names (requestConfig.primaryDomain,
    // requestConfig.subjectAlternativeNames and their [i]); rows index the names as sent.
    void showErrors(const QList<FieldError>& errors);
    void clearErrors();
    void setReadOnly(bool readOnly);
    QWidget* firstField() const;
    QWidget* lastField() const;

Q_SIGNALS:
    void edited();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void addTyped();
    void removeSelected();
    void makeSelectedPrimary();
    void importText();
    void reportSkipped(const QStringList& skipped);
    void updateButtons();

    DomainListModel* m_model;
    QLineEdit* m_input;
    QPushButton* m_add;
    QTreeView* m_list;
    QPushButton* m_primary;
    QPushButton* m_remove;
    QPushButton* m_importToggle;
    QPlainTextEdit* m_importText;
    QPushButton* m_importAdd;
    QLabel* m_notice;
    ErrorLabel* m_error;
};

} // namespace ck::gui
