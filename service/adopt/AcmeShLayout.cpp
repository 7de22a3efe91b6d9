// acme.sh's layout (its wiki, "How to install the certs" and the domain config it writes): its
// home (by default ~/.acme.sh, --home/--config-home) has one folder per certificate,
// <domain>/ (RSA) or <domain>_ecc/ (ECDSA), holding <domain>.conf (Le_Domain, Le_Alt,
// Le_Webroot, Le_API, Le_Keylength and, after --install-cert, Le_RealCertPath,
// Le_RealCACertPath, Le_RealKeyPath, Le_RealFullChainPath, Le_ReloadCmd) beside
// <domain>.cer, <domain>.key, ca.cer and fullchain.cer. The account of a CA lives in
// ca/<host>/<path of the directory URL>/: account.key (PEM) and ca.conf (ACCOUNT_URL); its
// email in account.conf (ACCOUNT_EMAIL) at the home's top.

#include "adopt/LayoutFiles.h"
#include "adopt/ToolLayouts.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

namespace ck::adopt {

namespace {
// acme.sh's CA_DIR: ca/<host>/<path> of the directory URL (its _getCAPath, the port dropped).
QString caFolder(const QString& home, const QString& directoryUrl) {
    const QUrl url(directoryUrl);
    QString path = url.path();
    while (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    return QDir(home).filePath(QStringLiteral("ca/%1/%2").arg(url.host(), path));
}

LineageAccount readAccount(const QString& home, const QString& directoryUrl) {
    LineageAccount account;
    const QString dir = caFolder(home, directoryUrl);
    QString problem;
    account.keyPem = readLayoutFile(QDir(dir).filePath(QStringLiteral("account.key")), &problem);
    const QByteArray caConf =
        readLayoutFile(QDir(dir).filePath(QStringLiteral("ca.conf")), &problem);
    account.url = readKeyValues(caConf).value(QStringLiteral("ACCOUNT_URL"));
    QString ignored; // an account without an email is fine
    account.email =
        readKeyValues(readLayoutFile(QDir(home).filePath(QStringLiteral("account.conf")), &ignored))
            .value(QStringLiteral("ACCOUNT_EMAIL"));
    account.problem = problem;
    return account;
}

// Le_Webroot: "no" for --standalone, a path (or several, comma-separated) for --webroot,
// "dns_<provider>" or "dns" for dns-01, "apache"/"nginx" for those modes, "alpn" for tls-alpn-01.
void readChallenge(const QString& webroot, Lineage& lineage) {
    const QString first = webroot.section(QLatin1Char(','), 0, 0).trimmed();
    if (first.startsWith(QLatin1Char('/'))) {
        lineage.challenges << webrootChallenge(first);
        lineage.challengeText = QStringLiteral("http-01, files in the webroot %1").arg(first);
        return;
    }
    if (first.compare(QLatin1String("alpn"), Qt::CaseInsensitive) == 0) {
        ChallengeConfig alpn = listenerChallenge();
        alpn.type = QStringLiteral("tls-alpn-01");
        lineage.challenges << alpn;
        lineage.challengeText =
            QStringLiteral("tls-alpn-01, answered by Certkeeper's own listener");
        return;
    }
    lineage.challenges << listenerChallenge();
    lineage.challengeText = QStringLiteral("http-01, answered by Certkeeper's own listener");
    if (first != QLatin1String("no"))
        lineage.notes << QStringLiteral("acme.sh proved the names by '%1'; Certkeeper answers "
                                        "http-01 with its own listener on port 80 instead: set "
                                        "a webroot or a dns-01 provider in the certificate's "
                                        "settings if a server holds that port")
                             .arg(first);
}

Lineage readLineage(const QString& home, const QString& dir) {
    Lineage lineage;
    lineage.tool = adoption_tools::kAcmeSh;
    QString domain = QFileInfo(dir).fileName();
    if (domain.endsWith(QLatin1String("_ecc")))
        domain.chop(4);
    lineage.name = QFileInfo(dir).fileName();
    const QDir folder(dir);
    lineage.configPath = folder.filePath(domain + QStringLiteral(".conf"));
    QString problem;
    const auto conf = readKeyValues(readLayoutFile(lineage.configPath, &problem));
    lineage.certPem = readLayoutFile(folder.filePath(domain + QStringLiteral(".cer")), &problem);
    lineage.chainPem = readLayoutFile(folder.filePath(QStringLiteral("ca.cer")), &problem);
    lineage.keyPem = readLayoutFile(folder.filePath(domain + QStringLiteral(".key")), &problem);
    if (!problem.isEmpty()) {
        lineage.problem = problem;
        return lineage;
    }
    lineage.serverUrl = conf.value(QStringLiteral("Le_API"));
    lineage.account = readAccount(home, lineage.serverUrl);
    readChallenge(conf.value(QStringLiteral("Le_Webroot")), lineage);
    // The files --install-cert copies to: where the servers read; empty ones were not asked for.
    const std::pair<const char*, QString> installed[] = {
        {"Le_RealCertPath", QStringLiteral("pemcrt")},
        {"Le_RealCACertPath", QStringLiteral("pemintermediates")},
        {"Le_RealKeyPath", QStringLiteral("pemkey")},
        {"Le_RealFullChainPath", QStringLiteral("pemfullchain")}};
    for (const auto& [key, format] : installed)
        if (const QString path = conf.value(QLatin1String(key)); !path.isEmpty())
            lineage.targets << AdoptionTarget{format, path};
    if (lineage.targets.isEmpty())
        lineage.notes << QStringLiteral("acme.sh installed this certificate nowhere "
                                        "(--install-cert was not run): no file is written on "
                                        "renewal; add an export task where a server reads it");
    if (!conf.value(QStringLiteral("Le_ReloadCmd")).isEmpty())
        lineage.notes << QStringLiteral("acme.sh ran a reload command after each renewal; add a "
                                        "'reload' task with it in the certificate's settings");
    return lineage;
}
} // namespace

LayoutRead readAcmeSh(const QString& folder) {
    LayoutRead read;
    read.folder =
        QDir(folder.isEmpty() ? QDir::home().filePath(QStringLiteral(".acme.sh")) : folder)
            .absolutePath();
    const QDir home(read.folder);
    if (!QFileInfo(read.folder).isDir()) {
        read.problem = QStringLiteral("The folder %1 does not exist").arg(read.folder);
        return read;
    }
    // A certificate's folder is one that holds <its name without _ecc>.conf.
    for (const QString& name : home.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        QString domain = name;
        if (domain.endsWith(QLatin1String("_ecc")))
            domain.chop(4);
        if (QFileInfo::exists(
                home.filePath(name + QLatin1Char('/') + domain + QStringLiteral(".conf"))))
            read.lineages << readLineage(read.folder, home.filePath(name));
    }
    if (read.lineages.isEmpty() &&
        !QFileInfo::exists(home.filePath(QStringLiteral("account.conf"))))
        read.problem = QStringLiteral("%1 is not acme.sh's home: it has no account.conf and no "
                                      "certificate folders (acme.sh's --home, by default "
                                      "~/.acme.sh)")
                           .arg(read.folder);
    return read;
}

} // namespace ck::adopt
