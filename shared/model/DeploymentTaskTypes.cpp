#include "model/DeploymentTaskTypes.h"

#include "model/DeploymentTask.h"
#include "model/EnumNames.h"
#include "model/JsonReader.h"
#include "model/ServerTaskTypes.h"
#include "model/SshTaskType.h"
#include "model/TaskParameterBuilders.h"

#include <QJsonArray>

namespace ck {

namespace {
constexpr const char* kKinds[] = {"string", "path",      "int",        "bool",
                                  "choice", "multiline", "credential", "command"};

using K = TaskParameterKind;

using task_parameters::intParam;
using task_parameters::param;

TaskParameterSpec choiceParam(const char* key, const char* label, const QStringList& choices,
                              const QString& defaultValue, const QString& description) {
    TaskParameterSpec p = param(key, label, K::Choice, true, defaultValue, description);
    p.choices = choices;
    return p;
}

const QString kVariablesHint = QStringLiteral(
    "$variables (such as $primaryDomain, $fullChainPath, $thumbprint, $status) are replaced "
    "with the certificate's values; write ${name} when a letter follows.");

TaskTypeSpec exportType() {
    return {task_types::kExport,
            QStringLiteral("Export certificate"),
            QStringLiteral("Writes the certificate, its chain or its key to a file in the format "
                           "a server expects, atomically: a reader never sees half a file."),
            {choiceParam(
                 "format", "Format", exportFormats(), export_formats::kPemFullNoKey,
                 QStringLiteral("pemcrt: the certificate; pemchain: the intermediates and the root "
                                "(when known); pemintermediates: the intermediates; pemkey: the "
                                "private key; pemfull: key, certificate, intermediates and root; "
                                "pemfullnokey: certificate, intermediates and root; pemfullchain: "
                                "certificate and intermediates (certbot's fullchain.pem); pfxfull: "
                                "PKCS#12 with key and chain, protected by the certificate's PFX "
                                "password")),
             param("path", "Destination file", K::Path, true, QJsonValue(),
                   QStringLiteral("An absolute path such as /etc/nginx/tls/example.com.pem; the "
                                  "folder must exist.")),
             param("owner", "Owner", K::String, false, QString(),
                   QStringLiteral("User name or uid to own the file; empty: the service's user. "
                                  "Giving a file to another user needs the service to run as "
                                  "root.")),
             param("group", "Group", K::String, false, QString(),
                   QStringLiteral("Group name or gid; empty: the service's group.")),
             param("mode", "Permissions", K::String, false, QString(),
                   QStringLiteral("Octal, such as 0640; empty: 0600 for files holding the "
                                  "private key, 0644 for the others. A file with the key is "
                                  "never readable by others."))}};
}

TaskTypeSpec scriptType() {
    return {task_types::kScript,
            QStringLiteral("Run script"),
            QStringLiteral("Runs a program (no shell) with the certificate's paths, names, "
                           "thumbprint and the request's status in CERTKEEPER_* environment "
                           "variables and the whole result as JSON on its standard input. Its "
                           "output goes to the certificate's log; a non-zero exit fails the "
                           "task."),
            {param("program", "Program", K::Path, true, QJsonValue(),
                   QStringLiteral("The absolute path of an executable file (a script starts "
                                  "with #!).")),
             param("arguments", "Arguments", K::Multiline, false, QString(),
                   QStringLiteral("One argument per line. ") + kVariablesHint),
             param("workingDirectory", "Working folder", K::Path, false, QString(),
                   QStringLiteral("Empty: the service's own.")),
             intParam("timeoutSeconds", "Time limit (seconds)", 300, 1, 86400,
                      QStringLiteral("The program (and what it started) is stopped after "
                                     "this long, and the task fails."))}};
}

TaskTypeSpec reloadType() {
    return {task_types::kReload,
            QStringLiteral("Reload or restart a service"),
            QStringLiteral("Runs a command such as 'systemctl reload nginx' or 'nginx -s "
                           "reload', then, when a host is given, connects to it over TLS until "
                           "it presents the new certificate."),
            {param("command", "Command", K::String, true, QJsonValue(),
                   QStringLiteral("The program and its arguments, run without a shell; quote "
                                  "an argument that holds spaces.")),
             intParam("timeoutSeconds", "Time limit (seconds)", 60, 1, 3600,
                      QStringLiteral("The command is stopped after this long.")),
             param("checkHost", "Check host", K::String, false, QString(),
                   QStringLiteral("Host or address to connect to afterwards, such as "
                                  "127.0.0.1; empty: no check.")),
             intParam("checkPort", "Check port", 443, 1, 65535,
                      QStringLiteral("The TLS port of the service.")),
             param("checkServerName", "Check server name", K::String, false, QString(),
                   QStringLiteral("The name asked for in the handshake (SNI); empty: the "
                                  "primary domain.")),
             intParam("checkWaitSeconds", "Check waits up to (seconds)", 30, 1, 600,
                      QStringLiteral("A reload takes effect gracefully; the check tries again "
                                     "until the new certificate is presented or this time "
                                     "passes."))}};
}

TaskTypeSpec webhookType() {
    const QString defaultBody = QStringLiteral(
        "{\"item\": \"$itemName\", \"domains\": \"$domains\", \"status\": \"$status\", "
        "\"thumbprint\": \"$thumbprint\", \"expiry\": \"$expiry\", \"message\": \"$message\"}");
    return {
        task_types::kWebhook,
        QStringLiteral("Webhook"),
        QStringLiteral("Sends an HTTP request whose body is a template filled with the "
                       "certificate's values. An answer other than 2xx fails the task."),
        {param("url", "URL", K::String, true, QJsonValue(),
               QStringLiteral("An http:// or https:// address.")),
         choiceParam("method", "Method",
                     {QStringLiteral("POST"), QStringLiteral("PUT"), QStringLiteral("PATCH"),
                      QStringLiteral("GET")},
                     QStringLiteral("POST"), QStringLiteral("The HTTP method.")),
         param("contentType", "Content type", K::String, false, QStringLiteral("application/json"),
               QStringLiteral("Values are escaped for it: JSON string escapes for */json, "
                              "percent-encoding for application/x-www-form-urlencoded.")),
         param("body", "Body", K::Multiline, false, defaultBody, kVariablesHint),
         intParam("timeoutSeconds", "Time limit (seconds)", 30, 1, 300,
                  QStringLiteral("How long to wait for the answer."))}};
}

TaskTypeSpec waitType() {
    TaskParameterSpec seconds =
        intParam("seconds", "Seconds", 10, 1, 3600,
                 QStringLiteral("How long to wait before the next task (a server finishing "
                                "its restart, a replica catching up)."));
    seconds.required = true;
    return {task_types::kWait,
            QStringLiteral("Wait"),
            QStringLiteral("Waits a number of seconds."),
            {seconds}};
}
} // namespace

QString toString(TaskParameterKind kind) {
    return enumName(kKinds, kind);
}

namespace {
void readParameter(JsonReader& r, TaskParameterSpec& p) {
    r.require({"key"});
    r.read("key", p.key);
    r.read("label", p.label);
    r.readEnum("kind", p.kind,
               [](const QString& name) { return enumFromName<TaskParameterKind>(kKinds, name); });
    r.read("required", p.required);
    p.defaultValue = r.object().value(QLatin1String("default"));
    if (p.defaultValue.isUndefined())
        p.defaultValue = QJsonValue(QJsonValue::Null);
    r.read("choices", p.choices);
    r.read("description", p.description);
    r.read("minimum", p.minimum);
    r.read("maximum", p.maximum);
}
} // namespace

QJsonObject TaskParameterSpec::toJson() const {
    QJsonObject o{{"key", key},
                  {"label", label},
                  {"kind", ck::toString(kind)},
                  {"required", required},
                  {"default", defaultValue},
                  {"choices", QJsonArray::fromStringList(choices)},
                  {"description", description}};
    if (kind == TaskParameterKind::Int) {
        o.insert(QStringLiteral("minimum"), minimum);
        o.insert(QStringLiteral("maximum"), maximum);
    }
    return o;
}

TaskParameterSpec TaskParameterSpec::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    TaskParameterSpec p;
    JsonReader r(o, errors);
    readParameter(r, p);
    return p;
}

