#include "model/SshTaskType.h"

#include "model/TaskParameterBuilders.h"
#include "model/TaskValidation.h"

#include <QDir>
#include <QRegularExpression>

namespace ck {

namespace {
using K = TaskParameterKind;

using task_parameters::intParam;
using task_parameters::param;

CredentialField field(const char* name, const char* title, bool secret, bool required,
                      const char* help) {
    CredentialField f;
    f.name = QLatin1String(name);
    f.title = QLatin1String(title);
    f.secret = secret;
    f.required = required;
    f.help = QLatin1String(help);
    return f;
}

QString text(const DeploymentTask& task, const char* key) {
    return taskParameter(task, QLatin1String(key)).toString().trimmed();
}

// "host", "host:port", "[v6]" or "[v6]:port"; nothing when it is none of them.
std::optional<SshHost> parseHost(const QString& entry, int defaultPort) {
    static const QRegularExpression bracketed(
        QStringLiteral(R"(^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$)"));
    static const QRegularExpression plain(QStringLiteral(R"(^([A-Za-z0-9._-]+)(?::(\d+))?$)"));
    QRegularExpressionMatch m = bracketed.match(entry);
    if (!m.hasMatch())
        m = plain.match(entry);
    if (!m.hasMatch() || m.captured(1).startsWith(u'-') || m.captured(1).startsWith(u'.'))
        return std::nullopt;
    SshHost host{m.captured(1), defaultPort};
    if (m.hasCaptured(2) && !m.captured(2).isEmpty()) {
        bool ok = false;
        host.port = m.captured(2).toInt(&ok);
        if (!ok || host.port < 1 || host.port > 65535)
            return std::nullopt;
    }
    return host;
}
} // namespace

TaskTypeSpec sshTaskType() {
    return {
        task_types::kSsh,
        QStringLiteral("Copy to other machines over SSH"),
        QStringLiteral("Copies the certificate, its chain or its key, in the formats of 'Export "
                       "certificate', to one or more machines over SFTP, each file replaced "
                       "atomically (written beside it, then renamed over it), then runs a command "
                       "there such as 'sudo systemctl reload nginx'. Logs in with a stored SSH "
                       "key; each host's key is pinned at first use. A host that fails does not "
                       "stop the others, but fails the task."),
        {param("hosts", "Hosts", K::String, true, QJsonValue(),
               QStringLiteral("One or more host[:port], separated by commas or spaces, such as "
                              "web1.example.com, 192.0.2.7:2222, [2001:db8::7]:22.")),
         param("credential", "SSH key", K::Credential, true, QJsonValue(),
               QStringLiteral("A stored 'SSH key' credential: the user to log in as, the private "
                              "key (its public half in that user's ~/.ssh/authorized_keys on each "
                              "host) and its passphrase, if any.")),
         param("files", "Files", K::Multiline, true, QJsonValue(),
               QStringLiteral("One file per line: the format, then the absolute path on the "
                              "remote machine, such as 'pemfullnokey /etc/nginx/tls/fullchain.pem' "
                              "and 'pemkey /etc/nginx/tls/key.pem'. Formats: pemcrt, pemchain, "
                              "pemintermediates, pemkey, pemfull, pemfullnokey, pfxfull (as for "
                              "Export certificate). The folders must exist.")),
         param("owner", "Owner", K::String, false, QString(),
               QStringLiteral("User name or uid on the remote machine to own the files; empty: "
                              "the user who logs in. Another user needs root there.")),
         param("group", "Group", K::String, false, QString(),
               QStringLiteral("Group name or gid on the remote machine; empty: the user's own.")),
         param("mode", "Permissions", K::String, false, QString(),
               QStringLiteral("Octal, such as 0640; empty: 0600 for files holding the private "
                              "key, 0644 for the others.")),
         param("command", "Command afterwards", K::String, false, QString(),
               QStringLiteral("Run on each machine once its files are in place, by the user's "
                              "shell there, such as 'sudo systemctl reload nginx'; empty: none. "
                              "Its exit status and output are reported; a non-zero exit fails "
                              "that host.")),
         param("hostKeyFingerprint", "Host key fingerprint", K::String, false, QString(),
               QStringLiteral("SHA256:... as 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub' "
                              "prints it on the host; several separated by commas. Set: each "
                              "host must present one of them. Empty: the key a host presents "
                              "the first time is pinned (ssh_known_hosts in the data folder), "
                              "and a different key later fails the task.")),
         intParam("port", "Port", ssh_task::kDefaultPort, 1, 65535,
                  QStringLiteral("The SSH port of a host given without one.")),
         intParam("timeoutSeconds", "Time limit (seconds)", 30, 1, 600,
                  QStringLiteral("For connecting to a host and for each step there.")),
         intParam("commandTimeoutSeconds", "Command time limit (seconds)", 120, 1, 3600,
                  QStringLiteral("The command is abandoned (and the host fails) after this "
                                 "long."))}};
}

CredentialType sshKeyCredentialType() {
    CredentialType t;
    t.id = ssh_task::kCredentialType;
    t.title = QStringLiteral("SSH key (deployment over SSH)");
    t.help = QStringLiteral("Make a key for Certkeeper alone (ssh-keygen -t ed25519 -f certkeeper "
                            "-C certkeeper), paste the private key here and add the public key "
                            "(certkeeper.pub) to ~/.ssh/authorized_keys of the user on each host.");
    t.fields = {field("user", "User", false, true, "The user to log in as on the hosts."),
                field("privateKey", "Private key", true, true,
                      "The private key, OpenSSH (BEGIN OPENSSH PRIVATE KEY) or PEM format."),
                field("passphrase", "Passphrase", true, false,
                      "The key's passphrase; empty when it has none.")};
    return t;
}

QString SshHost::text() const {
    const QString name = host.contains(u':') ? u'[' + host + u']' : host;
    return port == ssh_task::kDefaultPort ? name : QStringLiteral("%1:%2").arg(name).arg(port);
}

std::optional<QList<SshHost>> parseSshHosts(const QString& text, int defaultPort, QString* error) {
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    QList<SshHost> hosts;
    for (const QString& entry : text.split(separators, Qt::SkipEmptyParts)) {
        const auto host = parseHost(entry, defaultPort);
        if (!host) {
            *error = QStringLiteral("'%1' is not a host name or address with an optional port "
                                    "(host, host:2222, [2001:db8::7]:22)")
                         .arg(entry);
            return std::nullopt;
        }
        if (!hosts.contains(*host))
            hosts.append(*host);
    }
    if (hosts.isEmpty()) {
        *error = QStringLiteral("No host is given; give one or more host[:port]");
        return std::nullopt;
    }
    return hosts;
}

std::optional<QList<SshFile>> parseSshFiles(const QString& text, QString* error) {
    static const QRegularExpression blanks(QStringLiteral("\\s+"));
    QList<SshFile> files;
    int lineNumber = 0;
    for (const QString& raw : text.split(u'\n')) {
        ++lineNumber;
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype gap = line.indexOf(blanks);
        const QString format = gap < 0 ? line : line.left(gap);
        const QString path = gap < 0 ? QString() : line.mid(gap).trimmed();
        QString problem;
        if (!exportFormats().contains(format))
            problem = QStringLiteral("'%1' is not an export format; use %2")
                          .arg(format, exportFormats().join(QStringLiteral(", ")));
        else if (path.isEmpty() || !QDir::isAbsolutePath(path) || path.endsWith(u'/'))
            problem = QStringLiteral("give the absolute path of a file after the format, such "
                                     "as '%1 /etc/nginx/tls/example.pem'")
                          .arg(format);
        else if (std::any_of(files.begin(), files.end(),
                             [&](const SshFile& f) { return f.path == path; }))
            problem = QStringLiteral("%1 is named twice").arg(path);
        if (!problem.isEmpty()) {
            *error = QStringLiteral("Line %1: %2").arg(lineNumber).arg(problem);
            return std::nullopt;
        }
        files.append({format, path});
    }
    if (files.isEmpty()) {
        *error = QStringLiteral("No file is given; give one per line, such as 'pemfullnokey "
                                "/etc/nginx/tls/fullchain.pem'");
        return std::nullopt;
    }
    return files;
}

bool isSshFingerprint(const QString& text) {
    static const QRegularExpression pattern(QStringLiteral("^SHA256:[A-Za-z0-9+/]{43}$"));
    return pattern.match(text).hasMatch();
}

std::optional<QStringList> parseSshFingerprints(const QString& text) {
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    const QStringList list = text.split(separators, Qt::SkipEmptyParts);
    for (const QString& f : list)
        if (!isSshFingerprint(f))
            return std::nullopt;
    return list;
}

bool isPlainAccountName(const QString& name) {
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9._-]*$"));
    return pattern.match(name).hasMatch();
}

