#include "gui/editor/AuthorizationTab.h"

#include "client/ApiClient.h"
#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "gui/editor/ChallengeForm.h"
#include "model/ActionStep.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
const QString kChallenges = QStringLiteral("requestConfig.challenges");

// "requestConfig.challenges[1].webrootPath" -> 1; -1 for the list as a whole.
int ruleIndex(const QString& field) {
    static const QRegularExpression pattern(
        QStringLiteral(R"(^requestConfig\.challenges\[(\d+)\])"));
    const auto match = pattern.match(field);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}
} // namespace

AuthorizationTab::AuthorizationTab(const EditorContext& context, QWidget* parent)
    : EditorTab(context, parent) {
    setObjectName(QStringLiteral("authorizationTab"));
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("challengeList"));
    m_list->setAccessibleName(tr("Authorization rules, first match wins"));
    m_list->setMaximumHeight(m_list->fontMetrics().lineSpacing() * 6);
    m_defaultHint = makeHint(tr("No rule: every name is proven by http-01 on the service's own "
                                "listener. Add a rule to use a webroot folder, DNS or TLS."),
                             this);
    m_add = makeButton(tr("&Add rule"), QStringLiteral("addRuleButton"), {}, this);
    m_remove = makeButton(tr("Re&move rule"), QStringLiteral("removeRuleButton"), {}, this);
    m_up = makeButton(tr("Move u&p"), QStringLiteral("ruleUpButton"), tr("Move the rule up"), this);
    m_down = makeButton(tr("Move do&wn"), QStringLiteral("ruleDownButton"),
                        tr("Move the rule down"), this);
    connect(m_add, &QPushButton::clicked, this, &AuthorizationTab::addRule);
    connect(m_remove, &QPushButton::clicked, this, &AuthorizationTab::removeRule);
    connect(m_up, &QPushButton::clicked, this, [this] { moveRule(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveRule(+1); });
    connect(m_list, &QListWidget::currentRowChanged, this, &AuthorizationTab::selectRule);

    m_form = new ChallengeForm(context.catalog, this);
    connect(m_form, &ChallengeForm::changed, this, [this] {
        const int row = m_list->currentRow();
        if (row < 0 || row >= m_rules.size())
            return;
        m_rules[row] = m_form->rule();
        m_list->item(row)->setText(ChallengeForm::summary(m_rules[row], *this->context().catalog));
        Q_EMIT edited();
    });
    m_error =
        new ErrorLabel(QStringLiteral("challengesError"), tr("Problems with the rules"), this);

    m_test =
        makeButton(tr("&Test"), QStringLiteral("testButton"), tr("Test the configuration"), this);
    connect(m_test, &QPushButton::clicked, this, &AuthorizationTab::runTest);
    m_testSummary = new QLabel(this);
    m_testSummary->setObjectName(QStringLiteral("testSummary"));
    m_testSummary->setWordWrap(true);
    m_testSummary->setTextFormat(Qt::PlainText);
    m_testSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testSummary->setText(
        tr("Test checks the configuration on screen without requesting a "
           "certificate: names, DNS, reachable ports, credentials, the account."));
    m_results = new QTreeWidget(this);
    m_results->setObjectName(QStringLiteral("testResults"));
    m_results->setAccessibleName(tr("Test results"));
    m_results->setHeaderLabels({tr("Result"), tr("Check"), tr("Details")});
    m_results->setRootIsDecorated(true);
    m_results->setWordWrap(true);
    m_results->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_results->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_results->hide();

    QHBoxLayout* rules = listWithButtons(m_list, {m_add, m_remove, m_up, m_down});
    auto* ruleBox = new QGroupBox(tr("Rules"), this);
    auto* ruleLayout = new QVBoxLayout(ruleBox);
    ruleLayout->addLayout(rules);
    ruleLayout->addWidget(m_defaultHint);
    // A provider may take many fields: the rule scrolls rather than squeezing its help text.
    m_formArea = new QScrollArea(ruleBox);
    m_formArea->setObjectName(QStringLiteral("ruleFormArea"));
    m_formArea->setWidgetResizable(true);
    m_formArea->setFrameShape(QFrame::NoFrame);
    m_formArea->setWidget(m_form);
    // The group box's colour behind the rule (setWidget turns the fill on).
    m_formArea->viewport()->setAutoFillBackground(false);
    m_form->setAutoFillBackground(false);
    m_formArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_formArea->setFocusPolicy(Qt::NoFocus); // its fields take the focus, not the area
    m_formArea->setAccessibleName(tr("The selected rule"));
    ruleLayout->addWidget(m_formArea, 1);
    ruleLayout->addWidget(m_error);

    auto* testLine = new QHBoxLayout;
    testLine->addWidget(m_test, 0, Qt::AlignTop);
    testLine->addWidget(m_testSummary, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(ruleBox, 1);
    layout->addLayout(testLine);
    layout->addWidget(m_results, 1);

    setTabOrder(m_list, m_add);
    setTabOrder(m_add, m_remove);
    setTabOrder(m_remove, m_up);
    setTabOrder(m_up, m_down);
    connect(context.catalog, &ServiceCatalog::loaded, this, &AuthorizationTab::refreshList);
    updateButtons();
}

void AuthorizationTab::load(const ManagedCertificate& item) {
    m_itemId = item.id;
    m_rules = item.requestConfig.challenges;
    refreshList();
    m_list->setCurrentRow(m_rules.isEmpty() ? -1 : 0);
    selectRule(m_list->currentRow());
}

void AuthorizationTab::apply(ManagedCertificate& item) const {
    item.requestConfig.challenges = m_rules;
}

void AuthorizationTab::refreshList() {
    const int row = m_list->currentRow();
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const auto& rule : m_rules)
        m_list->addItem(ChallengeForm::summary(rule, *context().catalog));
    m_list->setCurrentRow(std::min(row, int(m_rules.size()) - 1));
    updateButtons();
}

