#include "deploy/ServerFiles.h"

#include "base/PathSafety.h"
#include "crypto/SecretFiles.h"
#include "model/ServerTaskTypes.h"
#include "model/TaskValidation.h"

#include <QFileInfo>

namespace ck::deploy {

namespace {
QString text(const DeploymentTask& task, const QString& key) {
    return taskParameter(task, key).toString().trimmed();
}

QString modeText(int mode) {
    return QStringLiteral("0%1").arg(mode, 3, 8, QLatin1Char('0'));
}

QList<ServerFile> filesOf(const DeploymentTask& task) {
    using C = ServerContent;
    QList<QPair<QString, C>> wanted;
    if (task.type == task_types::kHaproxy)
        wanted = {{QStringLiteral("certificateFile"), C::KeyLast}};
    else if (task.type == task_types::kApache)
        wanted = {{QStringLiteral("keyFile"), C::Key},
                  {QStringLiteral("chainFile"), C::Intermediates},
                  {QStringLiteral("certificateFile"), C::FullChain}};
    else if (task.type == task_types::kPostfix)
        wanted = {{QStringLiteral("chainFilesFile"), C::KeyFirst},
                  {QStringLiteral("keyFile"), C::Key},
                  {QStringLiteral("certificateFile"), C::FullChain}};
    else if (task.type == task_types::kDovecot)
        wanted = {{QStringLiteral("keyFile"), C::Key},
                  {QStringLiteral("certificateFile"), C::FullChain}};
    // Each file is replaced atomically; the server reads them together at the update after the
    // last one, so the order only matters to a server reloading by itself in between.
    QList<ServerFile> files;
    for (const auto& [key, content] : wanted)
        if (const QString path = text(task, key); !path.isEmpty())
            files.append({key, path, content});
    return files;
}
} // namespace

QString PresentedTarget::where() const {
    return QStringLiteral("%1:%2 (%3)").arg(host).arg(port).arg(describeStartTls(startTls));
}

StartTls startTlsFor(const QString& protocol, int port) {
    if (protocol == check_protocols::kSmtp)
        return StartTls::Smtp;
    if (protocol == check_protocols::kImap)
        return StartTls::Imap;
    if (protocol == check_protocols::kTls)
        return StartTls::None;
    if (port == 25 || port == 587)
        return StartTls::Smtp;
    if (port == 143)
        return StartTls::Imap;
    return StartTls::None;
}

ServerSettings ServerSettings::of(const DeploymentTask& task, const ManagedCertificate& item) {
    ServerSettings s;
    s.type = task.type;
    s.files = filesOf(task);
    s.group = text(task, QStringLiteral("group"));
    s.statsSocket = text(task, QStringLiteral("statsSocket"));
    s.reloadCommandLine = text(task, QStringLiteral("reloadCommand"));
    s.reloadCommand = splitCommandLine(s.reloadCommandLine).value_or(QStringList());
    s.timeout = std::chrono::seconds(
        std::max(1, taskParameter(task, QStringLiteral("timeoutSeconds")).toInt()));
    s.check.host = text(task, QStringLiteral("checkHost"));
    s.check.port = taskParameter(task, QStringLiteral("checkPort")).toInt();
    s.check.serverName = text(task, QStringLiteral("checkServerName"));
    if (s.check.serverName.isEmpty())
        s.check.serverName = item.requestConfig.primaryDomain;
    s.check.startTls = startTlsFor(text(task, QStringLiteral("checkProtocol")), s.check.port);
    s.check.wait = std::chrono::seconds(
        std::max(1, taskParameter(task, QStringLiteral("checkWaitSeconds")).toInt()));
    return s;
}

int ServerSettings::modeOf(const ServerFile& file) const {
    if (!file.holdsKey())
        return 0644;
    return group.isEmpty() ? 0600 : 0640;
}

QString describeContent(ServerContent content) {
    switch (content) {
    case ServerContent::FullChain:
        return QStringLiteral("the certificate and intermediates");
    case ServerContent::Intermediates:
        return QStringLiteral("the intermediates");
    case ServerContent::Key:
        return QStringLiteral("the private key");
    case ServerContent::KeyFirst:
        return QStringLiteral("the key, certificate and intermediates");
    case ServerContent::KeyLast:
        return QStringLiteral("the certificate, intermediates and key");
    }
    return {};
}

QByteArray serverFileContent(ServerContent content, const CertificateMaterial& material) {
    QByteArray chain = material.leafPem;
    for (const auto& pem : material.intermediatesPem)
        chain += pem;
    switch (content) {
    case ServerContent::FullChain:
        return chain;
    case ServerContent::Intermediates: {
        QByteArray out;
        for (const auto& pem : material.intermediatesPem)
            out += pem;
        return out;
    }
    case ServerContent::Key:
        return material.keyPem;
    case ServerContent::KeyFirst:
        return material.keyPem + chain;
    case ServerContent::KeyLast:
        return chain + material.keyPem;
    }
    return {};
}

QString serverFilesProblem(const ServerSettings& settings, const QString& dataDir) {
    if (settings.files.isEmpty())
        return QStringLiteral("No file to write is set; give the paths the server reads");
    for (const ServerFile& file : settings.files) {
        // The export's checks, with a format that holds the key when this file does.
        ExportSettings asExport;
        asExport.format = file.holdsKey() ? QStringLiteral("pemkey") : QStringLiteral("pemcrt");
        asExport.path = file.path;
        asExport.group = file.holdsKey() ? settings.group : QString();
        asExport.modeText = modeText(settings.modeOf(file));
        if (const QString problem = exportPreconditionError(asExport, dataDir); !problem.isEmpty())
            return problem;
    }
    return {};
}

TaskOutcome writeServerFilesBlocking(const ServerSettings& settings, const ManagedCertificate& item,
                                     const QString& dataDir) {
    if (const QString problem = serverFilesProblem(settings, dataDir); !problem.isEmpty())
        return TaskOutcome::failure(problem);
    QString error;
    const CertificateMaterial material = loadCertificateMaterial(item, &error);
    if (!error.isEmpty())
        return TaskOutcome::failure(error);
    const int gid = resolveOwnership(QString(), settings.group).gid;
    QStringList written;
    for (const ServerFile& file : settings.files) {
        const QByteArray content = serverFileContent(file.content, material);
        if (content.isEmpty())
            return TaskOutcome::failure(
                QStringLiteral("The certificate of '%1' has nothing to put in %2 (%3: the CA "
                               "sent no intermediates); leave that file empty")
                    .arg(item.name, file.path, describeContent(file.content)));
        crypto::FileAttributes attributes;
        attributes.mode = settings.modeOf(file);
        attributes.gid = file.holdsKey() ? gid : -1;
        // Once more, as close to the write as it gets: a link may have appeared since.
        if (const QString late =
                dataDirProblem(QStringLiteral("The export destination"), file.path, dataDir);
            !late.isEmpty())
            return TaskOutcome::failure(late);
        if (!crypto::writeFileAtomically(file.path, content, attributes, &error))
            return TaskOutcome::failure(written.isEmpty()
                                            ? error
                                            : QStringLiteral("%1 (already written: %2)")
                                                  .arg(error, written.join(QStringLiteral(", "))));
        written.append(
            QStringLiteral("%1 to %2 (%3)")
                .arg(describeContent(file.content), file.path, modeText(attributes.mode)));
    }
    return TaskOutcome::success(QStringLiteral("Wrote ") + written.join(QStringLiteral(", ")));
}

} // namespace ck::deploy