const TaskParameterSpec* TaskTypeSpec::find(const QString& key) const {
    for (const auto& p : parameters)
        if (p.key == key)
            return &p;
    return nullptr;
}

QJsonObject TaskTypeSpec::toJson() const {
    QJsonArray params;
    for (const auto& p : parameters)
        params.append(p.toJson());
    return {{"type", type}, {"title", title}, {"description", description}, {"parameters", params}};
}

TaskTypeSpec TaskTypeSpec::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    TaskTypeSpec t;
    JsonReader r(o, errors);
    r.require({"type"});
    r.read("type", t.type);
    r.read("title", t.title);
    r.read("description", t.description);
    r.readObjectArray("parameters", [&](JsonReader& sub) {
        TaskParameterSpec p;
        readParameter(sub, p);
        t.parameters.append(p);
    });
    return t;
}

const QList<TaskTypeSpec>& deploymentTaskTypes() {
    static const QList<TaskTypeSpec> types =
        QList<TaskTypeSpec>{exportType(), scriptType(), reloadType(), webhookType(), waitType()} +
        serverTaskTypes() + QList<TaskTypeSpec>{sshTaskType()};
    return types;
}

const TaskTypeSpec* findTaskType(const QString& type) {
    for (const auto& t : deploymentTaskTypes())
        if (t.type == type)
            return &t;
    return nullptr;
}

