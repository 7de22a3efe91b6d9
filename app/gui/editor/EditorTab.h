#pragma once
// One tab of the certificate editor. The editor keeps the item as the service stores it (the
// typed model, whose `extra` keeps the fields this app does not know, so they survive a save);
// each tab shows its part of it and writes its fields back, and takes the service's field
// errors that belong to it.

#include "ApiError.h"
#include "client/ApiClient.h"
#include "model/ManagedCertificate.h"

#include <QWidget>

#include <functional>

namespace ck::gui {

class ServiceCatalog;

// What a tab may use besides its own fields.
struct EditorContext {
    ApiClient* client = nullptr;
    // For calls that take their time: Test checks DNS and the challenge responders, a
    // deployment task may wait or run a script.
    CallOptions patient;
    ServiceCatalog* catalog = nullptr;
    // The item as it would be saved now: every tab's fields over the loaded item.
    std::function<ManagedCertificate()> currentItem;
};

class EditorTab : public QWidget {
    Q_OBJECT
public:
    EditorTab(const EditorContext& context, QWidget* parent)
        : QWidget(parent), m_context(context) {}

    // Shows the item; a tab reads the parts it shows.
    virtual void load(const ManagedCertificate& item) = 0;
    // Writes this tab's fields into `item` (tabs that only show things write nothing).
    virtual void apply(ManagedCertificate& /*item*/) const {}
    // Shows the errors that belong to this tab at their fields; returns the others.
    virtual QList<FieldError> showErrors(const QList<FieldError>& errors) { return errors; }
    virtual void clearErrors() {}
    virtual void setReadOnly(bool /*readOnly*/) {}

Q_SIGNALS:
    // The user changed something this tab saves.
    void edited();

protected:
    const EditorContext& context() const { return m_context; }
    // The item on screen, for Preview and Test (which look at unsaved changes).
    ManagedCertificate currentEdits() const { return m_context.currentItem(); }

private:
    EditorContext m_context;
};

} // namespace ck::gui
