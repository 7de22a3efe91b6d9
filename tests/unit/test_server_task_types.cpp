// The server task types in the catalogue and in validation: each is described with its files,
// reload and check parameters; paths must be absolute; a Postfix task needs its chain file or
// both a certificate and a key file; an unclosed quote in a reload command and a check host with
// a port are refused, each at its field.

#include "TestSupport.h"
#include "model/ServerTaskTypes.h"
#include "model/TaskValidation.h"

#include <catch2/catch.hpp>

using namespace ck;

namespace {
QList<FieldError> errorsOf(const QString& type, const QJsonObject& parameters) {
    DeploymentTask t;
    t.type = type;
    t.parameters = parameters;
    QList<DeploymentTask> tasks{t};
    return validateDeploymentTasks(tasks, QStringLiteral("postRequestTasks"), false);
}

QString detailOf(const QList<FieldError>& errors, const QString& key) {
    for (const auto& e : errors)
        if (e.field == QStringLiteral("postRequestTasks[0].parameters.") + key)
            return e.detail;
    return {};
}
} // namespace

TEST_CASE("Server task types: their defaults say which server and how to check it",
          "[model][tasks][servers]") {
    for (const char* type : {"haproxy", "apache", "postfix", "dovecot"}) {
        INFO(type);
        const TaskTypeSpec* spec = findTaskType(QLatin1String(type));
        REQUIRE(spec);
        CHECK(isServerTaskType(QLatin1String(type)));
        REQUIRE(spec->find(QStringLiteral("checkProtocol")));
        CHECK(spec->find(QStringLiteral("checkProtocol"))->choices ==
              QStringList{"auto", "tls", "smtp-starttls", "imap-starttls"});
        REQUIRE(spec->find(QStringLiteral("reloadCommand")));
    }
    auto defaultOf = [](const char* type, const char* key) {
        return findTaskType(QLatin1String(type))->find(QLatin1String(key))->defaultValue;
    };
    CHECK(defaultOf("apache", "reloadCommand").toString() == QStringLiteral("apachectl graceful"));
    CHECK(defaultOf("postfix", "reloadCommand").toString() == QStringLiteral("postfix reload"));
    CHECK(defaultOf("dovecot", "reloadCommand").toString() == QStringLiteral("doveadm reload"));
    CHECK(defaultOf("haproxy", "reloadCommand").toString().isEmpty());
    CHECK(defaultOf("postfix", "checkPort").toInt() == 25);
    CHECK(defaultOf("dovecot", "checkPort").toInt() == 993);
    CHECK(defaultOf("haproxy", "checkPort").toInt() == 443);
    CHECK_FALSE(isServerTaskType(QStringLiteral("reload")));
}

TEST_CASE("Server tasks are validated at their fields", "[model][tasks][servers]") {
    CHECK(errorsOf(QStringLiteral("haproxy"), {{"certificateFile", "/etc/haproxy/site.pem"},
                                               {"statsSocket", "/run/haproxy/admin.sock"}})
              .isEmpty());
    CHECK(errorsOf(QStringLiteral("postfix"), {{"chainFilesFile", "/etc/postfix/chain.pem"}})
              .isEmpty());
    CHECK(errorsOf(QStringLiteral("postfix"), {{"certificateFile", "/etc/postfix/cert.pem"},
                                               {"keyFile", "/etc/postfix/key.pem"}})
              .isEmpty());

    const auto relative = errorsOf(QStringLiteral("apache"),
                                   {{"certificateFile", "cert.pem"}, {"keyFile", "/k.pem"}});
    CHECK(detailOf(relative, QStringLiteral("certificateFile")).startsWith("Give the absolute"));

    const auto noFiles = errorsOf(QStringLiteral("postfix"), {{"keyFile", "/etc/postfix/k.pem"}});
    CHECK(detailOf(noFiles, QStringLiteral("certificateFile")) ==
          QStringLiteral("Give the chain file (smtpd_tls_chain_files), or both the certificate "
                         "and the key file"));
    CHECK(detailOf(noFiles, QStringLiteral("keyFile")).isEmpty());

    const auto missing = errorsOf(QStringLiteral("dovecot"), {{"keyFile", "/k.pem"}});
    CHECK(detailOf(missing, QStringLiteral("certificateFile")).contains("is required"));

    const auto quote = errorsOf(QStringLiteral("dovecot"), {{"certificateFile", "/c.pem"},
                                                            {"keyFile", "/k.pem"},
                                                            {"reloadCommand", "doveadm 'reload"},
                                                            {"checkHost", "mail:993"},
                                                            {"checkProtocol", "pop3"}});
    CHECK(detailOf(quote, QStringLiteral("reloadCommand")).startsWith("A quote is not closed"));
    CHECK(detailOf(quote, QStringLiteral("checkHost")) ==
          QStringLiteral("Give one name or address, without a port"));
    CHECK(detailOf(quote, QStringLiteral("checkProtocol")).startsWith("'pop3' is not one of"));
}
