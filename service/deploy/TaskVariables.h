#pragma once
// What a task knows about the run it is part of, and the variables made of it: $name in webhook
// bodies and script arguments, CERTKEEPER_NAME in a script's environment, and the JSON a script
// reads on its standard input. README's "Deployment tasks" section documents them for users.

#include "model/ManagedCertificate.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace ck::deploy {

enum class Stage { PreRequest, PostRequest, Deploy };
QString toString(Stage stage); // "preRequest", "postRequest", "deploy"

struct RunContext {
    ManagedCertificate item;
    Stage stage = Stage::Deploy;
    QString status = QStringLiteral("success"); // "pending" (pre-request), "success", "error"
    QString message;                            // why the request failed
};

using Variables = QList<QPair<QString, QString>>; // name, value; in catalogue order

Variables variablesFor(const RunContext& run, const DeploymentTask& task);

enum class Escaping { None, Json, Form };
// JSON string escapes for */json and *+json, percent-encoding for form bodies, else none.
Escaping escapingFor(const QString& contentType);

// Replaces $name and ${name} with the variable's value (escaped), "$$" with "$"; anything else
// after a $ is left as it is.
QString expandVariables(const QString& text, const Variables& variables, Escaping escaping);
// The names written after a $ that are not variables, for warnings ("$domain" for "$domains").
QStringList unknownVariables(const QString& text);

// CERTKEEPER_ITEM_ID=..., one per variable.
QList<QPair<QString, QString>> environmentFor(const Variables& variables);

// {"stage", "status", "message", "task": {id, name, type}, "variables": {...}, "item": {...}}
QByteArray scriptInput(const RunContext& run, const DeploymentTask& task,
                       const Variables& variables);

} // namespace ck::deploy
