#include "CertificateEditorDialog.h"

#include "ApiClient.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
const QString kSanField = QStringLiteral("requestConfig.subjectAlternativeNames");
const QString kPrimaryField = QStringLiteral("requestConfig.primaryDomain");

// "requestConfig.subjectAlternativeNames[2]" -> 2; -1 without an index.
int sanIndex(const QString& field) {
    static const QRegularExpression pattern(
        QStringLiteral(R"(^requestConfig\.subjectAlternativeNames\[(\d+)\])"));
    const auto match = pattern.match(field);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

QLabel* makeLabel(const QString& text, QWidget* buddy, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setBuddy(buddy);
    label->setAlignment(Qt::AlignRight | Qt::AlignTop);
    return label;
}
} // namespace

CertificateEditorDialog::CertificateEditorDialog(ApiClient* client, ManagedCertificate item,
                                                 QWidget* parent)
    : QDialog(parent), m_client(client), m_item(std::move(item)) {
    setObjectName(QStringLiteral("certificateEditor"));
    setWindowTitle(m_item.id.isEmpty() ? tr("New certificate")
                                       : tr("Edit certificate — %1").arg(m_item.name));

    m_nameEdit = new QLineEdit(m_item.name, this);
    m_nameEdit->setObjectName(QStringLiteral("nameEdit"));
    m_nameEdit->setAccessibleName(tr("Name"));
    m_nameEdit->setPlaceholderText(tr("A name you recognise, e.g. Web shop"));
    m_nameError = makeErrorLabel("nameError", tr("Problem with the name"));

    m_domainsEdit = new QPlainTextEdit(m_item.domains().join(QLatin1Char('\n')), this);
    m_domainsEdit->setObjectName(QStringLiteral("domainsEdit"));
    m_domainsEdit->setAccessibleName(tr("Domains, one per line; the first is the primary domain"));
    m_domainsEdit->setPlaceholderText(QStringLiteral("example.com\nwww.example.com"));
    m_domainsEdit->setTabChangesFocus(true);
    m_domainsEdit->setLineWrapMode(QPlainTextEdit::NoWrap); // a line is a name: keep it visible
    auto* domainsHint = new QLabel(tr("One name per line; the first is the primary domain. "
                                      "*.example.com for a wildcard."),
                                   this);
    domainsHint->setWordWrap(true);
    domainsHint->setForegroundRole(QPalette::PlaceholderText);
    m_domainsError = makeErrorLabel("domainsError", tr("Problems with the domains"));

    m_commentsEdit = new QPlainTextEdit(m_item.comments, this);
    m_commentsEdit->setObjectName(QStringLiteral("commentsEdit"));
    m_commentsEdit->setAccessibleName(tr("Comments"));
    m_commentsEdit->setTabChangesFocus(true);
    m_commentsEdit->setMaximumHeight(m_commentsEdit->fontMetrics().lineSpacing() * 4 + 12);

    m_conflictLabel = makeErrorLabel("conflictLabel", tr("Changed by someone else"));
    m_conflictLabel->setStyleSheet({}); // an explanation with a choice, not an error in a field
    m_reloadButton = new QPushButton(tr("&Reload their version"), this);
    m_reloadButton->setObjectName(QStringLiteral("reloadButton"));
    m_reloadButton->hide();
    connect(m_reloadButton, &QPushButton::clicked, this,
            &CertificateEditorDialog::reloadTheirVersion);
    m_formError = makeErrorLabel("formError", tr("Problem saving"));

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_saveButton = m_buttons->button(QDialogButtonBox::Save);
    m_saveButton->setObjectName(QStringLiteral("saveButton"));
    m_saveButton->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CertificateEditorDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* grid = new QGridLayout;
    grid->addWidget(makeLabel(tr("&Name:"), m_nameEdit, this), 0, 0);
    grid->addWidget(m_nameEdit, 0, 1);
    grid->addWidget(m_nameError, 1, 1);
    grid->addWidget(makeLabel(tr("&Domains:"), m_domainsEdit, this), 2, 0);
    grid->addWidget(m_domainsEdit, 2, 1);
    grid->addWidget(domainsHint, 3, 1);
    grid->addWidget(m_domainsError, 4, 1);
    grid->addWidget(makeLabel(tr("&Comments:"), m_commentsEdit, this), 5, 0);
    grid->addWidget(m_commentsEdit, 5, 1);
    grid->setColumnStretch(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(m_conflictLabel);
    layout->addWidget(m_reloadButton, 0, Qt::AlignLeft);
    layout->addWidget(m_formError);
    layout->addWidget(m_buttons);

    setTabOrder(m_nameEdit, m_domainsEdit);
    setTabOrder(m_domainsEdit, m_commentsEdit);
    setTabOrder(m_commentsEdit, m_reloadButton);
    setTabOrder(m_reloadButton, m_buttons);
    m_nameEdit->setFocus();
    resize(560, sizeHint().height());
}

QLabel* CertificateEditorDialog::makeErrorLabel(const char* objectName,
                                                const QString& accessibleName) {
    auto* label = new QLabel(this);
    label->setObjectName(QLatin1String(objectName));
    label->setAccessibleName(accessibleName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(QStringLiteral("color: #b00020;"));
    label->hide();
    return label;
}

void CertificateEditorDialog::showOn(QLabel* label, QWidget* field, const QStringList& messages) {
    const QString text = messages.join(QLatin1Char('\n'));
    label->setText(text);
    label->setVisible(!text.isEmpty());
    if (field) // read out with the field by screen readers
        field->setAccessibleDescription(text);
}

ManagedCertificate CertificateEditorDialog::itemFromFields() {
    ManagedCertificate item = m_item; // keeps what this dialog does not show (challenges, ...)
    item.name = m_nameEdit->text();
    item.comments = m_commentsEdit->toPlainText();
    // Pasted lists often come comma- or space-separated: accept that, but remember the line of
    // each name so the service's "subjectAlternativeNames[3]" can be shown as "line 2".
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    QStringList names;
    m_lineOfName.clear();
    const QStringList lines = m_domainsEdit->toPlainText().split(QLatin1Char('\n'));
    for (int line = 0; line < lines.size(); ++line) {
        for (const QString& name : lines[line].split(separators, Qt::SkipEmptyParts)) {
            names.append(name);
            m_lineOfName.append(line + 1);
        }
    }
    item.requestConfig.subjectAlternativeNames = names;
    item.requestConfig.primaryDomain = names.value(0);
    return item;
}

void CertificateEditorDialog::save() {
    clearErrors();
    const ManagedCertificate item = itemFromFields();
    setBusy(true);
    auto done = [this](const ManagedCertificate& stored) {
        setBusy(false);
        m_item = stored;
        Q_EMIT saved(stored);
        accept();
    };
    auto failed = [this](const ApiError& error) {
        setBusy(false);
        showError(error);
    };
    if (item.id.isEmpty())
        m_client->createItem(item, this, done, failed);
    else
        m_client->updateItem(item, this, done, failed);
}

void CertificateEditorDialog::reloadTheirVersion() {
    setBusy(true);
    m_client->getItem(
        m_item.id, this,
        [this](const ManagedCertificate& theirs) {
            setBusy(false);
            m_item = theirs; // the next Save goes against their version: no second conflict
            m_reloadButton->hide();
            m_conflictLabel->setText(
                tr("Loaded their version %1: name “%2”, domains %3.\nYour text above is kept: "
                   "Save to replace their version with yours, or Cancel to keep theirs.")
                    .arg(theirs.version)
                    .arg(theirs.name, theirs.domains().join(QStringLiteral(", "))));
        },
        [this](const ApiError& error) {
            setBusy(false);
            showError(error);
        });
}

void CertificateEditorDialog::showError(const ApiError& error) {
    clearErrors();
    QList<FieldError> fieldErrors = error.errors;
    if (fieldErrors.isEmpty() && !error.field.isEmpty())
        fieldErrors.append({error.field, error.detail});

    if (error.kind == ApiError::Kind::Conflict) {
        m_conflictLabel->setText(tr("Someone else saved this certificate while you were editing "
                                    "it (%1). Your text is kept. Reload their version to see what "
                                    "they changed; Save then replaces it with yours.")
                                     .arg(error.detail));
        m_conflictLabel->show();
        m_reloadButton->show();
        m_reloadButton->setFocus();
        return;
    }
    if (error.kind == ApiError::Kind::NotFound && !m_item.id.isEmpty()) {
        m_item.id.clear();
        m_item.version = 0;
        showOn(m_formError, nullptr,
               {tr("This certificate was deleted by someone else meanwhile. Your text is kept: "
                   "Save to create it again as a new certificate.")});
        return;
    }

    QStringList nameMessages, domainMessages, otherMessages;
    for (const FieldError& fe : fieldErrors) {
        if (fe.field == QLatin1String("name")) {
            nameMessages.append(fe.detail);
        } else if (const int index = sanIndex(fe.field); index >= 0) {
            domainMessages.append(
                tr("Line %1: %2").arg(m_lineOfName.value(index, index + 1)).arg(fe.detail));
        } else if (fe.field == kPrimaryField) {
            // The primary is the first line; its errors repeat the first name's, shown once.
            domainMessages.append(tr("Line %1: %2").arg(m_lineOfName.value(0, 1)).arg(fe.detail));
        } else if (fe.field.startsWith(kSanField) ||
                   fe.field.startsWith(QLatin1String("requestConfig"))) {
            domainMessages.append(fe.detail);
        } else {
            otherMessages.append(QStringLiteral("%1: %2").arg(fe.field, fe.detail));
        }
    }
    domainMessages.removeDuplicates();
    if (fieldErrors.isEmpty())
        otherMessages.append(error.detail);
    showOn(m_nameError, m_nameEdit, nameMessages);
    showOn(m_domainsError, m_domainsEdit, domainMessages);
    showOn(m_formError, nullptr, otherMessages);
    if (!nameMessages.isEmpty())
        m_nameEdit->setFocus();
    else if (!domainMessages.isEmpty())
        m_domainsEdit->setFocus();
}

void CertificateEditorDialog::clearErrors() {
    showOn(m_nameError, m_nameEdit, {});
    showOn(m_domainsError, m_domainsEdit, {});
    showOn(m_formError, nullptr, {});
    m_conflictLabel->hide();
    m_reloadButton->hide();
}

void CertificateEditorDialog::setBusy(bool busy) {
    m_saveButton->setEnabled(!busy);
    m_reloadButton->setEnabled(!busy);
    m_nameEdit->setReadOnly(busy);
    m_domainsEdit->setReadOnly(busy);
    m_commentsEdit->setReadOnly(busy);
}

} // namespace ck::gui
