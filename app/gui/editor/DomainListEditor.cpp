#include "gui/editor/DomainListEditor.h"

#include "gui/FormSupport.h"
#include "gui/editor/DomainListModel.h"

#include <QAction>
#include <QGridLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

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
} // namespace

DomainListEditor::DomainListEditor(QWidget* parent) : QWidget(parent) {
    m_model = new DomainListModel(this);
    connect(m_model, &DomainListModel::domainsEdited, this, &DomainListEditor::edited);

    m_input = new QLineEdit(this);
    m_input->setObjectName(QStringLiteral("domainInput"));
    m_input->setAccessibleName(tr("Domain to add"));
    m_input->setPlaceholderText(tr("www.example.com, or *.example.com for a wildcard"));
    m_input->installEventFilter(this); // Enter adds the name instead of saving the dialog
    connect(m_input, &QLineEdit::textChanged, this, &DomainListEditor::updateButtons);
    m_add = new QPushButton(tr("Add"), this); // Enter in the field adds too
    m_add->setObjectName(QStringLiteral("addDomainButton"));
    m_add->setAccessibleName(tr("Add the typed domain"));
    m_add->setAutoDefault(false);
    connect(m_add, &QPushButton::clicked, this, &DomainListEditor::addTyped);

    m_list = new QTreeView(this);
    m_list->setObjectName(QStringLiteral("domainsList"));
    m_list->setAccessibleName(tr("Domains; the first is the primary domain"));
    m_list->setModel(m_model);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_list->setUniformRowHeights(true);
    m_list->setRootIsDecorated(false);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setAllColumnsShowFocus(true);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(DomainListModel::NameColumn, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(DomainListModel::MarkColumn,
                                           QHeaderView::ResizeToContents);
    m_list->setMinimumHeight(m_list->fontMetrics().lineSpacing() * 5);
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DomainListEditor::updateButtons);
    auto* deleteKey = new QAction(m_list);
    deleteKey->setShortcut(QKeySequence::Delete);
    deleteKey->setShortcutContext(Qt::WidgetShortcut);
    connect(deleteKey, &QAction::triggered, this, &DomainListEditor::removeSelected);
    m_list->addAction(deleteKey);

    m_primary = new QPushButton(tr("Make &primary"), this);
    m_primary->setObjectName(QStringLiteral("makePrimaryButton"));
    m_primary->setAutoDefault(false);
    connect(m_primary, &QPushButton::clicked, this, &DomainListEditor::makeSelectedPrimary);
    m_remove = new QPushButton(tr("Re&move"), this);
    m_remove->setObjectName(QStringLiteral("removeDomainButton"));
    m_remove->setAccessibleName(tr("Remove the selected domains"));
    m_remove->setAutoDefault(false);
    connect(m_remove, &QPushButton::clicked, this, &DomainListEditor::removeSelected);
    m_importToggle = new QPushButton(tr("&Import from text…"), this);
    m_importToggle->setObjectName(QStringLiteral("importDomainsButton"));
    m_importToggle->setCheckable(true);
    m_importToggle->setAutoDefault(false);

    m_importText = new QPlainTextEdit(this);
    m_importText->setObjectName(QStringLiteral("importDomainsText"));
    m_importText->setAccessibleName(tr("Domains to import, one per line or separated by commas"));
    m_importText->setPlaceholderText(tr("Paste names: one per line, or separated by commas or "
                                        "spaces; DNS: prefixes are removed"));
    m_importText->setTabChangesFocus(true);
    m_importText->setMaximumHeight(m_importText->fontMetrics().lineSpacing() * 5 + 12);
    m_importAdd = new QPushButton(tr("Add these &names"), this);
    m_importAdd->setObjectName(QStringLiteral("importDomainsAddButton"));
    m_importAdd->setAutoDefault(false);
    connect(m_importAdd, &QPushButton::clicked, this, &DomainListEditor::importText);
    m_importText->hide();
    m_importAdd->hide();
    connect(m_importToggle, &QPushButton::toggled, this, [this](bool on) {
        m_importText->setVisible(on);
        m_importAdd->setVisible(on);
        if (on)
            m_importText->setFocus();
    });

    m_notice = makeHint({}, this);
    m_notice->setObjectName(QStringLiteral("domainsNotice"));
    m_notice->hide();
    m_error = new ErrorLabel(QStringLiteral("domainsError"), tr("Problems with the domains"), this);

    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_primary);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_importToggle);
    buttons->addStretch();
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_input, 0, 0);
    grid->addWidget(m_add, 0, 1);
    grid->addWidget(m_list, 1, 0);
    grid->addLayout(buttons, 1, 1);
    grid->addWidget(m_importText, 2, 0);
    grid->addWidget(m_importAdd, 2, 1, Qt::AlignTop);
    grid->addWidget(makeHint(tr("The first name is the primary domain. A wildcard "
                                "(*.example.com) needs the dns-01 challenge."),
                             this),
                    3, 0, 1, 2);
    grid->addWidget(m_notice, 4, 0, 1, 2);
    grid->addWidget(m_error, 5, 0, 1, 2);

    setTabOrder(m_input, m_add);
    setTabOrder(m_add, m_list);
    setTabOrder(m_list, m_primary);
    setTabOrder(m_primary, m_remove);
    setTabOrder(m_remove, m_importToggle);
    setTabOrder(m_importToggle, m_importText);
    setTabOrder(m_importText, m_importAdd);
    updateButtons();
}

