#include "gui/FormSupport.h"

#include <QCheckBox>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ck::gui {

ErrorLabel::ErrorLabel(const QString& objectName, const QString& accessibleName, QWidget* parent)
    : QLabel(parent) {
    setObjectName(objectName);
    setAccessibleName(accessibleName);
    setWordWrap(true);
    setTextFormat(Qt::PlainText); // the service's words, never interpreted as markup
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setFocusPolicy(Qt::NoFocus); // selectable by mouse, but not a stop in the tab order
    applyColor();
    hide();
}

void ErrorLabel::showMessages(const QStringList& messages, QWidget* field) {
    if (!m_error) {
        m_error = true;
        applyColor();
    }
    const QString text = messages.join(QLatin1Char('\n'));
    setText(text);
    setVisible(!text.isEmpty());
    if (field)
        field->setAccessibleDescription(text);
}

void ErrorLabel::showInfo(const QString& text) {
    if (m_error) {
        m_error = false;
        applyColor();
    }
    setText(text);
    setVisible(!text.isEmpty());
}

void ErrorLabel::showError(const ApiError& error, const QString& feature) {
    showMessages({explainError(error, feature)});
}

QColor ErrorLabel::colorFor(const QPalette& palette) {
    // A dark red on light windows, a light red on dark ones: both well above 4.5:1 contrast.
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    return dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x00, 0x20);
}

void ErrorLabel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        // Setting the colour changes the palette again: only act when it differs.
        if (m_error && palette().color(QPalette::WindowText) != colorFor(palette()))
            applyColor();
    }
    QLabel::changeEvent(event);
}

void ErrorLabel::applyColor() {
    if (!m_error) {
        setPalette(QPalette()); // inherit the window's text colour again
        return;
    }
    // Only the text colour is the label's own: the rest keeps following the window, so that
    // a change to a dark palette reaches colorFor() (palette() would pin every colour).
    QPalette own;
    own.setColor(QPalette::WindowText, colorFor(palette()));
    setPalette(own);
}

QPushButton* makeButton(const QString& text, const QString& objectName,
                        const QString& accessibleName, QWidget* parent) {
    auto* button = new QPushButton(text, parent);
    button->setObjectName(objectName);
    if (!accessibleName.isEmpty())
        button->setAccessibleName(accessibleName);
    button->setAutoDefault(false);
    return button;
}

QTreeWidget* makeTable(const QString& objectName, const QString& accessibleName,
                       const QStringList& headers, QWidget* parent) {
    auto* table = new QTreeWidget(parent);
    table->setObjectName(objectName);
    table->setAccessibleName(accessibleName);
    table->setHeaderLabels(headers);
    table->setRootIsDecorated(false);
    table->setUniformRowHeights(true);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->header()->setStretchLastSection(true);
    return table;
}

void resizeInText(QWidget* window, int characters, int lines) {
    const QFontMetrics metrics = window->fontMetrics();
    const QSize wanted(metrics.averageCharWidth() * characters, metrics.lineSpacing() * lines);
    const QWidget* parent = window->parentWidget();
    const QScreen* screen = parent ? parent->screen() : QGuiApplication::primaryScreen();
    window->resize(screen ? wanted.boundedTo(screen->availableSize() * 0.9) : wanted);
}

QCheckBox* makeRevealCheck(const QList<QLineEdit*>& secrets, QWidget* parent) {
    auto* check = new QCheckBox(QObject::tr("Show secrets"), parent);
    check->setObjectName(QStringLiteral("revealSecretsCheck"));
    for (QLineEdit* secret : secrets) {
        secret->setEchoMode(QLineEdit::Password);
        QObject::connect(check, &QCheckBox::toggled, secret, [secret](bool shown) {
            secret->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        });
    }
    return check;
}

QWidget* column(QWidget* parent, std::initializer_list<QWidget*> widgets) {
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    for (QWidget* w : widgets)
        layout->addWidget(w);
    return box;
}

QHBoxLayout* lineWith(QWidget* field, std::initializer_list<QWidget*> beside) {
    auto* line = new QHBoxLayout;
    line->addWidget(field, 1);
    for (QWidget* w : beside)
        line->addWidget(w);
    return line;
}

