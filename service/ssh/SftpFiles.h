#pragma once
// Files on the far side of an SSH connection, over SFTP: each one written to a new temporary
// name in its own folder (mode and owner set, flushed), then renamed over the target with
// posix-rename@openssh.com, which replaces it in one step as rename(2) does. A reader there never
// sees half a file, and a failure before the rename leaves the old file as it was. Blocking.

#include "ssh/SshConnection.h"

#include <QByteArray>
#include <QString>

#include <optional>

struct sftp_session_struct;

namespace ck::ssh {

class SftpFiles {
public:
    explicit SftpFiles(SshConnection& connection) : m_connection(connection) {}
    ~SftpFiles();
    SftpFiles(const SftpFiles&) = delete;
    SftpFiles& operator=(const SftpFiles&) = delete;

    // Starts SFTP on the logged-in connection. False and *error when the host offers none, or
    // no atomic rename (posix-rename@openssh.com).
    bool open(QString* error);
    // What stops a file being written at `path`: its folder missing, not a folder, or the path
    // a folder. Empty when nothing does.
    QString targetProblem(const QString& path);
    // Writes `bytes` to a new temporary file beside `path` with `mode` (and uid/gid unless -1);
    // its name, or nothing and *error (the temporary removed again).
    std::optional<QString> stage(const QString& path, const QByteArray& bytes, int mode, int uid,
                                 int gid, QString* error);
    // Renames the temporary over `path` in one step.
    bool replace(const QString& temporary, const QString& path, QString* error);
    // Removes a file; quietly, for clean-up.
    void remove(const QString& path);
    // Creates and removes an empty file in `folder`: the user may write there. Nothing else is
    // touched.
    bool probeWritable(const QString& folder, QString* error);

private:
    QString sftpError(const QString& what, const QString& path) const;
    bool setOwner(const QString& path, int uid, int gid, QString* error);

    SshConnection& m_connection;
    sftp_session_struct* m_sftp = nullptr;
};

// The folder of a remote path ("/etc/nginx/tls/a.pem" -> "/etc/nginx/tls").
QString remoteFolderOf(const QString& path);

} // namespace ck::ssh
