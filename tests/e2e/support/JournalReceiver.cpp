#include "JournalReceiver.h"

#include "ManagedProcess.h"

#include <catch2/catch.hpp>

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace ck::test {

JournalEntry parseJournalDatagram(const QByteArray& datagram, bool* ok) {
    JournalEntry entry;
    bool good = !datagram.isEmpty();
    qsizetype pos = 0;
    while (good && pos < datagram.size()) {
        const qsizetype end = datagram.indexOf('\n', pos);
        if (end < 0) {
            good = false;
            break;
        }
        const QByteArray line = datagram.mid(pos, end - pos);
        const qsizetype equals = line.indexOf('=');
        if (equals > 0) {
            entry.insert(line.left(equals), line.mid(equals + 1));
            pos = end + 1;
            continue;
        }
        // Binary form: NAME\n, 64-bit little-endian length, the value, \n.
        if (end + 9 > datagram.size()) {
            good = false;
            break;
        }
        quint64 length = 0;
        for (int i = 7; i >= 0; --i)
            length = (length << 8) | quint8(datagram[end + 1 + i]);
        const qsizetype start = end + 9;
        if (length >= quint64(datagram.size() - start) ||
            datagram.at(start + qsizetype(length)) != '\n') {
            good = false;
            break;
        }
        entry.insert(line, datagram.mid(start, qsizetype(length)));
        pos = start + qsizetype(length) + 1;
    }
    if (ok)
        *ok = good;
    return entry;
}

JournalReceiver::JournalReceiver() {
    const QByteArray path = m_dir.filePath(QStringLiteral("socket")).toLocal8Bit();
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (!m_dir.isValid() || size_t(path.size()) >= sizeof address.sun_path) {
        m_error = QStringLiteral("no folder for the journal socket");
        return;
    }
    std::memcpy(address.sun_path, path.constData(), size_t(path.size()));
    m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        m_error = QStringLiteral("cannot bind %1: %2")
                      .arg(QString::fromLocal8Bit(path), QString::fromLocal8Bit(strerror(errno)));
        return;
    }
    ::chmod(path.constData(), 0666); // as journald's: any user of the machine may write
}

JournalReceiver::~JournalReceiver() {
    if (m_fd >= 0)
        ::close(m_fd);
}

QList<JournalEntry> JournalReceiver::entries() {
    QByteArray buffer(256 * 1024, '\0');
    while (m_fd >= 0) {
        const ssize_t n = ::recv(m_fd, buffer.data(), size_t(buffer.size()), 0);
        if (n < 0)
            break; // EAGAIN: nothing more waiting
        bool ok = false;
        const QByteArray datagram = buffer.left(n);
        const JournalEntry entry = parseJournalDatagram(datagram, &ok);
        INFO("datagram: " << datagram.toPercentEncoding(" =_").toStdString());
        CHECK(ok);
        m_entries.append(entry);
    }
    return m_entries;
}

QList<JournalEntry>
JournalReceiver::waitFor(const std::function<bool(const QList<JournalEntry>&)>& done,
                         int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done(entries()) && !deadline.hasExpired())
        QThread::msleep(20);
    return entries();
}

QList<JournalEntry> entriesOf(const QList<JournalEntry>& all, const QString& itemId,
                              const QByteArray& priority) {
    QList<JournalEntry> found;
    for (const JournalEntry& e : all)
        if (e.value("CERTKEEPER_ITEM_ID") == itemId.toUtf8() && e.value("PRIORITY") == priority)
            found.append(e);
    return found;
}

bool writeJournalNamespaceWrapper(const QString& path, const QString& journalFolder,
                                  const QString& program, SystemSendmail systemSendmail) {
    if (journalFolder.contains(QLatin1Char('\'')) || program.contains(QLatin1Char('\'')))
        return false;
    // A tmpfs over /run/systemd (or over /run where that does not exist) hides the machine's
    // journal and creates nothing outside the namespace; then the test's folder is bound where
    // libsystemd looks. Exit 97 when a mount is refused, so that failure is told apart.
    const QString script =
        QStringLiteral(
            "#!/bin/sh\n"
            "# Runs the service with the test's stand-in for journald (JournalReceiver.h).\n"
            "exec unshare --mount --propagation private /bin/sh -c '\n"
            "  mount -t tmpfs -o mode=0755 tmpfs /run/systemd 2>/dev/null ||\n"
            "    mount -t tmpfs -o mode=0755 tmpfs /run || exit 97\n"
            "  if [ -n \"$1\" ]; then\n"
            "    mkdir -p /run/systemd/journal && mount --bind \"$1\" /run/systemd/journal || "
            "exit 97\n"
            "  fi\n"
            "  shift\n"
            "%3"
            "  exec \"$@\"' sh '%1' '%2' \"$@\"\n")
            .arg(journalFolder, program,
                 // /dev/null bound over it: no longer an executable, so the service finds none.
                 systemSendmail == SystemSendmail::Hidden
                     ? QStringLiteral("  for f in /usr/sbin/sendmail /usr/lib/sendmail; do\n"
                                      "    [ -e \"$f\" ] || continue\n"
                                      "    mount --bind /dev/null \"$f\" || exit 97\n"
                                      "  done\n")
                     : QString());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(script.toUtf8()) < 0)
        return false;
    file.close();
    return file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                               QFileDevice::ExeOwner);
}

QString journalNamespaceUnavailable() {
    static const QString why = [] {
        if (::geteuid() != 0)
            return QStringLiteral("the tests do not run as root (mounting needs it)");
        if (findProgram(QStringLiteral("unshare")).isEmpty())
            return QStringLiteral("unshare (util-linux) is not installed");
        JournalReceiver journal;
        if (!journal.error().isEmpty())
            return journal.error();
        QTemporaryDir dir;
        const QString wrapper = dir.filePath(QStringLiteral("probe.sh"));
        if (!writeJournalNamespaceWrapper(wrapper, journal.folder(), QStringLiteral("/bin/sh")))
            return QStringLiteral("cannot write a script in %1").arg(dir.path());
        const ToolResult probe = runTool(
            wrapper, {QStringLiteral("-c"), QStringLiteral("test -S /run/systemd/journal/socket")});
        return probe.ok() ? QString()
                          : QStringLiteral("a private mount namespace with the journal socket "
                                           "bound in it could not be made: %1")
                                .arg(probe.describe());
    }();
    return why;
}

} // namespace ck::test
