#include "deploy/TaskSettings.h"

#include "model/DeploymentTaskTypes.h"
#include "model/TaskValidation.h"

namespace ck::deploy {

namespace {
QString text(const DeploymentTask& task, const char* key) {
    return taskParameter(task, QLatin1String(key)).toString().trimmed();
}

int number(const DeploymentTask& task, const char* key) {
    return taskParameter(task, QLatin1String(key)).toInt();
}

seconds secondsOf(const DeploymentTask& task, const char* key) {
    return seconds(std::max(1, number(task, key)));
}
} // namespace

int ExportSettings::mode() const {
    if (modeText.isEmpty())
        return exportFormatHoldsKey(format) ? 0600 : 0644;
    return parseFileMode(modeText).value_or(-1);
}

ExportSettings ExportSettings::of(const DeploymentTask& task) {
    return {text(task, "format"), text(task, "path"), text(task, "owner"), text(task, "group"),
            text(task, "mode")};
}

ScriptSettings ScriptSettings::of(const DeploymentTask& task) {
    ScriptSettings s;
    s.program = text(task, "program");
    // One argument per line, as typed: spaces inside a line belong to the argument.
    const QString arguments = taskParameter(task, QStringLiteral("arguments")).toString();
    for (const QString& line : arguments.split(u'\n')) {
        QString argument = line;
        if (argument.endsWith(u'\r'))
            argument.chop(1);
        if (!argument.isEmpty())
            s.arguments.append(argument);
    }
    s.workingDirectory = text(task, "workingDirectory");
    s.timeout = secondsOf(task, "timeoutSeconds");
    return s;
}

ReloadSettings ReloadSettings::of(const DeploymentTask& task, const ManagedCertificate& item) {
    ReloadSettings s;
    s.commandLine = text(task, "command");
    s.command = splitCommandLine(s.commandLine).value_or(QStringList());
    s.timeout = secondsOf(task, "timeoutSeconds");
    s.checkHost = text(task, "checkHost");
    s.checkPort = number(task, "checkPort");
    s.checkServerName = text(task, "checkServerName");
    if (s.checkServerName.isEmpty())
        s.checkServerName = item.requestConfig.primaryDomain;
    s.checkWait = secondsOf(task, "checkWaitSeconds");
    return s;
}

WebhookSettings WebhookSettings::of(const DeploymentTask& task) {
    WebhookSettings s;
    s.url = text(task, "url");
    s.method = text(task, "method").toUpper();
    s.contentType = text(task, "contentType");
    s.body = taskParameter(task, QStringLiteral("body")).toString();
    s.timeout = secondsOf(task, "timeoutSeconds");
    return s;
}

WaitSettings WaitSettings::of(const DeploymentTask& task) {
    return {secondsOf(task, "seconds")};
}

QString describeCommand(const QString& program, const QStringList& arguments) {
    QStringList words{QStringLiteral("`%1`").arg(program)};
    for (const auto& a : arguments)
        words.append(QStringLiteral("`%1`").arg(a));
    return words.join(u' ');
}

} // namespace ck::deploy
