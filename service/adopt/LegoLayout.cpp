// lego's layout (its --path, by default ./.lego; "lego run" in lego's documentation):
// certificates/<domain>.crt (the certificate and its issuer, unless --no-bundle), .key,
// .issuer.crt and .json (the resource: domain, certUrl), a "*" written as "_". Accounts live in
// accounts/<CA host_port>/<email>/: account.json (registration.uri) and keys/<email>.key (PEM).
// lego keeps neither the directory URL nor how the names were proven with a certificate: the
// CA is known by the host of certUrl, and the plan says the challenge is a guess.

#include "adopt/LayoutFiles.h"
#include "adopt/ToolLayouts.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace ck::adopt {

namespace {
// lego's folder for a CA: the host, ":" as "_" (lego's account storage).
QString serverFolder(const QUrl& url) {
    return url.port() > 0 ? QStringLiteral("%1_%2").arg(url.host()).arg(url.port()) : url.host();
}

LineageAccount readAccount(const QString& root, const QUrl& server) {
    LineageAccount account;
    const QDir dir(QDir(root).filePath(QStringLiteral("accounts/") + serverFolder(server)));
    const QStringList emails = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    if (emails.isEmpty()) {
        account.problem = QStringLiteral("lego keeps no account for %1 in %2")
                              .arg(server.host(), dir.absolutePath());
        return account;
    }
    if (emails.size() > 1) {
        account.problem = QStringLiteral("lego keeps several accounts for %1 (%2) and does not "
                                         "say which one requested this certificate")
                              .arg(server.host(), emails.join(QStringLiteral(", ")));
        return account;
    }
    account.email = emails.first();
    const QDir home(dir.filePath(account.email));
    QString problem;
    account.keyPem =
        readLayoutFile(home.filePath(QStringLiteral("keys/%1.key").arg(account.email)), &problem);
    const QByteArray json = readLayoutFile(home.filePath(QStringLiteral("account.json")), &problem);
    account.url = QJsonDocument::fromJson(json)
                      .object()
                      .value(QLatin1String("registration"))
                      .toObject()
                      .value(QLatin1String("uri"))
                      .toString();
    account.problem = problem;
    return account;
}

Lineage readLineage(const QString& root, const QString& jsonPath) {
    Lineage lineage;
    lineage.tool = adoption_tools::kLego;
    const QFileInfo info(jsonPath);
    const QString base = info.absolutePath() + QLatin1Char('/') + info.completeBaseName();
    lineage.name = info.completeBaseName().replace(QLatin1Char('_'), QLatin1Char('*'));
    lineage.configPath = jsonPath;
    QString problem;
    const QJsonObject resource =
        QJsonDocument::fromJson(readLayoutFile(jsonPath, &problem)).object();
    const QByteArray bundle = readLayoutFile(base + QStringLiteral(".crt"), &problem);
    lineage.keyPem = readLayoutFile(base + QStringLiteral(".key"), &problem);
    const QString issuerPath = base + QStringLiteral(".issuer.crt");
    const QByteArray issuer =
        QFileInfo::exists(issuerPath) ? readLayoutFile(issuerPath, &problem) : QByteArray();
    if (!problem.isEmpty()) {
        lineage.problem = problem;
        return lineage;
    }
    // The leaf is the first block of the bundle; the intermediates, what follows it (or the
    // issuer file, for a certificate requested with --no-bundle).
    const QByteArray end = "-----END CERTIFICATE-----";
    const qsizetype leafEnd = bundle.indexOf(end);
    lineage.certPem = leafEnd < 0 ? bundle : QByteArray(bundle.left(leafEnd + end.size()) + '\n');
    lineage.chainPem = leafEnd < 0 ? QByteArray() : bundle.mid(leafEnd + end.size()).trimmed();
    if (lineage.chainPem.isEmpty())
        lineage.chainPem = issuer;
    else
        lineage.chainPem += '\n';
    const QUrl certUrl(resource.value(QLatin1String("certUrl")).toString());
    QUrl server;
    server.setScheme(certUrl.scheme());
    server.setHost(certUrl.host());
    server.setPort(certUrl.port());
    lineage.serverUrl = server.toString();
    lineage.account = readAccount(root, server);
    lineage.challenges << listenerChallenge();
    lineage.challengeText = QStringLiteral("http-01, answered by Certkeeper's own listener");
    lineage.notes << QStringLiteral("lego does not record how the names were proven: Certkeeper "
                                    "answers http-01 with its own listener; change it in the "
                                    "certificate's settings if lego used dns-01 or a webroot");
    const bool bundled = leafEnd >= 0 && !bundle.mid(leafEnd + end.size()).trimmed().isEmpty();
    lineage.targets << AdoptionTarget{bundled ? QStringLiteral("pemfullchain")
                                              : QStringLiteral("pemcrt"),
                                      base + QStringLiteral(".crt")}
                    << AdoptionTarget{QStringLiteral("pemkey"), base + QStringLiteral(".key")};
    if (QFileInfo::exists(issuerPath))
        lineage.targets << AdoptionTarget{QStringLiteral("pemintermediates"), issuerPath};
    return lineage;
}
} // namespace

LayoutRead readLego(const QString& folder) {
    LayoutRead read;
    read.folder = QDir(folder.isEmpty() ? QStringLiteral(".lego") : folder).absolutePath();
    const QDir certificates(QDir(read.folder).filePath(QStringLiteral("certificates")));
    if (!QFileInfo(read.folder).isDir()) {
        read.problem = QStringLiteral("The folder %1 does not exist").arg(read.folder);
        return read;
    }
    if (!certificates.exists()) {
        read.problem = QStringLiteral("%1 is not lego's folder: it has no certificates/ folder "
                                      "(lego's --path, by default ./.lego)")
                           .arg(read.folder);
        return read;
    }
    // One .json per certificate; the .issuer.crt and .key files sit beside it.
    for (const QString& json :
         certificates.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        read.lineages << readLineage(read.folder, certificates.filePath(json));
    return read;
}

} // namespace ck::adopt
