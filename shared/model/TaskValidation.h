#pragma once
// Validation of deployment tasks when an item is saved: a known type, the parameters that type
// takes (required ones present, each of the right kind), a mode string that means something, a
// key file that others cannot read. Problems come back as field errors naming the task and
// parameter ("postRequestTasks[1].parameters.mode"), so the app can point at the field.

#include "ApiError.h"
#include "model/DeploymentTaskTypes.h"
#include "model/ManagedCertificate.h"

#include <optional>

namespace ck {

// Checks one list in place (names trimmed, an empty name becomes the type's title).
// `listField` is the JSON name of the list; pre-request tasks cannot run "onError".
QList<FieldError> validateDeploymentTasks(QList<DeploymentTask>& tasks, const QString& listField,
                                          bool preRequest);

// Both lists of the item, and task ids unique across them.
QList<FieldError> validateItemTasks(ManagedCertificate& item);

// Gives every task without an id a new one (the service does this when an item is saved).
void assignMissingTaskIds(ManagedCertificate& item);

// "640" or "0640" -> 0640; nothing for anything else (special bits such as setuid included).
std::optional<int> parseFileMode(const QString& text);

// A command line split into words as a shell would split them, without a shell: blanks separate
// words, '...' and "..." quote (backslash escapes " and \ inside double quotes, and any character
// outside quotes). Nothing for an unterminated quote. No variables, globs or redirections.
std::optional<QStringList> splitCommandLine(const QString& line);
// The words as one line that splitCommandLine reads back into the same words.
QString joinCommandLine(const QStringList& words);

// What is wrong with `value` for a parameter of this kind and range; empty when it fits.
QString parameterValueProblem(const TaskParameterSpec& spec, const QJsonValue& value);
// Whether a value counts as not given: absent, null, blank text or an empty command.
bool isBlankParameter(const QJsonValue& value);

// The parameter's value, or the catalogue's default when the task does not set it.
QJsonValue taskParameter(const DeploymentTask& task, const QString& key);

} // namespace ck