QStringList deploymentTaskTypeNames() {
    QStringList names;
    for (const auto& t : deploymentTaskTypes())
        names.append(t.type);
    return names;
}

QStringList exportFormats() {
    using namespace export_formats;
    return {kPemCrt,  kPemChain,     kPemIntermediates, kPemKey,
            kPemFull, kPemFullNoKey, kPemFullChain,     kPfxFull};
}

bool exportFormatHoldsKey(const QString& format) {
    using namespace export_formats;
    return format == kPemKey || format == kPemFull || format == kPfxFull;
}

const QList<DeploymentVariable>& deploymentVariables() {
    static const QList<DeploymentVariable> variables{
        {QStringLiteral("itemId"), QStringLiteral("the managed certificate's id")},
        {QStringLiteral("itemName"), QStringLiteral("its name")},
        {QStringLiteral("primaryDomain"), QStringLiteral("the primary domain")},
        {QStringLiteral("domains"), QStringLiteral("every name, comma-separated")},
        {QStringLiteral("certPath"), QStringLiteral("the certificate (PEM) in the data folder")},
        {QStringLiteral("chainPath"), QStringLiteral("the intermediates (PEM)")},
        {QStringLiteral("fullChainPath"), QStringLiteral("certificate and intermediates (PEM)")},
        {QStringLiteral("keyPath"), QStringLiteral("the private key (PEM, 0600)")},
        {QStringLiteral("pfxPath"), QStringLiteral("the PKCS#12 file")},
        {QStringLiteral("thumbprint"), QStringLiteral("SHA-256 of the certificate, hex")},
        {QStringLiteral("previousThumbprint"),
         QStringLiteral("the thumbprint of the certificate before it")},
        {QStringLiteral("serial"), QStringLiteral("the serial number, hex")},
        {QStringLiteral("expiry"), QStringLiteral("notAfter, ISO 8601 UTC")},
        {QStringLiteral("stage"), QStringLiteral("preRequest, postRequest or deploy")},
        {QStringLiteral("status"),
         QStringLiteral("success or error (the request's outcome); pending before it")},
        {QStringLiteral("message"), QStringLiteral("why the request failed; empty otherwise")},
        {QStringLiteral("taskId"), QStringLiteral("this task's id")},
        {QStringLiteral("taskName"), QStringLiteral("this task's name")}};
    return variables;
}

QString environmentNameOf(const QString& variableName) {
    QString out = QStringLiteral("CERTKEEPER_");
    for (QChar c : variableName) {
        if (c.isUpper())
            out += QLatin1Char('_');
        out += c.toUpper();
    }
    return out;
}

namespace task_parameters {

TaskParameterSpec param(const char* key, const char* label, TaskParameterKind kind, bool required,
                        QJsonValue defaultValue, const QString& description) {
    TaskParameterSpec p;
    p.key = QLatin1String(key);
    p.label = QLatin1String(label);
    p.kind = kind;
    p.required = required;
    p.defaultValue = std::move(defaultValue);
    p.description = description;
    return p;
}

TaskParameterSpec intParam(const char* key, const char* label, int defaultValue, int minimum,
                           int maximum, const QString& description) {
    TaskParameterSpec p =
        param(key, label, TaskParameterKind::Int, false, defaultValue, description);
    p.minimum = minimum;
    p.maximum = maximum;
    return p;
}

} // namespace task_parameters

} // namespace ck