QHBoxLayout* listWithButtons(QWidget* list, std::initializer_list<QPushButton*> buttons) {
    auto* column = new QVBoxLayout;
    for (QPushButton* b : buttons)
        column->addWidget(b);
    column->addStretch();
    auto* row = new QHBoxLayout;
    row->addWidget(list, 1);
    row->addLayout(column);
    return row;
}

QLabel* makeCaption(const QString& text, QWidget* buddy, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setBuddy(buddy);
    label->setAlignment(Qt::AlignRight | Qt::AlignTop);
    return label;
}

QLabel* makeHint(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

QString countOf(int n, const QString& singular, const QString& plural) {
    return QStringLiteral("%1 %2").arg(QLocale().toString(n), n == 1 ? singular : plural);
}

QString describeError(const ApiError& error) {
    QStringList lines;
    if (!error.detail.isEmpty())
        lines.append(error.detail);
    for (const FieldError& fe : error.errors)
        if (fe.detail != error.detail)
            lines.append(fe.detail);
    if (lines.isEmpty())
        lines.append(error.title());
    lines.removeDuplicates();
    return lines.join(QLatin1Char('\n'));
}

QList<FieldError> fieldErrorsOf(const ApiError& error) {
    QList<FieldError> fields = error.errors;
    if (fields.isEmpty() && !error.field.isEmpty())
        fields.append({error.field, error.detail});
    return fields;
}

FieldErrorRouter::Claims FieldErrorRouter::exactly(const QStringList& fields) {
    return [fields](const QString& field) { return fields.contains(field); };
}

FieldErrorRouter::Claims FieldErrorRouter::startingWith(const QStringList& prefixes) {
    return [prefixes](const QString& field) {
        return std::any_of(prefixes.begin(), prefixes.end(),
                           [&](const QString& prefix) { return field.startsWith(prefix); });
    };
}

void FieldErrorRouter::add(Claims claims, ErrorLabel* label, QWidget* input) {
    add(
        std::move(claims),
        [label, input](const QList<FieldError>& errors) {
            label->showMessages(detailsOf(errors), input);
        },
        input);
}

void FieldErrorRouter::add(Claims claims, std::function<void(const QList<FieldError>&)> show,
                           QWidget* focus) {
    m_inputs.append({std::move(claims), std::move(show), focus});
}

QList<FieldError> FieldErrorRouter::route(const QList<FieldError>& errors) const {
    QList<QList<FieldError>> byInput(m_inputs.size());
    QList<FieldError> unclaimed;
    for (const FieldError& fe : errors) {
        const auto input = std::find_if(m_inputs.begin(), m_inputs.end(),
                                        [&](const Input& i) { return i.claims(fe.field); });
        if (input == m_inputs.end())
            unclaimed.append(fe);
        else
            byInput[input - m_inputs.begin()].append(fe);
    }
    QWidget* first = nullptr;
    for (qsizetype i = 0; i < m_inputs.size(); ++i) {
        m_inputs[i].show(byInput[i]);
        if (!first && !byInput[i].isEmpty())
            first = m_inputs[i].focus;
    }
    if (first) // the user lands where the fix is
        first->setFocus();
    return unclaimed;
}

void FieldErrorRouter::show(const ApiError& error, ErrorLabel* formError) const {
    formError->showMessages(remainingMessages(error, route(fieldErrorsOf(error))));
}

QStringList detailsOf(const QList<FieldError>& errors) {
    QStringList details;
    for (const FieldError& fe : errors)
        details.append(fe.detail);
    return details;
}

QStringList remainingMessages(const ApiError& error, const QList<FieldError>& unclaimed) {
    QStringList messages = detailsOf(unclaimed);
    if (fieldErrorsOf(error).isEmpty())
        messages.append(describeError(error));
    return messages;
}

bool isMissingRoute(const ApiError& error) {
    return error.kind == ApiError::Kind::NotFound && error.field.isEmpty() &&
           error.detail.contains(QLatin1String("route"), Qt::CaseInsensitive);
}

QString explainError(const ApiError& error, const QString& feature) {
    return !feature.isEmpty() && isMissingRoute(error) ? missingRouteText(feature)
                                                       : describeError(error);
}

QString missingRouteText(const QString& feature) {
    return QObject::tr("This service does not offer %1 yet: update the Certkeeper service to the "
                       "version of this app.")
        .arg(feature);
}

} // namespace ck::gui
