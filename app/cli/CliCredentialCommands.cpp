// certkeeper-cli credential list|add|remove: stored credentials for DNS updates, External
// Account Binding and PFX passwords. Secret fields are read from files or asked for without
// echo, never taken from the command line (see CliSecrets.h), and never printed.

#include "BlockingCall.h"
#include "Cli.h"
#include "CliSecrets.h"
#include "ExitCodes.h"
#include "StoredCredential.h"
#include "TextTable.h"

#include <QJsonArray>

namespace ck::cli {

namespace {
// "NAME=VALUE" into its parts; false when there is no '='.
bool splitAssignment(const QString& text, QString* name, QString* value) {
    const qsizetype eq = text.indexOf(QLatin1Char('='));
    if (eq <= 0)
        return false;
    *name = text.left(eq);
    *value = text.mid(eq + 1);
    return true;
}
} // namespace

int Cli::credential(const QStringList& args) {
    return dispatch(QStringLiteral("credential"), args,
                    {{"list", &Cli::credentialList},
                     {"add", &Cli::credentialAdd},
                     {"remove", &Cli::credentialRemove}});
}

int Cli::credentialList(const QStringList& args) {
    QCommandLineParser parser;
    if (const int code = noArguments(parser, QStringLiteral("credential list"), args);
        code != Success)
        return code;
    const auto list = waitFor<QJsonObject>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->credentialList(ctx, ok, failed); });
    if (!list)
        return fail(list.error);
    if (m_globals.json) {
        printJson(*list);
        return Success;
    }
    const QJsonArray items = list->value("items").toArray();
    if (items.isEmpty()) {
        m_out << "No stored credentials. Add one with 'certkeeper-cli credential add'.\n";
        return Success;
    }
    TextTable table({QStringLiteral("ID"), QStringLiteral("TYPE"), QStringLiteral("TITLE"),
                     QStringLiteral("SECRETS SET")});
    for (const auto& v : items) {
        const QJsonObject c = v.toObject();
        QStringList secrets;
        for (const auto& s : c.value("secretFields").toArray())
            secrets << s.toString();
        table.addRow({c.value("id").toString(), c.value("type").toString(),
                      c.value("title").toString(), secrets.join(QStringLiteral(", "))});
    }
    table.print(m_out);
    return Success;
}

int Cli::credentialAdd(const QStringList& args) {
    QCommandLineParser parser;
    const QCommandLineOption type(QStringLiteral("type"), QStringLiteral("Credential type."),
                                  QStringLiteral("type"));
    const QCommandLineOption title(QStringLiteral("title"), QStringLiteral("A name for it."),
                                   QStringLiteral("title"));
    const QCommandLineOption set(QStringLiteral("set"),
                                 QStringLiteral("A field that is not secret."),
                                 QStringLiteral("field=value"));
    const QCommandLineOption secretFile(QStringLiteral("secret-file"),
                                        QStringLiteral("A secret field, read from a file."),
                                        QStringLiteral("field=file"));
    parser.addOptions({type, title, set, secretFile});
    if (!parseCommand(parser, QStringLiteral("credential add"), args))
        return usage(parser.errorText());
    if (!parser.isSet(type) || !parser.isSet(title))
        return usage(QStringLiteral("credential add needs --type TYPE and --title TITLE"));
    const CredentialType* kind = findCredentialType(parser.value(type));
    if (!kind) {
        QStringList ids;
        for (const auto& t : credentialTypes())
            ids << t.id;
        return usage(QStringLiteral("--type is one of %1").arg(ids.join(QStringLiteral(", "))));
    }
    QJsonObject values;
    for (const auto& assignment : parser.values(set)) {
        QString name, value;
        if (!splitAssignment(assignment, &name, &value))
            return usage(QStringLiteral("--set takes FIELD=VALUE"));
        for (const auto& field : kind->fields)
            if (field.name == name && field.secret)
                return usage(QStringLiteral("%1 is secret: give it with --secret-file %1=FILE or "
                                            "when asked, not on the command line, where other "
                                            "users can read it")
                                 .arg(name));
        values.insert(name, value);
    }
    QHash<QString, QString> secretFiles;
    for (const auto& assignment : parser.values(secretFile)) {
        QString name, file;
        if (!splitAssignment(assignment, &name, &file))
            return usage(QStringLiteral("--secret-file takes FIELD=FILE"));
        secretFiles.insert(name, file);
    }
    for (const auto& field : kind->fields) {
        if (!field.secret || (!field.required && !secretFiles.contains(field.name)))
            continue;
        QString error;
        const auto secret =
            readSecret(field.title, secretFiles.value(field.name), nullptr, false, &error);
        if (!secret)
            return usage(error);
        values.insert(field.name, *secret);
    }
    if (const int code = connect(); code != Success)
        return code;
    const auto created = waitFor<QJsonObject>([&](QObject* ctx, auto ok, auto failed) {
        m_client->addCredential(kind->id, parser.value(title), values, ctx, ok, failed);
    });
    if (!created)
        return fail(created.error);
    if (m_globals.json)
        printJson(*created);
    else
        m_out << "Stored the credential “" << created->value("title").toString() << "” ("
              << created->value("id").toString() << ")\n";
    return Success;
}

int Cli::credentialRemove(const QStringList& args) {
    QCommandLineParser parser;
    QString id;
    if (const int code = singleId(parser, QStringLiteral("credential remove"), args, &id);
        code != Success)
        return code;
    const auto removed = waitFor<QString>([&](QObject* ctx, auto ok, auto failed) {
        m_client->removeCredential(id, ctx, ok, failed);
    });
    return reportRemoved(removed, QStringLiteral("Removed the credential %1").arg(id));
}

} // namespace ck::cli
