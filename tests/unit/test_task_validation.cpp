// Deployment tasks when an item is saved: the type catalogue the app builds forms from, and the
// field errors for tasks that could not run (unknown type, missing or wrong parameters, a mode
// that means nothing or exposes a key, a relative path, a bad URL, a clashing id).

#include "TestSupport.h"
#include "model/DeploymentTaskTypes.h"
#include "model/StrictDecode.h"
#include "model/TaskValidation.h"
#include "model/Validation.h"

#include <QJsonArray>

using namespace ck;
using cktest::fieldsOf;

namespace {
DeploymentTask task(const QString& type, const QJsonObject& parameters) {
    DeploymentTask t;
    t.type = type;
    t.parameters = parameters;
    return t;
}

ManagedCertificate itemWith(const QList<DeploymentTask>& post,
                            const QList<DeploymentTask>& pre = {}) {
    ManagedCertificate m;
    m.name = QStringLiteral("shop");
    m.requestConfig.subjectAlternativeNames = {QStringLiteral("shop.example.com")};
    m.postRequestTasks = post;
    m.preRequestTasks = pre;
    return m;
}

QString detailOf(const QList<FieldError>& errors, const QString& field) {
    for (const auto& e : errors)
        if (e.field == field)
            return e.detail;
    return {};
}
} // namespace

TEST_CASE("The catalogue describes every task type with typed parameters", "[model][tasks]") {
    CHECK(deploymentTaskTypeNames() == QStringList{"export", "script", "reload", "webhook", "wait",
                                                   "haproxy", "apache", "postfix", "dovecot",
                                                   "ssh"});
    const TaskTypeSpec* exportType = findTaskType(QStringLiteral("export"));
    REQUIRE(exportType);
    const QJsonObject json = exportType->toJson();
    CHECK(json.value("title").toString() == QStringLiteral("Export certificate"));
    const QJsonObject format = json.value("parameters").toArray().at(0).toObject();
    CHECK(format.value("key").toString() == QStringLiteral("format"));
    CHECK(format.value("kind").toString() == QStringLiteral("choice"));
    CHECK(format.value("required").toBool());
    CHECK(format.value("choices").toArray().size() == 8); // pemfullchain: certbot's fullchain.pem
    CHECK(format.value("default").toString() == QStringLiteral("pemfullnokey"));
    for (const auto& type : deploymentTaskTypes()) {
        INFO(type.type.toStdString());
        CHECK_FALSE(type.description.isEmpty());
        // The client reads back what the service serves.
        const auto back = decodeStrict(type.toJson(), &TaskTypeSpec::fromJson);
        CHECK(back.ok());
        CHECK(back.value.toJson() == type.toJson());
        for (const auto& p : type.parameters)
            CHECK_FALSE(p.description.isEmpty());
    }
    CHECK(environmentNameOf(QStringLiteral("fullChainPath")) ==
          QStringLiteral("CERTKEEPER_FULL_CHAIN_PATH"));
}

TEST_CASE("Valid tasks pass and are tidied", "[model][tasks]") {
    DeploymentTask exportTask =
        task(QStringLiteral("export"), {{"format", "pemkey"},
                                        {"path", "/etc/ssl/private/shop.key"},
                                        {"mode", "0640"},
                                        {"group", "ssl-cert"}});
    exportTask.name = QStringLiteral("  key for nginx ");
    ManagedCertificate m =
        itemWith({exportTask,
                  task(QStringLiteral("reload"), {{"command", "systemctl reload nginx"},
                                                  {"checkHost", "127.0.0.1"},
                                                  {"checkPort", 443}}),
                  task(QStringLiteral("webhook"), {{"url", "https://hooks.example.com/x"}}),
                  task(QStringLiteral("wait"), {{"seconds", 5}})},
                 {task(QStringLiteral("script"), {{"program", "/usr/local/bin/stop-proxy"},
                                                  {"arguments", "--name\n$primaryDomain"}})});
    CHECK(validateManagedCertificate(m).isEmpty());
    CHECK(m.postRequestTasks[0].name == QStringLiteral("key for nginx"));
    CHECK(m.postRequestTasks[1].name == QStringLiteral("Reload or restart a service"));

    assignMissingTaskIds(m);
    QStringList ids;
    for (const auto* list : {&m.preRequestTasks, &m.postRequestTasks})
        for (const auto& t : *list)
            ids.append(t.id);
    ids.removeDuplicates();
    CHECK(ids.size() == 5);
    CHECK_FALSE(ids.contains(QString()));
}

