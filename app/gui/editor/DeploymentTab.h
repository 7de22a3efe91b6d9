#pragma once
// The Deployment tab: the tasks that run before and after each request (export the files where
// a server wants them, run a script, reload a service, call a webhook, wait), and running one
// of them now. The forms come from the task types the service describes.

#include "gui/editor/EditorTab.h"

class QLabel;

namespace ck::gui {
class ErrorLabel;
}

namespace ck::gui {

class TaskListPanel;

class DeploymentTab : public EditorTab {
    Q_OBJECT
public:
    DeploymentTab(const EditorContext& context, QWidget* parent);

    void load(const ManagedCertificate& item) override;
    void apply(ManagedCertificate& item) const override;
    QList<FieldError> showErrors(const QList<FieldError>& errors) override;
    void clearErrors() override;
    void setReadOnly(bool readOnly) override;

    TaskListPanel* panel(const QString& phase) const;

private:
    void typesLoaded();
    void run(const DeploymentTask& task);

    QString m_itemId;
    bool m_unsavedTasks = false; // the lists differ from what the service has
    ErrorLabel* m_typesProblem;
    TaskListPanel* m_pre;
    TaskListPanel* m_post;
    QLabel* m_runResult;
};

} // namespace ck::gui
