#include "ssh/SftpFiles.h"

#include <QRandomGenerator>

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <fcntl.h>

namespace ck::ssh {

namespace {
constexpr qsizetype kWriteChunk = 32 * 1024;
constexpr int kReplyTimeoutMs = 30000;
constexpr std::uint8_t kFxpExtended = 200;
constexpr std::uint8_t kFxpStatus = 101;
const char* const kPosixRename = "posix-rename@openssh.com";

QString sftpCodeWords(int code) {
    switch (code) {
    case SSH_FX_NO_SUCH_FILE:
        return QStringLiteral("no such file or folder");
    case SSH_FX_PERMISSION_DENIED:
        return QStringLiteral("permission denied");
    case SSH_FX_FILE_ALREADY_EXISTS:
        return QStringLiteral("it already exists");
    default:
        return QStringLiteral("it failed (SFTP status %1)").arg(code);
    }
}

void appendU32(QByteArray& out, std::uint32_t v) {
    out.append(char(v >> 24)).append(char(v >> 16)).append(char(v >> 8)).append(char(v));
}

void appendString(QByteArray& out, const QByteArray& s) {
    appendU32(out, std::uint32_t(s.size()));
    out.append(s);
}

std::uint32_t readU32(const QByteArray& in, qsizetype at) {
    const auto b = [&](qsizetype i) { return std::uint32_t(std::uint8_t(in.at(at + i))); };
    return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

// Exactly `count` bytes from the channel, or false.
bool readExactly(ssh_channel channel, QByteArray& out, qsizetype count) {
    out.resize(count);
    qsizetype got = 0;
    while (got < count) {
        const int n = ssh_channel_read_timeout(channel, out.data() + got,
                                               std::uint32_t(count - got), 0, kReplyTimeoutMs);
        if (n <= 0)
            return false;
        got += n;
    }
    return true;
}

QString randomSuffix() {
    return QString::number(QRandomGenerator::system()->generate64(), 36);
}
} // namespace

QString remoteFolderOf(const QString& path) {
    const qsizetype slash = path.lastIndexOf(u'/');
    return slash <= 0 ? QStringLiteral("/") : path.left(slash);
}

SftpFiles::~SftpFiles() {
    if (m_sftp)
        sftp_free(m_sftp);
}

QString SftpFiles::sftpError(const QString& what, const QString& path) const {
    const int code = m_sftp ? sftp_get_error(m_sftp) : 0;
    if (code == SSH_FX_OK || code == SSH_FX_EOF)
        return QStringLiteral("%1 %2 failed: %3").arg(what, path, m_connection.lastError());
    return QStringLiteral("%1 %2 failed: %3").arg(what, path, sftpCodeWords(code));
}

bool SftpFiles::open(QString* error) {
    m_sftp = sftp_new(m_connection.session());
    if (!m_sftp || sftp_init(m_sftp) != SSH_OK) {
        *error = QStringLiteral("The host offers no SFTP (enable its sftp subsystem): %1")
                     .arg(m_connection.lastError());
        return false;
    }
    if (!sftp_extension_supported(m_sftp, kPosixRename, "1")) {
        *error = QStringLiteral("The host's SFTP server cannot replace a file in one step "
                                "(posix-rename@openssh.com), so files could be seen half "
                                "replaced; use OpenSSH's sftp-server or internal-sftp there");
        return false;
    }
    return true;
}

QString SftpFiles::targetProblem(const QString& path) {
    const QString folder = remoteFolderOf(path);
    sftp_attributes attributes = sftp_stat(m_sftp, folder.toUtf8().constData());
    if (!attributes)
        return sftp_get_error(m_sftp) == SSH_FX_NO_SUCH_FILE
                   ? QStringLiteral("The folder %1 does not exist there; create it or choose "
                                    "another path")
                         .arg(folder)
                   : sftpError(QStringLiteral("Looking at the folder"), folder);
    const bool isFolder = attributes->type == SSH_FILEXFER_TYPE_DIRECTORY;
    sftp_attributes_free(attributes);
    if (!isFolder)
        return QStringLiteral("%1 is not a folder").arg(folder);
    attributes = sftp_lstat(m_sftp, path.toUtf8().constData());
    if (!attributes)
        return {};
    const bool targetIsFolder = attributes->type == SSH_FILEXFER_TYPE_DIRECTORY;
    sftp_attributes_free(attributes);
    return targetIsFolder
               ? QStringLiteral("%1 is a folder; give the path of a file in it").arg(path)
               : QString();
}

bool SftpFiles::setOwner(const QString& path, int uid, int gid, QString* error) {
    if (uid < 0 && gid < 0)
        return true;
    const QByteArray name = path.toUtf8();
    if (uid < 0 || gid < 0) { // SFTP sets both: keep the one not asked for
        sftp_attributes current = sftp_stat(m_sftp, name.constData());
        if (!current) {
            *error = sftpError(QStringLiteral("Reading the owner of"), path);
            return false;
        }
        uid = uid < 0 ? int(current->uid) : uid;
        gid = gid < 0 ? int(current->gid) : gid;
        sftp_attributes_free(current);
    }
    if (sftp_chown(m_sftp, name.constData(), uid_t(uid), gid_t(gid)) != SSH_OK) {
        *error = sftpError(QStringLiteral("Giving to %1:%2").arg(uid).arg(gid), path) +
                 QStringLiteral("; only root may give a file to another user");
        return false;
    }
    return true;
}

std::optional<QString> SftpFiles::stage(const QString& path, const QByteArray& bytes, int mode,
                                        int uid, int gid, QString* error) {
    const qsizetype slash = path.lastIndexOf(u'/');
    const QString temporary = QStringLiteral("%1/.%2.certkeeper-%3")
                                  .arg(remoteFolderOf(path), path.mid(slash + 1), randomSuffix());
    const QByteArray name = temporary.toUtf8();
    // 0600 until it is complete; its mode comes last (after a chown, which may clear bits).
    sftp_file file = sftp_open(m_sftp, name.constData(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (!file) {
        *error = sftpError(QStringLiteral("Creating"), temporary);
        return std::nullopt;
    }
    bool ok = true;
    for (qsizetype at = 0; ok && at < bytes.size(); at += kWriteChunk) {
        const qsizetype n = std::min(kWriteChunk, bytes.size() - at);
        ok = sftp_write(file, bytes.constData() + at, size_t(n)) == ssize_t(n);
    }
    if (ok && sftp_extension_supported(m_sftp, "fsync@openssh.com", "1"))
        ok = sftp_fsync(file) == SSH_OK;
    if (!ok)
        *error = sftpError(QStringLiteral("Writing"), temporary);
    ok = sftp_close(file) == SSH_OK && ok;
    if (ok && !setOwner(temporary, uid, gid, error))
        ok = false;
    if (ok && sftp_chmod(m_sftp, name.constData(), mode_t(mode)) != SSH_OK) {
        *error = sftpError(QStringLiteral("Setting the mode of"), temporary);
        ok = false;
    }
    if (!ok) {
        if (error->isEmpty())
            *error = sftpError(QStringLiteral("Closing"), temporary);
        remove(temporary);
        return std::nullopt;
    }
    return temporary;
}

// libssh 0.10's sftp_rename sends SSH_FXP_RENAME, which an SFTP version 3 server (OpenSSH) refuses
// when the target exists; it has no call for OpenSSH's posix-rename@openssh.com. So the request is
// written on the SFTP channel here and its status read back. libssh's SFTP calls are synchronous:
// between two of them nothing else is in flight on the channel, and the id comes from the
// session's own counter, so it cannot be mistaken for another request's.
bool SftpFiles::replace(const QString& temporary, const QString& path, QString* error) {
    const std::uint32_t id = ++m_sftp->id_counter;
    QByteArray body;
    body.append(char(kFxpExtended));
    appendU32(body, id);
    appendString(body, kPosixRename);
    appendString(body, temporary.toUtf8());
    appendString(body, path.toUtf8());
    QByteArray packet;
    appendU32(packet, std::uint32_t(body.size()));
    packet.append(body);
    const auto failed = [&](const QString& why) {
        *error = QStringLiteral("Renaming %1 over %2 failed: %3").arg(temporary, path, why);
        return false;
    };
    if (ssh_channel_write(m_sftp->channel, packet.constData(), std::uint32_t(packet.size())) !=
        int(packet.size()))
        return failed(m_connection.lastError());
    QByteArray header, reply;
    if (!readExactly(m_sftp->channel, header, 4))
        return failed(QStringLiteral("no answer from the host"));
    const std::uint32_t length = readU32(header, 0);
    if (length < 9 || length > 64 * 1024 || !readExactly(m_sftp->channel, reply, length))
        return failed(QStringLiteral("a malformed answer"));
    if (std::uint8_t(reply.at(0)) != kFxpStatus || readU32(reply, 1) != id)
        return failed(QStringLiteral("an unexpected answer"));
    const int status = int(readU32(reply, 5));
    if (status != SSH_FX_OK)
        return failed(sftpCodeWords(status));
    return true;
}

void SftpFiles::remove(const QString& path) {
    sftp_unlink(m_sftp, path.toUtf8().constData());
}

bool SftpFiles::probeWritable(const QString& folder, QString* error) {
    const QString probe = QStringLiteral("%1/.certkeeper-probe-%2").arg(folder, randomSuffix());
    sftp_file file =
        sftp_open(m_sftp, probe.toUtf8().constData(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (!file) {
        *error = sftpError(QStringLiteral("Creating a file in"), folder);
        return false;
    }
    sftp_close(file);
    remove(probe);
    return true;
}

} // namespace ck::ssh
