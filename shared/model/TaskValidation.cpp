#include "model/TaskValidation.h"

#include "model/DeploymentTaskTypes.h"
#include "model/ServerTaskTypes.h"
#include "model/SshTaskType.h"

#include <QDir>
#include <QJsonArray>
#include <QSet>
#include <QUrl>
#include <QUuid>

#include <algorithm>

namespace ck {

namespace {
constexpr int kMaxRetries = 10;
constexpr int kMaxRetryDelaySeconds = 3600;
constexpr int kMaxTaskNameLength = 200;
} // namespace

QString parameterValueProblem(const TaskParameterSpec& spec, const QJsonValue& value) {
    using K = TaskParameterKind;
    switch (spec.kind) {
    case K::Int: {
        const double d = value.toDouble();
        if (!value.isDouble() || d != double(qint64(d)))
            return QStringLiteral("must be a whole number");
        if (spec.maximum > spec.minimum && (d < spec.minimum || d > spec.maximum))
            return QStringLiteral("must be from %1 to %2").arg(spec.minimum).arg(spec.maximum);
        return {};
    }
    case K::Bool:
        return value.isBool() ? QString() : QStringLiteral("must be true or false");
    case K::Choice:
        return spec.choices.contains(value.toString())
                   ? QString()
                   : QStringLiteral("'%1' is not one of: %2")
                         .arg(value.toString(), spec.choices.join(QStringLiteral(", ")));
    case K::Command: {
        const QJsonArray parts = value.toArray();
        const bool allText = std::all_of(parts.begin(), parts.end(),
                                         [](const QJsonValue& v) { return v.isString(); });
        return value.isArray() && allText
                   ? QString()
                   : QStringLiteral("must be a list of text: the program, then its arguments");
    }
    default:
        return value.isString() ? QString() : QStringLiteral("must be text");
    }
}

bool isBlankParameter(const QJsonValue& v) {
    return v.isUndefined() || v.isNull() || (v.isString() && v.toString().trimmed().isEmpty()) ||
           (v.isArray() && v.toArray().isEmpty());
}

namespace {

bool isWebUrl(const QString& text) {
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && !url.host().isEmpty() &&
           (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
}

bool isAccountName(const QString& name) {
    for (QChar c : name)
        if (c.isSpace() || c == u':' || c == u'/')
            return false;
    return true;
}

// The checks that need more than a kind: paths, modes, URLs, commands.
void checkTypeRules(const DeploymentTask& task, const QString& prefix, QList<FieldError>& errors) {
    auto text = [&](const char* key) {
        return taskParameter(task, QLatin1String(key)).toString().trimmed();
    };
    auto add = [&](const char* key, const QString& detail) {
        errors.append({prefix + QLatin1String(key), detail});
    };
    if (task.type == task_types::kExport) {
        const QString path = text("path");
        if (!path.isEmpty() && (!QDir::isAbsolutePath(path) || path.endsWith(u'/')))
            add("path", QStringLiteral("Give the absolute path of a file, such as "
                                       "/etc/ssl/private/example.com.pem"));
        const QString modeText = text("mode");
        const auto mode = parseFileMode(modeText);
        if (!modeText.isEmpty() && !mode)
            add("mode", QStringLiteral("'%1' is not a file mode; use octal digits such as 0640 "
                                       "or 0644")
                            .arg(modeText));
        else if (mode && (*mode & 07) && exportFormatHoldsKey(text("format")))
            add("mode", QStringLiteral("A file holding the private key must not be readable by "
                                       "others; use 0600 or 0640"));
        for (const char* key : {"owner", "group"})
            if (!isAccountName(text(key)))
                add(key, QStringLiteral("Give one user or group name, or a number"));
    } else if (task.type == task_types::kScript) {
        const QString program = text("program");
        if (!program.isEmpty() && !QDir::isAbsolutePath(program))
            add("program", QStringLiteral("Give the absolute path of the program, such as "
                                          "/usr/local/bin/deploy-cert"));
        const QString dir = text("workingDirectory");
        if (!dir.isEmpty() && !QDir::isAbsolutePath(dir))
            add("workingDirectory", QStringLiteral("Give an absolute path"));
    } else if (task.type == task_types::kReload) {
        const QString command = text("command");
        const auto words = splitCommandLine(command);
        if (!command.isEmpty() && !words)
            add("command", QStringLiteral("A quote is not closed; close it, or escape it with \\"));
        for (const char* key : {"checkHost", "checkServerName"})
            if (!isAccountName(text(key)))
                add(key, QStringLiteral("Give one host name or address, without a port"));
    } else if (task.type == task_types::kWebhook) {
        const QString url = text("url");
        if (!url.isEmpty() && !isWebUrl(url))
            add("url", QStringLiteral("'%1' is not an http:// or https:// address").arg(url));
    } else if (isServerTaskType(task.type)) {
        checkServerTaskRules(task, prefix, errors);
    } else if (task.type == task_types::kSsh) {
        checkSshTaskRules(task, prefix, errors);
    }
}

void checkParameters(const DeploymentTask& task, const TaskTypeSpec& type, const QString& prefix,
                     QList<FieldError>& errors) {
    for (auto it = task.parameters.begin(); it != task.parameters.end(); ++it) {
        const QString field = prefix + it.key();
        const TaskParameterSpec* spec = type.find(it.key());
        if (!spec) {
            QStringList known;
            for (const auto& p : type.parameters)
                known.append(p.key);
            errors.append(
                {field, QStringLiteral("%1 tasks have no parameter '%2'; they take: %3")
                            .arg(type.title, it.key(), known.join(QStringLiteral(", ")))});
            continue;
        }
        if (it.value().isNull())
            continue; // same as absent: the default applies
        const QString problem = parameterValueProblem(*spec, it.value());
        if (!problem.isEmpty())
            errors.append({field, problem});
    }
    for (const auto& spec : type.parameters)
        if (spec.required && isBlankParameter(task.parameters.value(spec.key)) &&
            isBlankParameter(spec.defaultValue))
            errors.append(
                {prefix + spec.key,
                 QStringLiteral("%1 is required for %2 tasks").arg(spec.label, type.title)});
    checkTypeRules(task, prefix, errors);
}
} // namespace

std::optional<QStringList> splitCommandLine(const QString& line) {
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote; // the open quote, or null
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        const bool escapable = quote.isNull() || (quote == u'"' && i + 1 < line.size() &&
                                                  (line[i + 1] == u'"' || line[i + 1] == u'\\'));
        if (c == u'\\' && quote != u'\'' && escapable && i + 1 < line.size()) {
            word += line[++i];
            inWord = true;
        } else if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            else
                word += c;
        } else if (c == u'\'' || c == u'"') {
            quote = c;
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                words.append(word);
            word.clear();
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (!quote.isNull())
        return std::nullopt;
    if (inWord)
        words.append(word);
    return words;
}

QString joinCommandLine(const QStringList& words) {
    QStringList quoted;
    for (const QString& w : words) {
        const bool plain = !w.isEmpty() && std::none_of(w.begin(), w.end(), [](QChar c) {
            return c.isSpace() || c == u'\'' || c == u'"' || c == u'\\';
        });
        // In single quotes nothing is special; a single quote itself closes, is escaped, reopens.
        quoted << (plain ? w : u'\'' + QString(w).replace(u'\'', QStringLiteral("'\\''")) + u'\'');
    }
    return quoted.join(u' ');
}

std::optional<int> parseFileMode(const QString& text) {
    const QString t = text.trimmed();
    if (t.size() < 3 || t.size() > 4 || (t.size() == 4 && t.front() != u'0'))
        return std::nullopt;
    int mode = 0;
    for (QChar c : t) {
        if (c < u'0' || c > u'7')
            return std::nullopt;
        mode = mode * 8 + (c.unicode() - u'0');
    }
    return mode;
}

QJsonValue taskParameter(const DeploymentTask& task, const QString& key) {
    const QJsonValue v = task.parameters.value(key);
    if (!v.isUndefined() && !v.isNull())
        return v;
    const TaskTypeSpec* type = findTaskType(task.type);
    const TaskParameterSpec* spec = type ? type->find(key) : nullptr;
    return spec ? spec->defaultValue : QJsonValue();
}

QList<FieldError> validateDeploymentTasks(QList<DeploymentTask>& tasks, const QString& listField,
                                          bool preRequest) {
    QList<FieldError> errors;
    for (qsizetype i = 0; i < tasks.size(); ++i) {
        DeploymentTask& task = tasks[i];
        const QString prefix = QStringLiteral("%1[%2].").arg(listField).arg(i);
        const TaskTypeSpec* type = findTaskType(task.type);
        if (!type) {
            errors.append(
                {prefix + QStringLiteral("type"),
                 QStringLiteral("'%1' is not a task type; use %2")
                     .arg(task.type, deploymentTaskTypeNames().join(QStringLiteral(", ")))});
            continue;
        }
        task.name = task.name.trimmed();
        if (task.name.isEmpty())
            task.name = type->title;
        if (task.name.size() > kMaxTaskNameLength)
            errors.append(
                {prefix + QStringLiteral("name"),
                 QStringLiteral("The name is longer than %1 characters").arg(kMaxTaskNameLength)});
        if (preRequest && task.trigger == TaskTrigger::OnError)
            errors.append({prefix + QStringLiteral("trigger"),
                           QStringLiteral("A pre-request task runs before the outcome is known; "
                                          "use onSuccess (before every request), always or "
                                          "manual")});
        if (task.retries < 0 || task.retries > kMaxRetries)
            errors.append({prefix + QStringLiteral("retries"),
                           QStringLiteral("must be from 0 to %1").arg(kMaxRetries)});
        if (task.retryDelaySeconds < 0 || task.retryDelaySeconds > kMaxRetryDelaySeconds)
            errors.append({prefix + QStringLiteral("retryDelaySeconds"),
                           QStringLiteral("must be from 0 to %1").arg(kMaxRetryDelaySeconds)});
        checkParameters(task, *type, prefix + QStringLiteral("parameters."), errors);
    }
    return errors;
}

QList<FieldError> validateItemTasks(ManagedCertificate& item) {
    QList<FieldError> errors =
        validateDeploymentTasks(item.preRequestTasks, QStringLiteral("preRequestTasks"), true);
    errors +=
        validateDeploymentTasks(item.postRequestTasks, QStringLiteral("postRequestTasks"), false);
    QSet<QString> seen;
    auto checkIds = [&](const QList<DeploymentTask>& tasks, const QString& listField) {
        for (qsizetype i = 0; i < tasks.size(); ++i) {
            const QString& id = tasks[i].id;
            if (id.isEmpty())
                continue;
            if (seen.contains(id))
                errors.append({QStringLiteral("%1[%2].id").arg(listField).arg(i),
                               QStringLiteral("Another task has the id '%1'; leave the id empty "
                                              "for a new task")
                                   .arg(id)});
            seen.insert(id);
        }
    };
    checkIds(item.preRequestTasks, QStringLiteral("preRequestTasks"));
    checkIds(item.postRequestTasks, QStringLiteral("postRequestTasks"));
    return errors;
}

void assignMissingTaskIds(ManagedCertificate& item) {
    QSet<QString> taken;
    for (const auto* list : {&item.preRequestTasks, &item.postRequestTasks})
        for (const auto& task : *list)
            taken.insert(task.id);
    for (auto* list : {&item.preRequestTasks, &item.postRequestTasks})
        for (auto& task : *list)
            while (task.id.isEmpty()) {
                // Short enough to type in `certkeeper-cli deploy ID TASK`.
                const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
                if (!taken.contains(id)) {
                    task.id = id;
                    taken.insert(id);
                }
            }
}

} // namespace ck
