#pragma once
// The service's preview (a tree of ActionSteps: title, Markdown description, category,
// warnings, errors, substeps) as one readable Markdown document, numbered like an outline.

#include <QJsonArray>
#include <QString>

namespace ck::gui {

QString stepsToMarkdown(const QJsonArray& steps);

} // namespace ck::gui
