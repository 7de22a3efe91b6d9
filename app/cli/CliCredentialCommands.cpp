// certkeeper-cli credential list|add|types|remove|test: stored credentials for DNS updates,
// External Account Binding and PFX passwords. Secret fields are read from files or asked for
// without echo, never taken from the command line (see CliSecrets.h), and never printed.

#include "cli/Cli.h"
#include "cli/CliSecrets.h"
#include "cli/ExitCodes.h"
#include "cli/TextTable.h"
#include "client/BlockingCall.h"
#include "model/StoredCredential.h"

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

const CredentialType* findType(const QList<CredentialType>& types, const QString& id) {
    for (const auto& t : types)
        if (t.id == id)
            return &t;
    return nullptr;
}
} // namespace

int Cli::credentialList(const Invocation&) {
    const auto list = waitFor<QList<StoredCredential>>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->credentialList(ctx, ok, failed); });
    if (!list)
        return fail(list.error);
    if (m_globals.json) {
        printJson(credentialListToJson(*list));
        return Success;
    }
    if (list->isEmpty()) {
        m_out << "No stored credentials. Add one with 'certkeeper-cli credential add'.\n";
        return Success;
    }
    TextTable table({QStringLiteral("ID"), QStringLiteral("TYPE"), QStringLiteral("TITLE"),
                     QStringLiteral("SECRETS SET")});
    for (const StoredCredential& c : *list)
        table.addRow({c.id, c.type, c.title, c.secretFields.join(QStringLiteral(", "))});
    table.print(m_out);
    return Success;
}

int Cli::credentialAdd(const Invocation& in) {
    // The service's own types (lexicon's among them), before any secret is asked for.
    if (const int code = connect(); code != Success)
        return code;
    const auto types = waitFor<QList<CredentialType>>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->credentialTypes(ctx, ok, failed); });
    if (!types)
        return fail(types.error);
    const CredentialType* kind = findType(*types, in.value("type"));
    if (!kind) {
        QStringList ids;
        for (const auto& t : *types)
            if (t.nativeProvider.isEmpty())
                ids << t.id;
        return usage(QStringLiteral("--type is one of %1 ('certkeeper-cli credential types "
                                    "TYPE' shows a type's fields)")
                         .arg(ids.join(QStringLiteral(", "))));
    }
    QJsonObject values;
    for (const auto& assignment : in.values("set")) {
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
    for (const auto& assignment : in.values("secret-file")) {
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
    const auto created = waitFor<StoredCredential>([&](QObject* ctx, auto ok, auto failed) {
        m_client->addCredential(kind->id, in.value("title"), values, ctx, ok, failed);
    });
    if (!created)
        return fail(created.error);
    if (m_globals.json)
        printJson(created->toJson());
    else
        m_out << "Stored the credential “" << created->title << "” (" << created->id << ")\n";
    return Success;
}

// GET /api/credentials/types: what `credential add --type` takes, as the service describes it.
int Cli::credentialTypes(const Invocation& in) {
    const auto types = waitFor<QList<CredentialType>>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->credentialTypes(ctx, ok, failed); });
    if (!types)
        return fail(types.error);
    const QString id = in.arg(0);
    if (id.isEmpty()) {
        QJsonArray listed;
        TextTable table({QStringLiteral("TYPE"), QStringLiteral("TITLE")});
        for (const CredentialType& t : *types) {
            if (!t.nativeProvider.isEmpty() && !in.isSet("all"))
                continue;
            listed.append(t.toJson());
            table.addRow({t.id, t.title});
        }
        if (m_globals.json)
            printJson(QJsonObject{{"items", listed}});
        else
            table.print(m_out);
        return Success;
    }
    const CredentialType* kind = findType(*types, id);
    if (!kind)
        return usage(QStringLiteral("The service has no credential type '%1'; 'certkeeper-cli "
                                    "credential types' lists them")
                         .arg(id));
    if (m_globals.json) {
        printJson(kind->toJson());
        return Success;
    }
    m_out << kind->title << " (" << kind->id << ")\n";
    if (!kind->help.isEmpty())
        m_out << kind->help << "\n";
    TextTable table({QStringLiteral("FIELD"), QStringLiteral("GIVE WITH"),
                     QStringLiteral("REQUIRED"), QStringLiteral("HELP")});
    for (const CredentialField& f : kind->fields)
        table.addRow({f.name,
                      f.secret ? QStringLiteral("--secret-file %1=FILE").arg(f.name)
                               : QStringLiteral("--set %1=VALUE").arg(f.name),
                      f.required ? QStringLiteral("yes") : QStringLiteral("no"), f.help});
    table.print(m_out);
    return Success;
}

int Cli::credentialRemove(const Invocation& in) {
    const QString id = in.arg(0);
    const auto removed = waitFor<QString>([&](QObject* ctx, auto ok, auto failed) {
        m_client->removeCredential(id, ctx, ok, failed);
    });
    return reportRemoved(removed, QStringLiteral("Removed the credential %1").arg(id));
}

// POST /api/credentials/{id}/test: proves it where its provider allows (an acme-dns credential
// is registered here, and the answer says which CNAME to create). Exit 10 when it does not work.
int Cli::credentialTest(const Invocation& in) {
    const QString id = in.arg(0);
    const auto tested = waitFor<CredentialTest>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->testCredential(id, ctx, ok, failed); });
    if (!tested)
        return fail(tested.error);
    if (m_globals.json) {
        printJson(tested->toJson());
    } else {
        m_out << tested->message << "\n";
        if (!tested->advice.isEmpty())
            m_out << tested->advice << "\n";
    }
    return tested->ok == false ? ChecksFailed : Success;
}

} // namespace ck::cli
