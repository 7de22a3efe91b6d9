// certbot's layout (certbot(1), "Where are my certificates?" in its User Guide): each lineage
// is described by renewal/<name>.conf, whose top keys name the live/<name>/ files (links into
// archive/<name>/) and whose [renewalparams] name the account, the server and the
// authenticator (standalone, webroot with webroot_path or a [[webroot_map]], or a plugin). The
// account lives in accounts/<server>/<id>/: its key as a JWK (private_key.json) and its URL in
// regr.json.

#include "adopt/LayoutFiles.h"
#include "adopt/ToolLayouts.h"

#include "crypto/CryptoError.h"
#include "crypto/JwkPrivateKey.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ck::adopt {

namespace {
// accounts/<server folders>/<id>/ holding private_key.json; empty when there is none.
QString accountFolder(const QString& configDir, const QString& id) {
    QDirIterator it(QDir(configDir).filePath(QStringLiteral("accounts")),
                    QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString dir = it.next();
        if (QFileInfo(dir).fileName() == id &&
            QFileInfo::exists(QDir(dir).filePath(QStringLiteral("private_key.json"))))
            return dir;
    }
    return {};
}

QJsonObject jsonFile(const QString& path, QString* problem) {
    const QByteArray bytes = readLayoutFile(path, problem);
    if (bytes.isEmpty())
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (!doc.isObject())
        *problem = QStringLiteral("%1 is not a JSON object").arg(path);
    return doc.object();
}

LineageAccount readAccount(const QString& configDir, const QString& id) {
    LineageAccount account;
    if (id.isEmpty()) {
        account.problem = QStringLiteral("the renewal file names no account");
        return account;
    }
    const QString dir = accountFolder(configDir, id);
    if (dir.isEmpty()) {
        account.problem =
            QStringLiteral("certbot's account %1 is not in %2/accounts").arg(id, configDir);
        return account;
    }
    QString problem;
    const QJsonObject jwk =
        jsonFile(QDir(dir).filePath(QStringLiteral("private_key.json")), &problem);
    const QJsonObject regr = jsonFile(QDir(dir).filePath(QStringLiteral("regr.json")), &problem);
    if (!problem.isEmpty()) {
        account.problem = problem;
        return account;
    }
    try {
        account.keyPem = crypto::privateKeyFromJwk(jwk).toPem();
    } catch (const crypto::CryptoError& e) {
        account.problem = QStringLiteral("certbot's account key cannot be read: %1").arg(e.what());
    }
    account.url = regr.value(QLatin1String("uri")).toString();
    for (const auto& contact :
         regr.value(QLatin1String("body")).toObject().value(QLatin1String("contact")).toArray())
        if (const QString c = contact.toString(); c.startsWith(QLatin1String("mailto:")))
            account.email = c.mid(7);
    return account;
}

// How the names were proven, as Certkeeper will prove them.
void readChallenge(const QMap<QString, QString>& params, Lineage& lineage) {
    const QString authenticator = params.value(QStringLiteral("authenticator"));
    if (authenticator == QLatin1String("webroot")) {
        QMap<QString, QString> map;
        for (auto it = params.begin(); it != params.end(); ++it)
            if (it.key().startsWith(QLatin1String("webroot_map.")))
                map.insert(it.key().mid(12), it.value());
        QString path =
            params.value(QStringLiteral("webroot_path")).section(QLatin1Char(','), 0, 0).trimmed();
        if (path.isEmpty() && !map.isEmpty())
            path = map.first();
        QStringList paths;
        for (const auto& p : map)
            if (!paths.contains(p))
                paths << p;
        if (paths.size() > 1) {
            for (auto it = map.begin(); it != map.end(); ++it)
                lineage.challenges << webrootChallenge(it.value(), it.key());
            lineage.challengeText = QStringLiteral("http-01, files in each name's webroot (%1)")
                                        .arg(paths.join(QStringLiteral(", ")));
            return;
        }
        lineage.challenges << webrootChallenge(path);
        lineage.challengeText = QStringLiteral("http-01, files in the webroot %1").arg(path);
        return;
    }
    lineage.challenges << listenerChallenge();
    lineage.challengeText = QStringLiteral("http-01, answered by Certkeeper's own listener");
    if (authenticator != QLatin1String("standalone"))
        lineage.notes << QStringLiteral(
                             "certbot proved the names with its '%1' plugin; Certkeeper answers "
                             "http-01 with its own listener on port 80 instead. If a server holds "
                             "that port, choose a webroot or dns-01 in the certificate's settings")
                             .arg(authenticator.isEmpty() ? QStringLiteral("unknown")
                                                          : authenticator);
}

Lineage readLineage(const QString& configDir, const QString& confPath) {
    Lineage lineage;
    lineage.tool = adoption_tools::kCertbot;
    lineage.name = QFileInfo(confPath).completeBaseName();
    lineage.configPath = confPath;
    QString problem;
    const QByteArray conf = readLayoutFile(confPath, &problem);
    if (!problem.isEmpty()) {
        lineage.problem = problem;
        return lineage;
    }
    const auto top = readKeyValues(conf);
    const auto params = readKeyValues(conf, QStringLiteral("renewalparams"));
    for (const char* key : {"cert", "privkey", "chain", "fullchain"})
        if (top.value(QLatin1String(key)).isEmpty())
            problem = QStringLiteral("%1 names no '%2' file").arg(confPath, QLatin1String(key));
    if (problem.isEmpty()) {
        lineage.certPem = readLayoutFile(top.value(QStringLiteral("cert")), &problem);
        lineage.chainPem = readLayoutFile(top.value(QStringLiteral("chain")), &problem);
        lineage.keyPem = readLayoutFile(top.value(QStringLiteral("privkey")), &problem);
    }
    if (!problem.isEmpty()) {
        lineage.problem = problem;
        return lineage;
    }
    lineage.serverUrl = params.value(QStringLiteral("server"));
    lineage.account = readAccount(configDir, params.value(QStringLiteral("account")));
    readChallenge(params, lineage);
    // The paths a server was pointed at: live/<name>/*, links that become files on renewal.
    lineage.targets = {{QStringLiteral("pemfullchain"), top.value(QStringLiteral("fullchain"))},
                       {QStringLiteral("pemkey"), top.value(QStringLiteral("privkey"))},
                       {QStringLiteral("pemcrt"), top.value(QStringLiteral("cert"))},
                       {QStringLiteral("pemintermediates"), top.value(QStringLiteral("chain"))}};
    lineage.notes << QStringLiteral(
                         "certbot still renews this lineage until %1 is removed; on Certkeeper's "
                         "first renewal the links in live/%2 become files")
                         .arg(confPath, lineage.name);
    return lineage;
}
} // namespace

LayoutRead readCertbot(const QString& folder) {
    LayoutRead read;
    read.folder =
        QDir(folder.isEmpty() ? QStringLiteral("/etc/letsencrypt") : folder).absolutePath();
    const QDir renewal(QDir(read.folder).filePath(QStringLiteral("renewal")));
    if (!QFileInfo(read.folder).isDir()) {
        read.problem = QStringLiteral("The folder %1 does not exist").arg(read.folder);
        return read;
    }
    if (!renewal.exists()) {
        read.problem = QStringLiteral("%1 is not certbot's configuration folder: it has no "
                                      "renewal/ folder (certbot's --config-dir, by default "
                                      "/etc/letsencrypt)")
                           .arg(read.folder);
        return read;
    }
    for (const QString& conf :
         renewal.entryList({QStringLiteral("*.conf")}, QDir::Files, QDir::Name))
        read.lineages << readLineage(read.folder, renewal.filePath(conf));
    return read;
}

} // namespace ck::adopt
