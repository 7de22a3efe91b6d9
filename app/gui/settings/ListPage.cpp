#include "gui/settings/ListPage.h"

#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"

#include <QDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ck::gui {

ListPage::ListPage(ServiceCatalog* catalog, const Setup& setup, QWidget* parent)
    : QWidget(parent), m_catalog(catalog) {
    setObjectName(setup.objectName);
    m_table = makeTable(setup.tableName, setup.noun, setup.headers, this);
    m_wideColumn = setup.wideColumn;
    if (m_wideColumn >= 0) {
        // The other columns keep their contents' width; this one gives way, so that every
        // column stays in view without scrolling sideways.
        m_table->header()->setStretchLastSection(false);
        m_table->header()->setSectionResizeMode(m_wideColumn, QHeaderView::Stretch);
    }
    m_empty = makeHint(setup.emptyText, this);
    m_empty->setObjectName(setup.tableName + QStringLiteral("Empty"));
    m_empty->hide();
    m_status = new ErrorLabel(setup.statusName, tr("%1 status").arg(setup.noun), this);
    connect(m_table, &QTreeWidget::currentItemChanged, this, &ListPage::updateButtons);
    connect(catalog, &ServiceCatalog::loaded, this, &ListPage::fill);
}

ApiClient* ListPage::client() const {
    return m_catalog->client();
}

QPushButton* ListPage::addButton(const QString& text, const QString& objectName,
                                 const QString& accessibleName, Needs needs,
                                 const std::function<void()>& pressed) {
    QPushButton* button = makeButton(text, objectName, accessibleName, this);
    connect(button, &QPushButton::clicked, this, pressed);
    m_buttons.append({button, needs});
    return button;
}

QPushButton* ListPage::addRemoveButton(const QString& text, const QString& objectName,
                                       const QString& accessibleName, Removal removal) {
    return addButton(text, objectName, accessibleName, Needs::Removable,
                     [this, removal = std::move(removal)] { removeSelected(removal); });
}

void ListPage::addHint(const QString& text) {
    m_hints.append(makeHint(text, this));
}

void ListPage::finish() {
    auto* buttons = new QVBoxLayout;
    for (const Button& b : std::as_const(m_buttons))
        buttons->addWidget(b.button);
    buttons->addStretch();
    auto* list = new QVBoxLayout;
    list->setContentsMargins(0, 0, 0, 0);
    list->addWidget(m_table, 1);
    list->addWidget(m_empty);
    auto* row = new QHBoxLayout;
    row->addLayout(list, 1);
    row->addLayout(buttons);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row, 1);
    for (QWidget* hint : std::as_const(m_hints))
        layout->addWidget(hint);
    layout->addWidget(m_status);
    fill();
}

QString ListPage::selectedId() const {
    const QTreeWidgetItem* item = m_table->currentItem();
    return item ? item->data(0, Qt::UserRole).toString() : QString();
}

void ListPage::fill() {
    if (!m_catalog->problem().isEmpty())
        m_status->showMessages({m_catalog->problem()});
    const QString selected = selectedId();
    m_table->clear();
    const QList<Row> all = rows();
    for (const Row& r : all) {
        auto* item = new QTreeWidgetItem(m_table, r.cells);
        if (m_wideColumn >= 0)
            item->setToolTip(m_wideColumn, r.cells.value(m_wideColumn));
        item->setData(0, Qt::UserRole, r.id);
        item->setData(0, Qt::UserRole + 1, r.removable);
        if (r.id == selected)
            m_table->setCurrentItem(item);
    }
    // Before the first answer the list is not known to be empty.
    m_empty->setVisible(all.isEmpty() && m_catalog->isLoaded() && m_catalog->problem().isEmpty());
    updateButtons();
}

void ListPage::updateButtons() {
    const QTreeWidgetItem* item = m_table->currentItem();
    for (const Button& b : std::as_const(m_buttons)) {
        switch (b.needs) {
        case Needs::Nothing:
            break;
        case Needs::Selection:
            b.button->setEnabled(item != nullptr);
            break;
        case Needs::Removable:
            b.button->setEnabled(item && item->data(0, Qt::UserRole + 1).toBool());
            break;
        }
    }
}

void ListPage::showForm(QDialog* dialog) {
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void ListPage::changed(const QString& message) {
    m_status->showInfo(message);
    m_catalog->refresh();
}

void ListPage::removeSelected(const Removal& removal) {
    const QTreeWidgetItem* row = m_table->currentItem();
    if (!row || !m_confirm(this, removal.question(*row)))
        return;
    removal.call(
        client(), row->data(0, Qt::UserRole).toString(), this,
        [this, done = removal.done](const QString&) { changed(done); },
        [this](const ApiError& e) { m_status->showError(e); });
}

} // namespace ck::gui
