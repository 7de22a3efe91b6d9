#pragma once
// File > Adopt Certificates…: certificates made by certbot, lego or acme.sh taken over by the
// service. The user picks the tool and its folder, sees the plan (one row per lineage: what
// would be created, or why not) and adopts; the rows then say what was created.

#include "model/Adoption.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace ck {
class ApiClient;
}

namespace ck::gui {

class AdoptDialog : public QDialog {
    Q_OBJECT
public:
    AdoptDialog(ApiClient* client, QWidget* parent);

    // For tests: the plan or outcome shown.
    const AdoptionPlan& shownPlan() const { return m_plan; }

Q_SIGNALS:
    void adopted(int count); // certificates were created: the list should be read again

private:
    void showPlan();
    void adopt();
    void ask(bool apply);
    void fill(const AdoptionPlan& plan);
    AdoptionRequest request() const;

    ApiClient* m_client;
    QComboBox* m_tool;
    QLineEdit* m_path;
    QPushButton* m_planButton;
    QPushButton* m_adoptButton;
    QTreeWidget* m_rows;
    QLabel* m_status;
    AdoptionPlan m_plan;
};

} // namespace ck::gui
