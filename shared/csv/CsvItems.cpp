#include "csv/CsvItems.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace ck::csv {

namespace {
struct Column {
    const char* name;
    QStringList aliases; // normalized: lower case, letters and digits only
    const char* help;
};

const QList<Column>& columns() {
    static const QList<Column> list{
        {"name", {"name", "title"}, "a name for the certificate (required)"},
        {"domains",
         {"domains", "domain", "names", "subjectalternativenames", "sans"},
         "every name on the certificate, separated by ';' (required)"},
        {"primaryDomain",
         {"primarydomain", "primary"},
         "the name the certificate is known by (default: the first domain)"},
        {"challengeType",
         {"challengetype", "challenge"},
         "http-01 (default), dns-01 or tls-alpn-01"},
        {"includeInAutoRenew",
         {"includeinautorenew", "autorenew", "renew"},
         "true (default) or false"},
        {"keyAlgorithm",
         {"keyalgorithm", "key", "keytype"},
         "ecdsa-p256 (default), ecdsa-p384, rsa2048, rsa3072 or rsa4096"},
        {"certificateAuthorityId",
         {"certificateauthorityid", "certificateauthority", "ca"},
         "the CA's id (default: the default CA)"},
        {"useStagingMode", {"usestagingmode", "staging"}, "true or false (default)"},
        {"reusePrivateKey", {"reuseprivatekey", "reusekey"}, "true or false (default)"},
        {"preferredChain", {"preferredchain", "chain"}, "the issuer name of the chain to prefer"},
        {"challengeProvider",
         {"challengeprovider", "provider"},
         "listener, webroot, rfc2136 or script"},
        {"credentialId", {"credentialid", "credential"}, "a stored credential's id"},
        {"webrootPath", {"webrootpath", "webroot"}, "the web server's folder, for webroot"},
        {"comments", {"comments", "comment", "notes"}, "free text"},
    };
    return list;
}

QString normalized(const QString& header) {
    QString out;
    for (const QChar c : header)
        if (c.isLetterOrNumber())
            out += c.toLower();
    return out;
}

const Column* findColumn(const QString& header) {
    const QString key = normalized(header);
    for (const auto& c : columns())
        if (c.aliases.contains(key))
            return &c;
    return nullptr;
}

std::optional<bool> parseBool(const QString& text) {
    const QString t = text.trimmed().toLower();
    if (t == u"true" || t == u"yes" || t == u"y" || t == u"1")
        return true;
    if (t == u"false" || t == u"no" || t == u"n" || t == u"0")
        return false;
    return std::nullopt;
}

// Splits "a.example.com; b.example.com" (also accepting white space) into names.
QStringList splitDomains(const QString& text) {
    static const QRegularExpression separators(QStringLiteral("[;\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

ItemRow buildRow(const Record& record, const QStringList& names) {
    ItemRow row;
    row.line = record.line;
    if (!record.error.isEmpty()) {
        row.error = record.error;
        return row;
    }
    if (record.fields.size() > names.size()) {
        row.error = QStringLiteral("it has %1 fields, but there are only %2 columns")
                        .arg(record.fields.size())
                        .arg(names.size());
        return row;
    }
    QHash<QString, QString> v;
    for (qsizetype i = 0; i < record.fields.size(); ++i)
        v.insert(names[i], record.fields[i].trimmed());

    QJsonObject item{{"name", v.value("name")}};
    QJsonObject request;
    QStringList domains = splitDomains(v.value("domains"));
    const QString primary = v.value("primaryDomain");
    if (!primary.isEmpty()) {
        if (!domains.contains(primary, Qt::CaseInsensitive))
            domains.prepend(primary);
        request.insert("primaryDomain", primary);
    }
    request.insert("subjectAlternativeNames", QJsonArray::fromStringList(domains));
    for (const char* flag : {"includeInAutoRenew", "useStagingMode", "reusePrivateKey"}) {
        const QString text = v.value(QLatin1String(flag));
        if (text.isEmpty())
            continue;
        const auto value = parseBool(text);
        if (!value) {
            row.error = QStringLiteral("%1 is \"%2\"; write true or false").arg(flag, text);
            return row;
        }
        (QLatin1String(flag) == QLatin1String("reusePrivateKey") ? request : item)
            .insert(QLatin1String(flag), *value);
    }
    for (const char* key : {"certificateAuthorityId", "comments"})
        if (!v.value(QLatin1String(key)).isEmpty())
            item.insert(QLatin1String(key), v.value(QLatin1String(key)));
    for (const char* key : {"keyAlgorithm", "preferredChain"})
        if (!v.value(QLatin1String(key)).isEmpty())
            request.insert(QLatin1String(key), v.value(QLatin1String(key)));
    const QString type = v.value("challengeType");
    const QString provider = v.value("challengeProvider");
    if (!type.isEmpty() || !provider.isEmpty() || !v.value("credentialId").isEmpty() ||
        !v.value("webrootPath").isEmpty()) {
        QJsonObject challenge{{"type", type.isEmpty() ? QStringLiteral("http-01") : type}};
        if (!provider.isEmpty())
            challenge.insert("provider", provider);
        if (!v.value("credentialId").isEmpty())
            challenge.insert("credentialId", v.value("credentialId"));
        if (!v.value("webrootPath").isEmpty())
            challenge.insert("webrootPath", v.value("webrootPath"));
        request.insert("challenges", QJsonArray{challenge});
    }
    item.insert("requestConfig", request);
    row.item = item;
    return row;
}
} // namespace

CsvImport parseItemsCsv(const QString& text) {
    CsvImport out;
    const QList<Record> records = readRecords(text);
    qsizetype first = 0;
    if (!records.isEmpty() && records.first().error.isEmpty() &&
        std::any_of(records.first().fields.begin(), records.first().fields.end(),
                    [](const QString& f) { return findColumn(f) != nullptr; })) {
        out.hasHeader = true;
        first = 1;
        for (const auto& header : records.first().fields) {
            const Column* c = findColumn(header);
            if (!c) {
                QStringList known;
                for (const auto& column : columns())
                    known << QLatin1String(column.name);
                out.fileError = QStringLiteral("line 1: \"%1\" is not a column this import knows; "
                                               "use %2")
                                    .arg(header, known.join(QStringLiteral(", ")));
                return out;
            }
            if (out.columns.contains(QLatin1String(c->name))) {
                out.fileError = QStringLiteral("line 1: the column %1 appears twice").arg(c->name);
                return out;
            }
            out.columns << QLatin1String(c->name);
        }
    } else {
        for (const char* name : kDefaultColumns)
            out.columns << QLatin1String(name);
    }
    for (qsizetype i = first; i < records.size(); ++i)
        out.rows.append(buildRow(records[i], out.columns));
    return out;
}

QString columnsHelp() {
    QString text;
    for (const auto& c : columns())
        text += QStringLiteral("    %1  %2\n")
                    .arg(QString::fromLatin1(c.name).leftJustified(22), QLatin1String(c.help));
    return text;
}

} // namespace ck::csv
