#include "gui/AdoptDialog.h"

#include "client/ApiClient.h"
#include "gui/FormSupport.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
// The folder each tool uses when none is given, as the user running the app has it.
QString defaultFolder(const QString& tool) {
    if (tool == adoption_tools::kLego)
        return QDir::current().absoluteFilePath(QStringLiteral(".lego"));
    if (tool == adoption_tools::kAcmeSh)
        return QDir::home().absoluteFilePath(QStringLiteral(".acme.sh"));
    return QStringLiteral("/etc/letsencrypt");
}

QString statusText(const AdoptionRow& row) {
    switch (row.status) {
    case AdoptionRow::Status::Adoptable:
        return AdoptDialog::tr("Will be adopted");
    case AdoptionRow::Status::Adopted:
        return AdoptDialog::tr("Adopted");
    case AdoptionRow::Status::Refused:
        break;
    }
    return AdoptDialog::tr("Not adopted");
}

// The row's details, one per line: why not, or what is created.
QString detailText(const AdoptionRow& row) {
    QStringList lines;
    if (!row.reason.isEmpty())
        lines << row.reason;
    if (!row.account.isEmpty())
        lines << AdoptDialog::tr("Account: %1").arg(row.account);
    if (!row.challenge.isEmpty())
        lines << AdoptDialog::tr("Proven by: %1").arg(row.challenge);
    for (const AdoptionTarget& t : row.targets)
        lines << AdoptDialog::tr("Writes %1").arg(t.path);
    lines << row.notes;
    return lines.join(QLatin1Char('\n'));
}
} // namespace

AdoptDialog::AdoptDialog(ApiClient* client, QWidget* parent) : QDialog(parent), m_client(client) {
    setObjectName(QStringLiteral("adoptDialog"));
    setWindowTitle(tr("Adopt Certificates"));
    m_tool = new QComboBox(this);
    m_tool->setObjectName(QStringLiteral("toolCombo"));
    m_tool->setAccessibleName(tr("The tool that made the certificates"));
    m_tool->addItem(tr("certbot"), adoption_tools::kCertbot);
    m_tool->addItem(tr("lego"), adoption_tools::kLego);
    m_tool->addItem(tr("acme.sh"), adoption_tools::kAcmeSh);
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("pathEdit"));
    m_path->setAccessibleName(tr("The tool's folder"));
    auto* browse = new QPushButton(tr("&Browse…"), this);
    browse->setAutoDefault(false);
    m_planButton = new QPushButton(tr("&Show the plan"), this);
    m_planButton->setObjectName(QStringLiteral("planButton"));
    m_adoptButton = new QPushButton(tr("&Adopt"), this);
    m_adoptButton->setObjectName(QStringLiteral("adoptButton"));
    m_adoptButton->setEnabled(false);
    m_rows = new QTreeWidget(this);
    m_rows->setObjectName(QStringLiteral("planRows"));
    m_rows->setAccessibleName(tr("One row per certificate found"));
    m_rows->setHeaderLabels(
        {tr("Lineage"), tr("Status"), tr("Names"), tr("Expires"), tr("Details")});
    m_rows->setRootIsDecorated(false);
    m_rows->setWordWrap(true);
    m_rows->header()->setStretchLastSection(true);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("adoptStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);

    auto* folder = new QHBoxLayout;
    folder->addWidget(m_path, 1);
    folder->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(makeCaption(tr("&Tool:"), m_tool, this), m_tool);
    form->addRow(makeCaption(tr("&Folder:"), m_path, this), folder);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_planButton, QDialogButtonBox::ActionRole);
    buttons->addButton(m_adoptButton, QDialogButtonBox::AcceptRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_rows, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(900, 480);

    auto toolChanged = [this] {
        m_path->setPlaceholderText(defaultFolder(m_tool->currentData().toString()));
        m_plan = {};
        fill(m_plan);
    };
    connect(m_tool, &QComboBox::currentIndexChanged, this, toolChanged);
    toolChanged();
    connect(m_path, &QLineEdit::textEdited, this, [this] { fill(m_plan = {}); });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("The tool's folder"), request().path);
        if (!dir.isEmpty()) {
            m_path->setText(dir);
            fill(m_plan = {});
        }
    });
    connect(m_planButton, &QPushButton::clicked, this, &AdoptDialog::showPlan);
    connect(m_adoptButton, &QPushButton::clicked, this, &AdoptDialog::adopt);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

AdoptionRequest AdoptDialog::request() const {
    const QString tool = m_tool->currentData().toString();
    const QString path = m_path->text().trimmed();
    return {tool, path.isEmpty() ? defaultFolder(tool) : QDir(path).absolutePath(), {}};
}

void AdoptDialog::showPlan() {
    ask(false);
}

void AdoptDialog::adopt() {
    ask(true);
}

void AdoptDialog::ask(bool apply) {
    m_planButton->setEnabled(false);
    m_adoptButton->setEnabled(false);
    m_status->setText(apply ? tr("Adopting…") : tr("Reading %1…").arg(request().path));
    m_client->adoptCertificates(
        request(), apply, this,
        [this](const AdoptionPlan& plan) {
            m_planButton->setEnabled(true);
            fill(m_plan = plan);
            if (plan.applied && plan.adopted > 0)
                Q_EMIT adopted(plan.adopted);
        },
        [this](const ApiError& error) {
            m_planButton->setEnabled(true);
            m_status->setText(explainError(error, tr("Adopting certificates")));
        },
        {std::chrono::minutes(5)});
}

void AdoptDialog::fill(const AdoptionPlan& plan) {
    m_rows->clear();
    for (const AdoptionRow& row : plan.rows) {
        auto* item = new QTreeWidgetItem(
            m_rows, {row.lineage, statusText(row), row.domains.join(QStringLiteral(", ")),
                     row.expiry.isValid()
                         ? QLocale().toString(row.expiry.toLocalTime(), QLocale::ShortFormat)
                         : QString(),
                     detailText(row)});
        item->setToolTip(4, detailText(row));
    }
    m_adoptButton->setEnabled(!plan.applied && plan.adopted > 0);
    if (plan.rows.isEmpty() && plan.tool.isEmpty())
        m_status->setText(tr("Choose the tool and its folder, then show the plan: nothing is "
                             "created until you adopt."));
    else if (plan.applied)
        m_status->setText(tr("%n certificate(s) adopted", nullptr, plan.adopted) +
                          (plan.refused
                               ? tr("; %n not adopted (see why in each row)", nullptr, plan.refused)
                               : QString()));
    else if (plan.rows.isEmpty())
        m_status->setText(tr("%1 holds no certificates").arg(plan.path));
    else
        m_status->setText(tr("%n certificate(s) can be adopted", nullptr, plan.adopted) +
                          (plan.refused
                               ? tr("; %n cannot (see why in each row)", nullptr, plan.refused)
                               : QString()));
}

} // namespace ck::gui
