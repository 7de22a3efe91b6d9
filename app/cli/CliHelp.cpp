// certkeeper-cli's --help, `help COMMAND` and manual page, generated from the command table
// (CliCommandTable.cpp) so that what they say is what the parser accepts.

#include "cli/CommandSpec.h"

#include <algorithm>

namespace ck::cli {

namespace {
constexpr qsizetype kWidth = 80;
constexpr qsizetype kCommandColumn = 31; // where a command's summary starts in --help

// `text` wrapped at kWidth, every line indented by `indent` and ended by a line break; the first
// line continues `first` when it is given (a term already printed in the same line).
QString wrap(const QString& text, qsizetype indent, const QString& first = {}) {
    QString out;
    QString line = first.isEmpty() ? QString(indent, u' ') : first;
    bool lineHasWord = false;
    for (const QString& word : text.split(u' ', Qt::SkipEmptyParts)) {
        if (lineHasWord && line.size() + 1 + word.size() > kWidth) {
            out += line + u'\n';
            line = QString(indent, u' ');
            lineHasWord = false;
        }
        line += (lineHasWord ? QStringLiteral(" ") : QString()) + word;
        lineHasWord = true;
    }
    return out + line + u'\n';
}

// "  term  description", the descriptions aligned at `column`; a term too long for it gets a
// line of its own (column 0: just past the longest term). Numbers (exit codes) are right-aligned.
QString termList(const QList<QPair<QString, QString>>& entries, qsizetype column = 0) {
    qsizetype longest = 0;
    bool numbers = !entries.isEmpty();
    for (const auto& [term, text] : entries) {
        longest = std::max(longest, term.size());
        bool numeric = false;
        term.toInt(&numeric);
        numbers = numbers && numeric;
    }
    if (column == 0)
        column = std::min<qsizetype>(longest + (numbers ? 3 : 4), kCommandColumn);
    QString out;
    for (const auto& [term, text] : entries) {
        const QString shown =
            numbers ? term.rightJustified(longest + 1) : QStringLiteral("  ") + term;
        out += shown.size() + 2 <= column ? wrap(text, column, shown.leftJustified(column))
                                          : shown + u'\n' + wrap(text, column);
    }
    return out;
}

QString optionTerm(const OptionSpec& o) {
    QString term = QStringLiteral("--") + QLatin1String(o.name);
    if (o.shortName)
        term = QStringLiteral("-%1, %2").arg(QLatin1String(o.shortName), term);
    if (o.valueName)
        term += u' ' + QLatin1String(o.valueName);
    return term;
}

QString optionText(const OptionSpec& o) {
    QString text = QLatin1String(o.help);
    if (o.defaultValue)
        text += QStringLiteral(" Default: %1.").arg(QLatin1String(o.defaultValue));
    if (o.repeatable)
        text += QStringLiteral(" May be given more than once.");
    return text;
}

QString argumentSynopsis(const ArgumentSpec& a) {
    QString text = QLatin1String(a.name) + (a.repeatable ? QStringLiteral("...") : QString());
    return a.optional ? u'[' + text + u']' : text;
}

// The words of a command's synopsis: its name, its options, its arguments.
QStringList synopsisWords(const CommandSpec& c) {
    QStringList words{QLatin1String(c.name)};
    for (const auto& o : c.options)
        words << optionSynopsis(o);
    for (const auto& a : c.arguments)
        words << argumentSynopsis(a);
    return words;
}

// The synopsis after `prefix`, wrapped at kWidth; further lines are indented by `indent`, by
// default under the first word after the command's name.
QString synopsisLines(const CommandSpec& c, const QString& prefix, qsizetype indent = -1) {
    const QStringList words = synopsisWords(c);
    if (indent < 0)
        indent = prefix.size() + QLatin1String(c.name).size() + 1;
    QString out;
    QString line = prefix + words.first();
    for (qsizetype i = 1; i < words.size(); ++i) {
        if (line.size() + 1 + words[i].size() > kWidth && line.size() > indent) {
            out += line + u'\n';
            line = QString(indent - 1, u' ');
        }
        line += u' ' + words[i];
    }
    return out + line;
}

QString sectionsText(const QList<HelpSection>& sections) {
    QString out;
    for (const auto& s : sections) {
        if (!s.title.isEmpty())
            out += u'\n' + s.title + QStringLiteral(":\n");
        if (!s.text.isEmpty())
            out += wrap(s.text, 2);
        out += termList(s.entries);
    }
    return out;
}

// --- roff ---

// Text for a roff line: backslashes and hyphens escaped (a "-" in an option must stay a
// hyphen-minus when copied from the page), quotes kept out of macro arguments, and a line never
// starting with a control character.
QString roff(QString text) {
    text.replace(u'\\', QStringLiteral("\\e"));
    text.replace(u'-', QStringLiteral("\\-"));
    text.replace(u'"', QStringLiteral("\\(dq"));
    if (text.startsWith(u'.') || text.startsWith(u'\''))
        text.prepend(QStringLiteral("\\&"));
    return text;
}

// A summary as a sentence: "Register an ACME account with a CA."
QString sentence(const char* summary) {
    QString text = QLatin1String(summary);
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text + u'.';
}

QString roffOptionTerm(const OptionSpec& o) {
    QString term = QStringLiteral("\\fB") + roff(QStringLiteral("--") + QLatin1String(o.name)) +
                   QStringLiteral("\\fR");
    if (o.shortName)
        term = QStringLiteral("\\fB\\-%1\\fR, %2").arg(QLatin1String(o.shortName), term);
    if (o.valueName)
        term += QStringLiteral(" \\fI%1\\fR").arg(roff(QLatin1String(o.valueName)));
    return term;
}

QString roffEntries(const QList<QPair<QString, QString>>& entries) {
    QString out;
    for (const auto& [term, text] : entries)
        out += QStringLiteral(".TP\n.B %1\n%2\n").arg(roff(term), roff(text));
    return out;
}
} // namespace

QString optionSynopsis(const OptionSpec& o) {
    QString text = QStringLiteral("--") + QLatin1String(o.name);
    if (o.valueName)
        text += u' ' + QLatin1String(o.valueName);
    if (!o.required)
        text = u'[' + text + u']';
    return o.repeatable ? text + QStringLiteral("...") : text;
}

std::vector<const CommandSpec*> commandsIn(const std::vector<CommandSpec>& commands,
                                           const QString& group) {
    std::vector<const CommandSpec*> found;
    for (const auto& c : commands) {
        const QLatin1String name(c.name);
        if (name == group || name.startsWith(group + u' '))
            found.push_back(&c);
    }
    return found;
}

QString globalHelp(const CliSpec& spec) {
    const QLatin1String program(spec.program);
    QString out = QStringLiteral("Usage: %1 [OPTIONS] COMMAND [ARGS]\n       %1 help [COMMAND]\n")
                      .arg(program) +
                  wrap(QLatin1String(spec.description), 0) +
                  QStringLiteral("\nOptions (--data-dir, --server and --json may also follow the "
                                 "command):\n");
    QList<QPair<QString, QString>> options;
    for (const auto& o : spec.globalOptions)
        options.append({optionTerm(o), optionText(o)});
    out += termList(options, 22);
    out += u'\n' + wrap(QStringLiteral("Commands ('%1 help COMMAND' or '%1 COMMAND --help' "
                                       "shows a command's arguments and options):")
                            .arg(program),
                        0);
    for (const auto& c : spec.commands) {
        const QString synopsis = synopsisLines(c, QStringLiteral("  "));
        const QString lastLine = synopsis.section(u'\n', -1);
        if (!synopsis.contains(u'\n') && lastLine.size() + 2 <= kCommandColumn)
            out += wrap(QLatin1String(c.summary), kCommandColumn,
                        synopsis.leftJustified(kCommandColumn));
        else
            out += synopsis + u'\n' + wrap(QLatin1String(c.summary), kCommandColumn);
    }
    return out + sectionsText(spec.sections);
}

QString commandHelp(const CliSpec& spec, const QString& command) {
    QString out;
    for (const CommandSpec* c : commandsIn(spec.commands, command)) {
        if (!out.isEmpty())
            out += u'\n';
        out +=
            synopsisLines(*c, QStringLiteral("Usage: %1 [OPTIONS] ").arg(spec.program), 7) + u'\n';
        out += wrap(sentence(c->summary), 0);
        QList<QPair<QString, QString>> arguments;
        for (const auto& a : c->arguments)
            arguments.append({argumentSynopsis(a), QLatin1String(a.help)});
        if (!arguments.isEmpty())
            out += QStringLiteral("\nArguments:\n") + termList(arguments, 22);
        QList<QPair<QString, QString>> options;
        for (const auto& o : c->options)
            options.append({optionTerm(o), optionText(o)});
        if (!options.isEmpty())
            out += QStringLiteral("\nOptions:\n") + termList(options, 22);
    }
    return out + u'\n' +
           wrap(QStringLiteral("The global options --data-dir DIR, --server ID and --json work "
                               "with every command; see '%1 --help'.")
                    .arg(spec.program),
                0);
}

QString manPage(const CliSpec& spec, const QString& version) {
    const QString program = roff(QLatin1String(spec.program));
    // NAME's line is "program \\- what it does", lower case and without a full stop.
    QString title = QLatin1String(spec.description);
    title[0] = title[0].toLower();
    title.chop(title.endsWith(u'.') ? 1 : 0);
    QString out =
        QStringLiteral(".TH %1 1 \"\" \"certkeeper %2\" \"User Commands\"\n")
            .arg(program.toUpper(), version) +
        // Hyphenation would break options and paths apart; ragged right reads better in a terminal.
        QStringLiteral(".nh\n.ad l\n") +
        QStringLiteral(".SH NAME\n%1 \\- %2\n").arg(program, roff(title)) +
        QStringLiteral(".SH SYNOPSIS\n.B %1\n.RI [ options ] \" command \" [ arguments ]\n.br\n"
                       ".B %1 help\n.RI [ command ]\n")
            .arg(program) +
        QStringLiteral(".SH DESCRIPTION\n%1\n.PP\nEach command is one or a few calls to the "
                       "service's local API, run to completion; it prints for people, or with "
                       "\\fB\\-\\-json\\fR the service's JSON. Errors go to standard error in the "
                       "service's own words, and the exit status says what kind of error it "
                       "was.\n")
            .arg(roff(QLatin1String(spec.description)));
    out += QStringLiteral(".SH OPTIONS\nThese options may come before the command; "
                          "\\fB\\-\\-data\\-dir\\fR, \\fB\\-\\-server\\fR and \\fB\\-\\-json\\fR "
                          "may also follow it.\n");
    for (const auto& o : spec.globalOptions)
        out += QStringLiteral(".TP\n%1\n%2\n").arg(roffOptionTerm(o), roff(optionText(o)));
    out += QStringLiteral(".SH COMMANDS\n");
    for (const auto& c : spec.commands) {
        out += QStringLiteral(".SS %1\n%2\n")
                   .arg(roff(synopsisWords(c).join(u' ')), roff(sentence(c.summary)));
        for (const auto& a : c.arguments)
            out += QStringLiteral(".TP\n.I %1\n%2\n")
                       .arg(roff(argumentSynopsis(a)), roff(QLatin1String(a.help)));
        for (const auto& o : c.options)
            out += QStringLiteral(".TP\n%1\n%2\n").arg(roffOptionTerm(o), roff(optionText(o)));
    }
    for (const auto& s : spec.sections) {
        out += s.title.isEmpty() ? QStringLiteral(".PP\n")
                                 : QStringLiteral(".SH \"%1\"\n").arg(roff(s.title.toUpper()));
        if (!s.text.isEmpty())
            out += roff(s.text) + u'\n';
        out += roffEntries(s.entries);
    }
    return out + QStringLiteral(".SH \"SEE ALSO\"\n.BR certkeeper (1),\n"
                                ".BR certkeeper\\-service (8)\n");
}

} // namespace ck::cli
