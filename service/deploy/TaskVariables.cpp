#include "deploy/TaskVariables.h"

#include "model/DeploymentTaskTypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUrl>

namespace ck::deploy {

namespace {
QString jsonEscaped(const QString& value) {
    // A JSON string of one value, without its quotes.
    const QByteArray doc = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(doc.mid(2, doc.size() - 4));
}

QString escaped(const QString& value, Escaping escaping) {
    switch (escaping) {
    case Escaping::Json:
        return jsonEscaped(value);
    case Escaping::Form:
        return QString::fromLatin1(QUrl::toPercentEncoding(value));
    case Escaping::None:
        break;
    }
    return value;
}

bool isNameChar(QChar c) {
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

// Calls `found(name, start, end)` for each $name / ${name}, and `dollar(start)` for "$$".
template <typename Found, typename Dollar>
void scanVariables(const QString& text, Found found, Dollar dollar) {
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != u'$' || i + 1 >= text.size())
            continue;
        if (text[i + 1] == u'$') {
            dollar(i);
            ++i;
            continue;
        }
        const bool braced = text[i + 1] == u'{';
        qsizetype end = i + (braced ? 2 : 1);
        while (end < text.size() && isNameChar(text[end]))
            ++end;
        const qsizetype nameStart = i + (braced ? 2 : 1);
        if (end == nameStart || (braced && (end >= text.size() || text[end] != u'}')))
            continue;
        found(text.mid(nameStart, end - nameStart), i, braced ? end + 1 : end);
        i = (braced ? end : end - 1);
    }
}

QString isoUtc(const QDateTime& t) {
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}
} // namespace

QString toString(Stage stage) {
    switch (stage) {
    case Stage::PreRequest:
        return QStringLiteral("preRequest");
    case Stage::PostRequest:
        return QStringLiteral("postRequest");
    case Stage::Deploy:
        break;
    }
    return QStringLiteral("deploy");
}

Variables variablesFor(const RunContext& run, const DeploymentTask& task) {
    const ManagedCertificate& m = run.item;
    const QHash<QString, QString> values{
        {QStringLiteral("itemId"), m.id},
        {QStringLiteral("itemName"), m.name},
        {QStringLiteral("primaryDomain"), m.requestConfig.primaryDomain},
        {QStringLiteral("domains"), m.domains().join(u',')},
        {QStringLiteral("certPath"), m.certificatePath},
        {QStringLiteral("chainPath"), m.certificateChainPath},
        {QStringLiteral("fullChainPath"), m.certificateFullChainPath},
        {QStringLiteral("keyPath"), m.certificateKeyPath},
        {QStringLiteral("pfxPath"), m.certificatePfxPath},
        {QStringLiteral("thumbprint"), m.certificateThumbprint},
        {QStringLiteral("previousThumbprint"), m.certificatePreviousThumbprint},
        {QStringLiteral("serial"), m.certificateSerial},
        {QStringLiteral("expiry"), isoUtc(m.dateExpiry)},
        {QStringLiteral("stage"), toString(run.stage)},
        {QStringLiteral("status"), run.status},
        {QStringLiteral("message"), run.message},
        {QStringLiteral("taskId"), task.id},
        {QStringLiteral("taskName"), task.name}};
    Variables result;
    for (const auto& v : deploymentVariables())
        result.append({v.name, values.value(v.name)});
    return result;
}

Escaping escapingFor(const QString& contentType) {
    const QString type = contentType.section(u';', 0, 0).trimmed().toLower();
    if (type.endsWith(QLatin1String("/json")) || type.endsWith(QLatin1String("+json")))
        return Escaping::Json;
    if (type == QLatin1String("application/x-www-form-urlencoded"))
        return Escaping::Form;
    return Escaping::None;
}

QString expandVariables(const QString& text, const Variables& variables, Escaping escaping) {
    QString out;
    qsizetype copiedUntil = 0;
    auto value = [&](const QString& name) -> const QString* {
        for (const auto& v : variables)
            if (v.first == name)
                return &v.second;
        return nullptr;
    };
    scanVariables(
        text,
        [&](const QString& name, qsizetype start, qsizetype end) {
            if (const QString* v = value(name)) {
                out += text.mid(copiedUntil, start - copiedUntil) + escaped(*v, escaping);
                copiedUntil = end;
            }
        },
        [&](qsizetype start) {
            out += text.mid(copiedUntil, start - copiedUntil + 1);
            copiedUntil = start + 2;
        });
    return out + text.mid(copiedUntil);
}

QStringList unknownVariables(const QString& text) {
    QSet<QString> known;
    for (const auto& v : deploymentVariables())
        known.insert(v.name);
    QStringList unknown;
    scanVariables(
        text,
        [&](const QString& name, qsizetype, qsizetype) {
            if (!known.contains(name) && !unknown.contains(name))
                unknown.append(name);
        },
        [](qsizetype) {});
    return unknown;
}

QList<QPair<QString, QString>> environmentFor(const Variables& variables) {
    QList<QPair<QString, QString>> env;
    for (const auto& [name, value] : variables)
        env.append({environmentNameOf(name), value});
    return env;
}

QByteArray scriptInput(const RunContext& run, const DeploymentTask& task,
                       const Variables& variables) {
    QJsonObject vars;
    for (const auto& [name, value] : variables)
        vars.insert(name, value);
    const QJsonObject input{
        {"stage", toString(run.stage)},
        {"status", run.status},
        {"message", run.message},
        {"task", QJsonObject{{"id", task.id}, {"name", task.name}, {"type", task.type}}},
        {"variables", vars},
        {"item", toJson(run.item)}};
    return QJsonDocument(input).toJson(QJsonDocument::Indented);
}

} // namespace ck::deploy