void checkSshTaskRules(const DeploymentTask& task, const QString& prefix,
                       QList<FieldError>& errors) {
    auto add = [&](const char* key, const QString& detail) {
        errors.append({prefix + QLatin1String(key), detail});
    };
    QString problem;
    const QString hosts = text(task, "hosts");
    if (!hosts.isEmpty() &&
        !parseSshHosts(hosts, taskParameter(task, QStringLiteral("port")).toInt(), &problem))
        add("hosts", problem);
    const QString filesText = taskParameter(task, QStringLiteral("files")).toString();
    std::optional<QList<SshFile>> files;
    if (!filesText.trimmed().isEmpty() && !(files = parseSshFiles(filesText, &problem)))
        add("files", problem);
    const QString modeText = text(task, "mode");
    const auto mode = parseFileMode(modeText);
    const bool holdsKey = files && std::any_of(files->begin(), files->end(), [](const SshFile& f) {
                              return exportFormatHoldsKey(f.format);
                          });
    if (!modeText.isEmpty() && !mode)
        add("mode", QStringLiteral("'%1' is not a file mode; use octal digits such as 0640 or "
                                   "0644")
                        .arg(modeText));
    else if (mode && (*mode & 07) && holdsKey)
        add("mode", QStringLiteral("A file holding the private key must not be readable by "
                                   "others; use 0600 or 0640, or leave it empty"));
    for (const char* key : {"owner", "group"}) {
        const QString name = text(task, key);
        if (!name.isEmpty() && !isPlainAccountName(name))
            add(key, QStringLiteral("Give one user or group name (letters, digits, . _ -), or a "
                                    "number"));
    }
    const QString fingerprints = text(task, "hostKeyFingerprint");
    if (!fingerprints.isEmpty() && !parseSshFingerprints(fingerprints))
        add("hostKeyFingerprint",
            QStringLiteral("Give SHA256: fingerprints as ssh-keygen -l prints them "
                           "(SHA256: and 43 characters), separated by commas"));
}

} // namespace ck