TEST_CASE("Tasks that could not run are field errors naming task and parameter", "[model][tasks]") {
    SECTION("unknown type, missing required parameters") {
        ManagedCertificate m =
            itemWith({task(QStringLiteral("ftp-upload"), {}), task(QStringLiteral("export"), {}),
                      task(QStringLiteral("webhook"), {{"url", "  "}})});
        const auto errors = validateManagedCertificate(m);
        CHECK(fieldsOf(errors) == QStringList{"postRequestTasks[0].type",
                                              "postRequestTasks[1].parameters.path",
                                              "postRequestTasks[2].parameters.url"});
        CHECK(detailOf(errors, "postRequestTasks[0].type").contains("export, script"));
        CHECK(detailOf(errors, "postRequestTasks[1].parameters.path").contains("required"));
    }
    SECTION("bad mode strings, a key readable by others, relative paths, bad owner") {
        ManagedCertificate m = itemWith(
            {task(QStringLiteral("export"), {{"path", "/x/a.pem"}, {"mode", "rw-r--r--"}}),
             task(QStringLiteral("export"), {{"path", "/x/b.pem"}, {"mode", "04755"}}),
             task(QStringLiteral("export"),
                  {{"format", "pemfull"}, {"path", "/x/c.pem"}, {"mode", "0644"}}),
             task(QStringLiteral("export"), {{"path", "certs/d.pem"}, {"owner", "www data"}}),
             task(QStringLiteral("script"), {{"program", "deploy.sh"}})});
        const auto errors = validateManagedCertificate(m);
        CHECK(fieldsOf(errors) == QStringList{"postRequestTasks[0].parameters.mode",
                                              "postRequestTasks[1].parameters.mode",
                                              "postRequestTasks[2].parameters.mode",
                                              "postRequestTasks[3].parameters.path",
                                              "postRequestTasks[3].parameters.owner",
                                              "postRequestTasks[4].parameters.program"});
        CHECK(detailOf(errors, "postRequestTasks[0].parameters.mode").contains("0640"));
        CHECK(detailOf(errors, "postRequestTasks[2].parameters.mode").contains("private key"));
    }
    SECTION("wrong kinds, unknown parameters, out-of-range numbers, bad URL") {
        ManagedCertificate m = itemWith(
            {task(QStringLiteral("export"), {{"path", "/x/a.pem"}, {"format", "der"}}),
             task(QStringLiteral("wait"), {{"seconds", "ten"}}),
             task(QStringLiteral("wait"), {{"seconds", 0}, {"minutes", 1}}),
             task(QStringLiteral("reload"), {{"command", "nginx -s reload"}, {"checkPort", 70000}}),
             task(QStringLiteral("webhook"), {{"url", "ftp://example.com/hook"}})});
        m.postRequestTasks[1].retries = 11;
        const auto errors = validateManagedCertificate(m);
        CHECK(fieldsOf(errors) == QStringList{"postRequestTasks[0].parameters.format",
                                              "postRequestTasks[1].retries",
                                              "postRequestTasks[1].parameters.seconds",
                                              "postRequestTasks[2].parameters.minutes",
                                              "postRequestTasks[2].parameters.seconds",
                                              "postRequestTasks[3].parameters.checkPort",
                                              "postRequestTasks[4].parameters.url"});
        CHECK(detailOf(errors, "postRequestTasks[2].parameters.minutes").contains("seconds"));
    }
    SECTION("a pre-request task cannot wait for an error; ids must not clash") {
        DeploymentTask onError = task(QStringLiteral("wait"), {{"seconds", 1}});
        onError.trigger = TaskTrigger::OnError;
        onError.id = QStringLiteral("same");
        DeploymentTask other = task(QStringLiteral("wait"), {{"seconds", 1}});
        other.id = QStringLiteral("same");
        ManagedCertificate m = itemWith({other}, {onError});
        CHECK(fieldsOf(validateManagedCertificate(m)) ==
              QStringList{"preRequestTasks[0].trigger", "postRequestTasks[0].id"});
    }
}

TEST_CASE("File modes are octal permission bits only", "[model][tasks]") {
    CHECK(parseFileMode(QStringLiteral("640")) == 0640);
    CHECK(parseFileMode(QStringLiteral("0600")) == 0600);
    CHECK_FALSE(parseFileMode(QStringLiteral("4755")));
    CHECK_FALSE(parseFileMode(QStringLiteral("0988")));
    CHECK_FALSE(parseFileMode(QStringLiteral("64")));
    CHECK_FALSE(parseFileMode(QString()));
}

TEST_CASE("Reload commands split into words as a shell would, without one", "[model][tasks]") {
    CHECK(splitCommandLine(QStringLiteral("systemctl reload nginx")) ==
          QStringList{"systemctl", "reload", "nginx"});
    CHECK(splitCommandLine(QStringLiteral("  nginx -s   reload ")) ==
          QStringList{"nginx", "-s", "reload"});
    CHECK(splitCommandLine(QStringLiteral("run 'two words' \"it's \\\"x\\\"\" a\\ b ''")) ==
          QStringList{"run", "two words", "it's \"x\"", "a b", ""});
    CHECK(splitCommandLine(QStringLiteral("echo '$HOME' \\\\")) ==
          QStringList{"echo", "$HOME", "\\"});
    CHECK_FALSE(splitCommandLine(QStringLiteral("echo 'unclosed")));
    // Shown as one line and read back: the same words, whatever they hold.
    for (const QStringList& words :
         {QStringList{"systemctl", "reload", "nginx"}, QStringList{"run", "two words", ""},
          QStringList{"it's", "say \"hi\"", "a\\b", "$HOME", "tab\there"}}) {
        const QString line = joinCommandLine(words);
        CHECK(splitCommandLine(line) == words);
    }
    CHECK(joinCommandLine({"nginx", "-s", "reload"}) == QStringLiteral("nginx -s reload"));
    ManagedCertificate m =
        itemWith({task(QStringLiteral("reload"), {{"command", "nginx -c \"/etc/nginx.conf"}})});
    CHECK(fieldsOf(validateManagedCertificate(m)) ==
          QStringList{"postRequestTasks[0].parameters.command"});
}
