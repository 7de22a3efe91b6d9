#include "gui/editor/StepMarkdown.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>

namespace ck::gui {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("StepMarkdown", text);
}

// Text from the service shown as text: characters Markdown would take as markup are escaped.
QString escaped(QString text) {
    for (const char* c : {"\\", "*", "_", "`", "#", "[", "]", "<", ">"})
        text.replace(QLatin1String(c), QLatin1String("\\") + QLatin1String(c));
    return text;
}

// A description is the service's Markdown; indented so it stays inside its list item.
QString indented(const QString& text, int spaces) {
    const QString pad(spaces, u' ');
    QStringList lines = text.trimmed().split(u'\n');
    for (QString& line : lines)
        if (!line.isEmpty())
            line.prepend(pad);
    return lines.join(u'\n');
}

void appendStep(QStringList& out, const QJsonObject& step, const QString& number, int depth) {
    const QString title = escaped(step.value("title").toString());
    const QString description = step.value("description").toString();
    if (depth == 0) {
        out.append(QStringLiteral("### %1. %2").arg(number, title));
        out.append(QString());
        if (!description.trimmed().isEmpty()) {
            out.append(description.trimmed());
            out.append(QString());
        }
    } else {
        const int indent = (depth - 1) * 2;
        out.append(QString(indent, u' ') + QStringLiteral("- **%1** %2").arg(number, title));
        // The description is a paragraph of its own in the item: run on, "Answer http-01 On
        // port 80" would read as one sentence. (A hard line break would do in Markdown, but Qt
        // shows one inside a list item as a new item.)
        if (!description.trimmed().isEmpty()) {
            out.append(QString());
            out.append(indented(description, indent + 2));
        }
    }
    const int notesIndent = depth == 0 ? 0 : (depth - 1) * 2 + 2;
    const auto notes = [&](const char* key, const QString& label) {
        for (const auto& v : step.value(QLatin1String(key)).toArray())
            out.append(QString(notesIndent, u' ') +
                       QStringLiteral("> **%1:** %2").arg(label, escaped(v.toString())));
        if (depth == 0 && !step.value(QLatin1String(key)).toArray().isEmpty())
            out.append(QString());
    };
    notes("errors", tr("Error"));
    notes("warnings", tr("Warning"));
    const QJsonArray substeps = step.value("substeps").toArray();
    for (int i = 0; i < substeps.size(); ++i)
        appendStep(out, substeps[i].toObject(), QStringLiteral("%1.%2").arg(number).arg(i + 1),
                   depth + 1);
    if (depth == 0 && !substeps.isEmpty())
        out.append(QString());
}
} // namespace

QString stepsToMarkdown(const QJsonArray& steps) {
    if (steps.isEmpty())
        return tr("The service reports nothing to do.");
    QStringList out;
    for (int i = 0; i < steps.size(); ++i)
        appendStep(out, steps[i].toObject(), QString::number(i + 1), 0);
    while (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out.join(u'\n') + u'\n';
}

} // namespace ck::gui
