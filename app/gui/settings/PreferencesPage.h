#pragma once
// The service's preferences (GET/PUT /api/settings): when certificates renew by default, how
// often the service checks and how many renewals run at once, who is told about failures and
// successes (webhook, email over SMTP, with a "send test" for each), and the default PFX
// password credential. The form shows and edits a Preferences; what it has no field for (fields
// a newer service sent) goes back as it came.

#include "model/Preferences.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace ck {
struct ApiError;
}

namespace ck::gui {

class ErrorLabel;
class ServiceCatalog;

class PreferencesPage : public QWidget {
    Q_OBJECT
public:
    PreferencesPage(ServiceCatalog* catalog, QWidget* parent);

    void reload();
    void save();
    void sendTest(const QString& channel);

private:
    void load(const Preferences& preferences);
    Preferences preferences() const;
    void fillCredentials();
    void showIntervalUnit(); // % of the lifetime, or days, and the range that goes with it
    void setAvailable(bool available);
    void showError(const ApiError& error);

    ServiceCatalog* m_catalog;
    Preferences m_loaded;
    QCheckBox* m_automatic;
    QComboBox* m_mode;
    QSpinBox* m_interval;
    QSpinBox* m_checkMinutes;
    QSpinBox* m_parallel;
    QSpinBox* m_timeoutMinutes;
    QComboBox* m_pfxDefault;
    QCheckBox* m_onFailure;
    QCheckBox* m_onSuccess;
    QLineEdit* m_webhook;
    QLineEdit* m_emailTo;
    QLineEdit* m_smtpHost;
    QSpinBox* m_smtpPort;
    QComboBox* m_smtpSecurity;
    QLineEdit* m_smtpUser;
    QComboBox* m_smtpPassword;
    QLineEdit* m_smtpFrom;
    QPushButton* m_save;
    QPushButton* m_testEmail;
    QPushButton* m_testWebhook;
    ErrorLabel* m_status;
    QString m_pfxId;
    QString m_smtpPasswordId;
};

} // namespace ck::gui