bool DomainListEditor::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if ((key == Qt::Key_Return || key == Qt::Key_Enter) &&
            !m_input->text().trimmed().isEmpty()) {
            addTyped();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void DomainListEditor::setDomains(const QStringList& names, const QString& primary) {
    m_model->setDomains(names, primary);
    updateButtons();
}

QStringList DomainListEditor::domains() const {
    return m_model->domains();
}

QStringList DomainListEditor::domainsIncludingTyped() const {
    QStringList names = m_model->domains();
    for (const QString& typed : DomainListModel::namesInText(m_input->text()))
        if (!names.contains(typed, Qt::CaseInsensitive))
            names.append(typed);
    return names;
}

void DomainListEditor::addTyped() {
    const QStringList names = DomainListModel::namesInText(m_input->text());
    if (names.isEmpty())
        return;
    reportSkipped(m_model->addDomains(names));
    m_input->clear();
    m_list->scrollToBottom();
    updateButtons();
}

void DomainListEditor::importText() {
    const QStringList names = DomainListModel::namesInText(m_importText->toPlainText());
    reportSkipped(m_model->addDomains(names));
    m_importText->clear();
    m_importToggle->setChecked(false);
    m_list->setFocus();
    updateButtons();
}

void DomainListEditor::reportSkipped(const QStringList& skipped) {
    m_notice->setText(
        skipped.isEmpty()
            ? QString()
            : tr("Already listed, not added again: %1").arg(skipped.join(QStringLiteral(", "))));
    m_notice->setVisible(!skipped.isEmpty());
}

void DomainListEditor::removeSelected() {
    QList<int> rows;
    for (const QModelIndex& index : m_list->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : rows)
        m_model->removeRows(row, 1);
    updateButtons();
}

void DomainListEditor::makeSelectedPrimary() {
    const QModelIndex current = m_list->currentIndex();
    if (!current.isValid())
        return;
    m_model->setPrimary(current.row());
    m_list->setCurrentIndex(m_model->index(0, 0));
}

void DomainListEditor::showErrors(const QList<FieldError>& errors) {
    QMap<int, QString> byRow;
    QStringList messages;
    for (const FieldError& fe : errors) {
        int row = sanIndex(fe.field);
        if (row < 0 && fe.field == kPrimaryField)
            row = 0;
        if (row >= 0 && row < m_model->rowCount()) {
            byRow[row] = fe.detail;
            messages.append(fe.detail); // the service's words name the domain already
        } else if (fe.field.startsWith(kSanField) || fe.field == kPrimaryField) {
            messages.append(fe.detail);
        }
    }
    messages.removeDuplicates();
    m_model->setErrors(byRow);
    m_error->showMessages(messages, m_list);
    if (!byRow.isEmpty())
        m_list->scrollTo(m_model->index(byRow.firstKey(), 0));
}

void DomainListEditor::clearErrors() {
    m_model->clearErrors();
    m_error->clear(m_list);
}

void DomainListEditor::setReadOnly(bool readOnly) {
    for (QWidget* w : std::initializer_list<QWidget*>{m_input, m_add, m_primary, m_remove,
                                                      m_importToggle, m_importAdd})
        w->setEnabled(!readOnly);
    m_list->setEditTriggers(readOnly ? QAbstractItemView::NoEditTriggers
                                     : QAbstractItemView::DoubleClicked |
                                           QAbstractItemView::EditKeyPressed);
    if (!readOnly)
        updateButtons();
}

QWidget* DomainListEditor::firstField() const {
    return m_input;
}

QWidget* DomainListEditor::lastField() const {
    return m_importAdd;
}

void DomainListEditor::updateButtons() {
    const auto selected = m_list->selectionModel()->selectedRows();
    m_add->setEnabled(!m_input->text().trimmed().isEmpty());
    m_remove->setEnabled(!selected.isEmpty());
    m_primary->setEnabled(selected.size() == 1 && selected.first().row() > 0);
}

} // namespace ck::gui
