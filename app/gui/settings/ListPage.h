#pragma once
// One settings page of records the service keeps (ACME accounts, certificate authorities, stored
// credentials): a table with its buttons in a column beside it, filled from the catalogue each
// time it has loaded (the selection kept), a line saying what the list is for while it is empty,
// and a status line for what was done or the service's words when it refused. Removing asks
// first, then reads the catalogue again. A page adds its columns, rows and buttons.

#include "client/ApiClient.h"
#include "gui/settings/SettingsDialog.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;
class QVBoxLayout;

namespace ck::gui {

class ErrorLabel;
class ServiceCatalog;

class ListPage : public QWidget {
    Q_OBJECT
public:
    void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }

protected:
    struct Setup {
        QString objectName; // the page's
        QString tableName;  // the table's object name
        QString noun;       // "ACME accounts": the table's and the status line's accessible name
        QStringList headers;
        QString statusName;  // the status line's object name
        QString emptyText;   // shown while the list is empty
        int wideColumn = -1; // takes the width left (cut short, in full as its tooltip)
    };
    struct Row {
        QString id;
        QStringList cells;
        bool removable = true; // false: the remove button stays off for it (a built-in CA)
    };
    // What a button needs before it can be pressed.
    enum class Needs { Nothing, Selection, Removable };
    // How a row is removed: the question to confirm, the call, and what to say after it.
    struct Removal {
        std::function<QString(const QTreeWidgetItem& row)> question;
        std::function<void(ApiClient* client, const QString& id, QObject* context,
                           OnSuccess<QString> ok, OnFailure fail)>
            call;
        QString done;
    };

    ListPage(ServiceCatalog* catalog, const Setup& setup, QWidget* parent);

    // The rows as the catalogue has them now.
    virtual QList<Row> rows() const = 0;

    // A button in the column beside the table, in the order added.
    QPushButton* addButton(const QString& text, const QString& objectName,
                           const QString& accessibleName, Needs needs,
                           const std::function<void()>& pressed);
    QPushButton* addRemoveButton(const QString& text, const QString& objectName,
                                 const QString& accessibleName, Removal removal);
    // A hint under the table, above the status line.
    void addHint(const QString& text);
    // Builds the page: call at the end of the page's constructor.
    void finish();

    // Opens `dialog` beside the page; it is deleted when closed. When it emits `done`, the page
    // says `message(what it emitted)` and reads the catalogue again.
    template <typename Dialog, typename Value, typename Message>
    void openForm(Dialog* dialog, void (Dialog::*done)(Value), Message message) {
        connect(dialog, done, this, [this, message](Value value) { changed(message(value)); });
        showForm(dialog);
    }
    // Something changed in the service: says so and reads the catalogue again.
    void changed(const QString& message);

    ServiceCatalog* catalog() const { return m_catalog; }
    ApiClient* client() const;
    ErrorLabel* status() const { return m_status; }
    QString selectedId() const;
    void updateButtons();

private:
    void showForm(QDialog* dialog);
    void fill();
    void removeSelected(const Removal& removal);

    struct Button {
        QPushButton* button;
        Needs needs;
    };
    ServiceCatalog* m_catalog;
    Confirmation m_confirm;
    QTreeWidget* m_table;
    QLabel* m_empty;
    QList<Button> m_buttons;
    QList<QWidget*> m_hints;
    ErrorLabel* m_status;
    int m_wideColumn;
};

} // namespace ck::gui
