#include "gui/editor/DeploymentTab.h"

#include "client/ApiClient.h"
#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "gui/editor/TaskListModel.h"
#include "gui/editor/TaskListPanel.h"
#include "model/TaskRunResult.h"

#include <QGroupBox>
#include <QLabel>
#include <QListView>
#include <QVBoxLayout>

#include <utility>

namespace ck::gui {

namespace {
const QString kPre = QStringLiteral("preRequestTasks");
const QString kPost = QStringLiteral("postRequestTasks");
} // namespace

DeploymentTab::DeploymentTab(const EditorContext& context, QWidget* parent)
    : EditorTab(context, parent) {
    setObjectName(QStringLiteral("deploymentTab"));
    m_typesProblem = new ErrorLabel(QStringLiteral("taskTypesProblem"),
                                    tr("Deployment tasks unavailable"), this);
    m_pre = new TaskListPanel(context.catalog, kPre, this);
    m_post = new TaskListPanel(context.catalog, kPost, this);
    m_runResult = new QLabel(this);
    m_runResult->setObjectName(QStringLiteral("taskRunResult"));
    m_runResult->setWordWrap(true);
    m_runResult->setTextFormat(Qt::PlainText);
    m_runResult->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_typesProblem);
    for (auto [panel, title] : {std::pair{m_pre, tr("Before the request")},
                                std::pair{m_post, tr("After the request (deployment)")}}) {
        auto* box = new QGroupBox(title, this);
        auto* boxLayout = new QVBoxLayout(box);
        boxLayout->addWidget(panel);
        panel->view()->setAccessibleName(title);
        connect(panel, &TaskListPanel::edited, this, [this] {
            m_unsavedTasks = true;
            Q_EMIT edited();
        });
        connect(panel, &TaskListPanel::runRequested, this, &DeploymentTab::run);
        layout->addWidget(box, 1);
    }
    layout->addWidget(
        makeHint(tr("Tasks run in the order listed. Tick a task to enable it."), this));
    layout->addWidget(m_runResult);
    connect(context.catalog, &ServiceCatalog::loaded, this, &DeploymentTab::typesLoaded);
    typesLoaded();
}

TaskListPanel* DeploymentTab::panel(const QString& phase) const {
    return phase == kPre ? m_pre : m_post;
}

void DeploymentTab::typesLoaded() {
    const ServiceCatalog& catalog = *context().catalog;
    const QString problem = catalog.isLoaded() ? catalog.taskTypesProblem() : QString();
    m_typesProblem->showMessages(problem.isEmpty() ? QStringList{} : QStringList{problem});
    const bool canAdd = catalog.isLoaded() && problem.isEmpty();
    m_pre->setCanAdd(canAdd);
    m_post->setCanAdd(canAdd);
}

void DeploymentTab::load(const ManagedCertificate& item) {
    m_itemId = item.id;
    m_pre->setTasks(item.preRequestTasks);
    m_post->setTasks(item.postRequestTasks);
    m_unsavedTasks = false;
}

void DeploymentTab::apply(ManagedCertificate& item) const {
    item.preRequestTasks = m_pre->model()->tasks();
    item.postRequestTasks = m_post->model()->tasks();
}

QList<FieldError> DeploymentTab::showErrors(const QList<FieldError>& errors) {
    return m_post->showErrors(m_pre->showErrors(errors));
}

void DeploymentTab::clearErrors() {
    showErrors({});
}

void DeploymentTab::setReadOnly(bool readOnly) {
    m_pre->setReadOnly(readOnly);
    m_post->setReadOnly(readOnly);
}

void DeploymentTab::run(const DeploymentTask& task) {
    if (m_itemId.isEmpty() || task.id.isEmpty() || m_unsavedTasks) {
        m_runResult->setText(tr("Save first: the service runs the tasks as they are saved."));
        return;
    }
    const QString taskId = task.id;
    const QString name = task.name.isEmpty() ? task.type : task.name;
    m_runResult->setText(tr("Running “%1”…").arg(name));
    context().client->deploy(
        m_itemId, taskId, this,
        [this, name](const QList<TaskRunResult>& results) {
            QStringList lines;
            for (const TaskRunResult& r : results) {
                for (TaskListPanel* p : {m_pre, m_post})
                    p->model()->setRunResult(r.taskId, r.status, r.message);
                lines.append(
                    tr("“%1”: %2 in %3 ms%4")
                        .arg(r.name.isEmpty() ? name : r.name, toString(r.status))
                        .arg(r.durationMs)
                        .arg(r.message.isEmpty() ? QString() : QStringLiteral(" — ") + r.message));
            }
            m_runResult->setText(lines.isEmpty() ? tr("The service ran nothing.")
                                                 : lines.join(QLatin1Char('\n')));
        },
        [this](const ApiError& error) {
            m_runResult->setText(explainError(error, tr("running tasks")));
        },
        context().patient);
}

} // namespace ck::gui
