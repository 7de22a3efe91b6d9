#pragma once
// The Authorization tab: the rules that say how each name is proven to the CA (the first rule
// whose names cover a domain wins; a rule without names covers the rest), and a Test button
// that asks the service to check the configuration as it is on screen, without requesting
// anything, and lists each check with its result and what to do.

#include "gui/editor/EditorTab.h"

class QLabel;
class QListWidget;
class QPushButton;
class QScrollArea;
class QTreeWidget;

namespace ck::gui {

class ChallengeForm;
class ErrorLabel;

class AuthorizationTab : public EditorTab {
    Q_OBJECT
public:
    AuthorizationTab(const EditorContext& context, QWidget* parent);

    void load(const ManagedCertificate& item) override;
    void apply(ManagedCertificate& item) const override;
    QList<FieldError> showErrors(const QList<FieldError>& errors) override;
    void clearErrors() override;
    void setReadOnly(bool readOnly) override;

    // Runs the service's checks on the item as it is on screen.
    void runTest();

private:
    void refreshList();
    void selectRule(int row);
    void addRule();
    void removeRule();
    void moveRule(int delta);
    void showTestResult(const TestReport& report);
    void updateButtons();

    QList<ChallengeConfig> m_rules;
    QString m_itemId;
    QListWidget* m_list;
    QLabel* m_defaultHint;
    QPushButton* m_add;
    QPushButton* m_remove;
    QPushButton* m_up;
    QPushButton* m_down;
    ChallengeForm* m_form;
    QScrollArea* m_formArea;
    ErrorLabel* m_error;
    QPushButton* m_test;
    QLabel* m_testSummary;
    QTreeWidget* m_results;
};

} // namespace ck::gui