void AuthorizationTab::selectRule(int row) {
    m_formArea->setVisible(row >= 0);
    if (row >= 0 && row < m_rules.size())
        m_form->setRule(m_rules[row]);
    updateButtons();
}

void AuthorizationTab::addRule() {
    m_rules.append(ChallengeForm::newRule());
    refreshList();
    m_list->setCurrentRow(int(m_rules.size()) - 1);
    Q_EMIT edited();
}

void AuthorizationTab::removeRule() {
    const int row = m_list->currentRow();
    if (row < 0)
        return;
    m_rules.removeAt(row);
    refreshList();
    selectRule(m_list->currentRow());
    Q_EMIT edited();
}

void AuthorizationTab::moveRule(int delta) {
    const int row = m_list->currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_rules.size())
        return;
    m_rules.move(row, to);
    refreshList();
    m_list->setCurrentRow(to);
    Q_EMIT edited();
}

void AuthorizationTab::updateButtons() {
    const int row = m_list->currentRow();
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_rules.size());
    m_defaultHint->setVisible(m_rules.isEmpty());
    m_list->setVisible(!m_rules.isEmpty());
}

QList<FieldError> AuthorizationTab::showErrors(const QList<FieldError>& errors) {
    QList<FieldError> others;
    QStringList messages;
    int firstRule = -1;
    for (const FieldError& fe : errors) {
        if (!fe.field.startsWith(kChallenges)) {
            others.append(fe);
            continue;
        }
        const int rule = ruleIndex(fe.field);
        messages.append(rule >= 0 ? tr("Rule %1: %2").arg(rule + 1).arg(fe.detail) : fe.detail);
        if (firstRule < 0 && rule >= 0 && rule < m_rules.size())
            firstRule = rule;
    }
    m_error->showMessages(messages, m_list);
    if (firstRule >= 0)
        m_list->setCurrentRow(firstRule);
    return others;
}

void AuthorizationTab::clearErrors() {
    m_error->clear(m_list);
}

void AuthorizationTab::setReadOnly(bool readOnly) {
    m_form->setEnabled(!readOnly);
    for (QPushButton* b : {m_add, m_remove, m_up, m_down, m_test})
        b->setEnabled(!readOnly);
    if (!readOnly)
        updateButtons();
}

void AuthorizationTab::runTest() {
    m_test->setEnabled(false);
    m_testSummary->setText(tr("Testing…"));
    m_results->clear();
    context().client->testItem(
        m_itemId, currentEdits(), this,
        [this](const TestReport& report) {
            m_test->setEnabled(true);
            showTestResult(report);
        },
        [this](const ApiError& error) {
            m_test->setEnabled(true);
            m_results->hide();
            m_testSummary->setText(explainError(error, tr("the test")));
        },
        context().patient);
}

void AuthorizationTab::showTestResult(const TestReport& report) {
    m_results->clear();
    int failed = 0, warnings = 0;
    for (const TestCheck& check : report.checks) {
        QString verdict;
        QStyle::StandardPixmap icon;
        if (check.ok) {
            verdict = tr("Passed");
            icon = QStyle::SP_DialogApplyButton;
        } else if (check.severity == TestCheck::Severity::Warning) {
            verdict = tr("Warning");
            icon = QStyle::SP_MessageBoxWarning;
            ++warnings;
        } else if (check.severity == TestCheck::Severity::Info) {
            verdict = tr("Note");
            icon = QStyle::SP_MessageBoxInformation;
        } else {
            verdict = tr("Failed");
            icon = QStyle::SP_MessageBoxCritical;
            ++failed;
        }
        auto* row = new QTreeWidgetItem(m_results, {verdict, check.title, check.message});
        row->setIcon(0, style()->standardIcon(icon));
        row->setData(0, Qt::UserRole, check.key);
        if (!check.advice.isEmpty() && !check.ok) {
            auto* what = new QTreeWidgetItem(row, {QString(), tr("What to do"), check.advice});
            what->setFirstColumnSpanned(false);
            row->setExpanded(true);
        }
        if (!check.ok && check.severity != TestCheck::Severity::Info)
            row->setForeground(0, ErrorLabel::colorFor(palette()));
    }
    const qsizetype total = report.checks.size();
    m_results->setVisible(total > 0);
    if (failed > 0)
        m_testSummary->setText(tr("%1 of %2 checks failed: a request would fail. Fix what the "
                                  "failed checks say, then test again.")
                                   .arg(failed)
                                   .arg(total));
    else if (warnings > 0)
        m_testSummary->setText(tr("No check failed; %1 to look at.")
                                   .arg(countOf(warnings, tr("warning"), tr("warnings"))));
    else
        m_testSummary->setText(tr("All %1 checks passed.").arg(total));
}

} // namespace ck::gui
