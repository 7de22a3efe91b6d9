#include "gui/CheckResultsDialog.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
// Text from the service goes into Markdown as text: characters Markdown would act on are escaped.
QString plain(const QString& text) {
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (QStringLiteral("\\`*_{}[]()#+-.!<>|~").contains(c))
            out.append(QLatin1Char('\\'));
        out.append(c);
    }
    return out;
}

// Indents every line of a block of Markdown (a step's description) under its list item.
QString indented(const QString& markdown, const QString& indent) {
    QStringList lines = markdown.trimmed().split(QLatin1Char('\n'));
    for (auto& line : lines)
        line.prepend(indent);
    return lines.join(QLatin1Char('\n'));
}

void appendStep(QString& out, const ActionStep& step, int number, const QString& indent) {
    out += QStringLiteral("%1%2. **%3**\n").arg(indent).arg(number).arg(plain(step.title));
    const QString inner = indent + QStringLiteral("   ");
    if (!step.description.trimmed().isEmpty()) // Markdown from the service, as it wrote it
        out += QStringLiteral("\n%1\n\n").arg(indented(step.description, inner));
    for (const auto& warning : step.warnings)
        out += QStringLiteral("%1- ⚠ %2\n").arg(inner, plain(warning));
    for (const auto& error : step.errors)
        out += QStringLiteral("%1- ✕ **%2**\n").arg(inner, plain(error));
    int sub = 0;
    for (const auto& substep : step.substeps)
        appendStep(out, substep, ++sub, inner);
    out += QLatin1Char('\n');
}

QString mark(const TestCheck& check) {
    if (check.ok)
        return QStringLiteral("✓");
    switch (check.severity) {
    case TestCheck::Severity::Warning:
        return QStringLiteral("⚠");
    case TestCheck::Severity::Info:
        return QStringLiteral("ℹ");
    case TestCheck::Severity::Error:
        break;
    }
    return QStringLiteral("✕");
}
} // namespace

CheckResultsDialog::CheckResultsDialog(const QString& itemName, const QList<ActionStep>& steps,
                                       QWidget* parent)
    : QDialog(parent), m_browser(new QTextBrowser(this)) {
    build(QStringLiteral("previewResultsDialog"), tr("Preview of “%1”").arg(itemName),
          tr("What a request would do"), previewMarkdown(steps));
}

CheckResultsDialog::CheckResultsDialog(const QString& itemName, const TestReport& report,
                                       QWidget* parent)
    : QDialog(parent), m_browser(new QTextBrowser(this)) {
    build(QStringLiteral("testResultsDialog"), tr("Test of “%1”").arg(itemName),
          tr("Configuration checks"), testMarkdown(report));
}

void CheckResultsDialog::build(const QString& name, const QString& title, const QString& what,
                               const QString& markdown) {
    setObjectName(name);
    setWindowTitle(title);
    m_browser->setObjectName(QStringLiteral("resultsText"));
    m_browser->setAccessibleName(what);
    m_browser->setOpenExternalLinks(true);
    m_browser->setMarkdown(markdown);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_browser);
    layout->addWidget(buttons);
    resize(640, 480);
}

QString CheckResultsDialog::text() const {
    return m_browser->toPlainText();
}

QString CheckResultsDialog::previewMarkdown(const QList<ActionStep>& steps) {
    if (steps.isEmpty())
        return tr("The service listed no steps.");
    QString out = tr("A request now would take these steps. Nothing has been done yet.") +
                  QStringLiteral("\n\n");
    int number = 0;
    for (const auto& step : steps)
        appendStep(out, step, ++number, {});
    return out;
}

QString CheckResultsDialog::testMarkdown(const TestReport& report) {
    int failed = 0;
    for (const auto& check : report.checks)
        failed += check.ok ? 0 : 1;
    QString out =
        report.ok() && failed == 0 ? tr("**All %1 checks passed.**").arg(report.checks.size())
        : report.ok()
            ? tr("**Nothing stops a request; %1 of %2 checks have something to say.**")
                  .arg(failed)
                  .arg(report.checks.size())
            : tr("**%1 of %2 checks found a problem.**").arg(failed).arg(report.checks.size());
    out += QStringLiteral("\n\n");
    for (const TestCheck& check : report.checks) {
        out += QStringLiteral("- %1 **%2**").arg(mark(check), plain(check.title));
        if (!check.message.isEmpty())
            out += QStringLiteral(": ") + plain(check.message);
        out += QLatin1Char('\n');
        if (!check.ok && !check.advice.isEmpty())
            out += QStringLiteral("  \n  *%1*\n").arg(plain(check.advice));
    }
    return out;
}

} // namespace ck::gui
