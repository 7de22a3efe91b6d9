#pragma once
// A dialog whose form the service checks (a credential, a custom CA, an account registration):
// the form's fields, each with the service's words about it under it, a line under the form for
// the rest, and the button that sends it beside Cancel. While a form is on its way the button is
// off; a refusal puts each field's errors under it (FieldErrorRouter).

#include "gui/FormSupport.h"

#include <QDialog>

class QFormLayout;
class QLineEdit;
class QPushButton;

namespace ck::gui {

class FormDialog : public QDialog {
    Q_OBJECT
protected:
    struct Setup {
        QString objectName;
        QString title;
        QString sendText;        // "&Store"
        QString sendName;        // the send button's object name
        QString errorName;       // the form's error line's object name
        QString errorAccessible; // and its accessible name
        int widthInCharacters = 70;
    };
    FormDialog(const Setup& setup, QWidget* parent);

    // A line edit with its error label under it, as a row of `form` (owned by `owner`); errors
    // about `field` (the service's name for it) go under it.
    struct LineField {
        QLineEdit* edit;
        ErrorLabel* error;
    };
    LineField addLineField(QFormLayout* form, QWidget* owner, const QString& caption,
                           const QString& field, const QString& objectName,
                           const QString& errorName, const QString& accessibleName,
                           QWidget* beside = nullptr);

    // The dialog laid out: `form`, then `below`, the error line and the buttons.
    void finish(QLayout* form, std::initializer_list<QWidget*> below = {});

    virtual void submit() = 0;
    // The send button is off while a form is on its way.
    void setSending(bool sending);
    // The service refused the form: its words at the fields they are about.
    void refused(const ApiError& error);
    // Grows the dialog to the height its fields now need at its width (an error under a field
    // takes lines the first size did not have; a window does not grow by itself for them).
    void fitHeight();

    FieldErrorRouter& fieldErrors() { return m_fieldErrors; }
    ErrorLabel* formError() const { return m_formError; }
    QPushButton* sendButton() const { return m_send; }

private:
    int m_width;
    FieldErrorRouter m_fieldErrors;
    ErrorLabel* m_formError;
    QPushButton* m_send;
};

// A form layout whose fields take the width they are given.
QFormLayout* makeForm(QWidget* parent = nullptr);

} // namespace ck::gui
