#pragma once
// The edition's reminders in the main window: a banner from kCommunityReminderAt certificates on
// (Community edition only) with an "Enter Key..." button, and the offer made when a new
// certificate was refused because the limit is reached.
//
// MainWindow:
//   - above the list: `auto* reminder = new EditionReminder(m_client, page); layout->addWidget(
//     reminder);` and `reminder->refresh();` whenever the list's counts are fetched again;
//   - where a create fails: `if (error.kind == ApiError::Kind::LimitReached)
//     offerLicenseKey(this, m_client, error, onActivated);` (then refresh the reminder). The
//     certificate editor does so and keeps what was typed, so Save works once a key is taken.

#include "ApiError.h"
#include "model/License.h"

#include <QFrame>

#include <functional>

class QLabel;
class QMessageBox;

namespace ck {
class ApiClient;
struct ApiError;
} // namespace ck

namespace ck::gui {

class EnterKeyDialog;

class EditionReminder : public QFrame {
    Q_OBJECT
public:
    explicit EditionReminder(ApiClient* client, QWidget* parent = nullptr);

public Q_SLOTS:
    // Loads the license and shows the reminder, or hides when there is none.
    void refresh();
    void display(const ck::LicenseInfo& info);
    EnterKeyDialog* enterKey();

Q_SIGNALS:
    void licenseChanged(const ck::LicenseInfo& info);
    // The license could not be read (the reminder stays as it was).
    void licenseUnreadable(const ck::ApiError& error);

private:
    ApiClient* m_client;
    QLabel* m_text;
};

// Shows the service's explanation of the limit with an "Enter Key..." button that opens the
// EnterKeyDialog (window-modal, without blocking). Returns the message box (objectName
// "limitReachedBox"), deleted when closed. `activated` is called when a key was taken.
QMessageBox* offerLicenseKey(QWidget* parent, ApiClient* client, const ApiError& error,
                             std::function<void(const ck::LicenseInfo&)> activated = {});

} // namespace ck::gui
