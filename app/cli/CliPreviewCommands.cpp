// certkeeper-cli preview ID: what a request would do, as an indented tree of steps with their
// warnings and errors. certkeeper-cli test ID: the configuration checks, one line each with a
// mark, and what to do about those that failed. Both exit with ChecksFailed when something was
// found that would make a request fail, so scripts can run them before a change goes live.

#include "cli/Cli.h"
#include "cli/ExitCodes.h"
#include "client/BlockingCall.h"

#include <QRegularExpression>

namespace ck::cli {

namespace {
constexpr int kWidth = 100;
constexpr auto kTestTimeout = std::chrono::minutes(5); // DNS updates and fetches, side by side

// Markdown to plain text: emphasis and code marks go, list items and numbering stay.
QString plain(QString markdown) {
    static const QRegularExpression emphasis(QStringLiteral(R"(\*\*([^*]+)\*\*)"));
    static const QRegularExpression code(QStringLiteral(R"(`+ ?([^`]+?) ?`+)"));
    markdown.replace(emphasis, QStringLiteral("\\1"));
    markdown.replace(code, QStringLiteral("\\1"));
    return markdown;
}

// `text` wrapped at kWidth, each line indented; `first` replaces the indent of the first line.
QString wrapped(const QString& text, const QString& indent, const QString& first = {}) {
    QStringList out;
    for (const QString& paragraph : text.split(u'\n')) {
        if (paragraph.trimmed().isEmpty())
            continue;
        QString line = out.isEmpty() && !first.isEmpty() ? first : indent;
        bool lineHasWord = false;
        for (const QString& word : paragraph.split(u' ', Qt::SkipEmptyParts)) {
            if (lineHasWord && line.size() + 1 + word.size() > kWidth) {
                out << line;
                line = indent + QStringLiteral("  ");
                lineHasWord = false;
            }
            line += (lineHasWord ? QStringLiteral(" ") : QString()) + word;
            lineHasWord = true;
        }
        out << line;
    }
    return out.join(u'\n');
}

// `number` is the step's place in the tree ("2.1"), as the app shows it.
void printStep(QTextStream& out, const ActionStep& step, int depth, const QString& number) {
    const QString indent(depth * 4, u' ');
    out << indent << number << ". " << step.title << '\n';
    if (!step.description.isEmpty())
        out << wrapped(plain(step.description), indent + QStringLiteral("    ")) << '\n';
    for (const QString& w : step.warnings)
        out << wrapped(w, indent + QStringLiteral("      "), indent + QStringLiteral("  ! "))
            << '\n';
    for (const QString& e : step.errors)
        out << wrapped(e, indent + QStringLiteral("      "), indent + QStringLiteral("  ✗ "))
            << '\n';
    for (int i = 0; i < step.substeps.size(); ++i)
        printStep(out, step.substeps[i], depth + 1, QStringLiteral("%1.%2").arg(number).arg(i + 1));
}

QString mark(const TestCheck& c) {
    if (c.ok)
        return c.severity == TestCheck::Severity::Info ? QStringLiteral("i") : QStringLiteral("✓");
    return c.severity == TestCheck::Severity::Error ? QStringLiteral("✗") : QStringLiteral("!");
}
} // namespace

int Cli::preview(const Invocation& in) {
    const QString id = in.arg(0);
    const auto steps = waitFor<QList<ActionStep>>([&](QObject* ctx, auto ok, auto failed) {
        m_client->previewItem(id, std::nullopt, ctx, ok, failed);
    });
    if (!steps)
        return fail(steps.error);
    int errors = 0, warnings = 0;
    for (const auto& step : *steps) {
        errors += step.errorCount();
        warnings += step.warningCount();
    }
    if (m_globals.json) {
        printJson(previewToJson(*steps));
    } else {
        for (int i = 0; i < steps->size(); ++i) {
            printStep(m_out, steps->at(i), 0, QString::number(i + 1));
            m_out << '\n';
        }
        m_out << (errors == 0 ? QStringLiteral("Nothing found that would stop the request")
                              : QStringLiteral("%1 error(s) would stop the request").arg(errors))
              << (warnings == 0 ? QStringLiteral(".")
                                : QStringLiteral("; %1 warning(s).").arg(warnings))
              << " Nothing was changed.\n";
    }
    return errors == 0 ? Success : ChecksFailed;
}

int Cli::test(const Invocation& in) {
    const QString id = in.arg(0);
    const auto report = waitFor<TestReport>([&](QObject* ctx, auto ok, auto failed) {
        m_client->testItem(id, std::nullopt, ctx, ok, failed, {kTestTimeout});
    });
    if (!report)
        return fail(report.error);
    if (m_globals.json) {
        printJson(toJson(*report));
        return report->ok() ? Success : ChecksFailed;
    }
    int failed = 0;
    for (const TestCheck& c : report->checks) {
        failed += c.ok ? 0 : 1;
        m_out << mark(c) << ' ' << c.title << '\n';
        if (!c.message.isEmpty())
            m_out << wrapped(c.message, QStringLiteral("    ")) << '\n';
        if (!c.ok && !c.advice.isEmpty())
            m_out << wrapped(c.advice, QStringLiteral("      "), QStringLiteral("    → ")) << '\n';
    }
    m_out << '\n'
          << (failed == 0 ? QStringLiteral("All %1 checks passed.").arg(report->checks.size())
                          : QStringLiteral("%1 of %2 checks failed%3.")
                                .arg(failed)
                                .arg(report->checks.size())
                                .arg(report->ok() ? QStringLiteral(" (warnings only)") : QString()))
          << '\n';
    return report->ok() ? Success : ChecksFailed;
}

} // namespace ck::cli
