#pragma once
// Small pieces every form of the app uses the same way: a label under a field that shows the
// service's words about it, a caption bound to its field (Alt+letter), a hint, and an error
// turned into plain sentences. The error colour is chosen for the palette in use, so it reads
// on light and dark themes alike.

#include "ApiError.h"

#include <QLabel>

#include <functional>

class QCheckBox;
class QHBoxLayout;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace ck::gui {

// A word-wrapped, selectable label in the error colour; hidden while it has nothing to say.
class ErrorLabel : public QLabel {
    Q_OBJECT
public:
    ErrorLabel(const QString& objectName, const QString& accessibleName, QWidget* parent);

    // Shows `messages` (one per line), or hides the label when there are none. The text is
    // also the accessible description of `field`, so a screen reader says it with the field.
    void showMessages(const QStringList& messages, QWidget* field = nullptr);
    void clear(QWidget* field = nullptr) { showMessages({}, field); }
    // The service's words about a failed call (see explainError).
    void showError(const ApiError& error, const QString& feature = {});
    // A message that is not an error ("Saved", "Connected"), in the normal text colour.
    void showInfo(const QString& text);
    bool showsError() const { return m_error; }

    static QColor colorFor(const QPalette& palette);

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColor();
    bool m_error = true;
};

// A push button that Enter in a dialog does not press (only the dialog's default button is).
QPushButton* makeButton(const QString& text, const QString& objectName,
                        const QString& accessibleName, QWidget* parent);

// A read-only list of records with column headers, one selected at a time.
QTreeWidget* makeTable(const QString& objectName, const QString& accessibleName,
                       const QStringList& headers, QWidget* parent);

// "Show secrets": shows the masked fields' text while ticked (to check what was pasted).
QCheckBox* makeRevealCheck(const QList<QLineEdit*>& secrets, QWidget* parent);

// Widgets one under the other, without margins: a field with its error label under it.
QWidget* column(QWidget* parent, std::initializer_list<QWidget*> widgets);
// A field that takes the width, with what belongs to it (a button, a unit) at its right.
QHBoxLayout* lineWith(QWidget* field, std::initializer_list<QWidget*> beside);
// A list with its buttons in a column to its right, top-aligned.
QHBoxLayout* listWithButtons(QWidget* list, std::initializer_list<QPushButton*> buttons);

// "&Name:" bound to `buddy`, right-aligned as forms are.
QLabel* makeCaption(const QString& text, QWidget* buddy, QWidget* parent);
// A short explanation under a field, in the placeholder colour.
QLabel* makeHint(const QString& text, QWidget* parent);

// A window's first size in average characters and lines of its font, never more than 90 % of
// the screen it opens on.
void resizeInText(QWidget* window, int characters, int lines);

// "1 line", "3 lines", "10,000 lines": English plurals without a translation catalogue ("%n
// line(s)" would show the brackets), the number as the locale writes it.
QString countOf(int n, const QString& singular, const QString& plural);

// An error as sentences for a message line: the service's detail, then each field's own detail
// (never JSON, never a status code on its own).
QString describeError(const ApiError& error);
// The fields at fault: the error's list, or its one field.
QList<FieldError> fieldErrorsOf(const ApiError& error);

// Sends the fields at fault in a refused call to the inputs they are about: each input's messages
// under it (and as its accessible description), the focus to the first input at fault in the
// order the inputs were added, and what no input claims back to the caller (or, with show(), to
// the form's own line).
class FieldErrorRouter {
public:
    // Whether an error about the field (the service's path, "values.server") is an input's.
    using Claims = std::function<bool(const QString& field)>;
    static Claims exactly(const QStringList& fields);
    static Claims startingWith(const QStringList& prefixes);

    // Errors claimed are shown by `label` under `input`.
    void add(Claims claims, ErrorLabel* label, QWidget* input);
    // Errors claimed are shown by `show` (an input with rows of its own, or a box to open
    // first), every time, with none when there are none; `focus` gets the focus when it had some.
    void add(Claims claims, std::function<void(const QList<FieldError>&)> show, QWidget* focus);
    void clear() { m_inputs.clear(); }

    // Shows each input's errors (and clears the others') and returns those no input claimed.
    QList<FieldError> route(const QList<FieldError>& errors) const;
    // A refused call: its fields routed, the rest (or, when it named no field, its sentences)
    // on `formError`.
    void show(const ApiError& error, ErrorLabel* formError) const;

private:
    struct Input {
        Claims claims;
        std::function<void(const QList<FieldError>&)> show;
        QWidget* focus;
    };
    QList<Input> m_inputs;
};

// The details of `errors`, one line each.
QStringList detailsOf(const QList<FieldError>& errors);
// What a form's own line says of a refused call once its inputs have shown theirs: the details
// of the fields no input claimed, or the error's sentences when it named no field.
QStringList remainingMessages(const ApiError& error, const QList<FieldError>& unclaimed);

// True when the service answered that the route does not exist: this service is older than
// the app. The sentence to show then.
bool isMissingRoute(const ApiError& error);
QString missingRouteText(const QString& feature);
// What to show for an error of a call for `feature` ("the preview"): the missing-route
// sentence when this service lacks it, else the service's own words.
QString explainError(const ApiError& error, const QString& feature = {});

} // namespace ck::gui
