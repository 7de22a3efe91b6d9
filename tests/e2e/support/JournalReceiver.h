#pragma once
// A stand-in for systemd-journald's native socket, and a way to make the real service write to
// it: the service is started in a private mount namespace (unshare, as root) where
// /run/systemd/journal is this receiver's folder, so libsystemd's datagrams land here however
// the machine's own journal is set up, and nothing reaches the machine's journal.
//
// The datagrams are parsed as journald parses them (the native protocol: "FIELD=value" lines,
// and a value holding a newline as the field name, a newline, its length as 64-bit little
// endian, the bytes and a newline).

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QTemporaryDir>

#include <functional>

namespace ck::test {

using JournalEntry = QMap<QByteArray, QByteArray>;

// One datagram of the native protocol; `ok` false when it is malformed.
JournalEntry parseJournalDatagram(const QByteArray& datagram, bool* ok = nullptr);

class JournalReceiver {
public:
    JournalReceiver(); // binds <folder>/socket; see error()
    ~JournalReceiver();
    JournalReceiver(const JournalReceiver&) = delete;
    JournalReceiver& operator=(const JournalReceiver&) = delete;

    QString error() const { return m_error; } // empty when the socket is bound
    QString folder() const { return m_dir.path(); }

    // Every entry received so far, in order (reads what is waiting first). A datagram that is not
    // the native protocol fails the test.
    QList<JournalEntry> entries();
    // The entries once `done` holds for them, or after `timeoutMs` (then whatever came).
    QList<JournalEntry> waitFor(const std::function<bool(const QList<JournalEntry>&)>& done,
                                int timeoutMs = 15000);

private:
    QTemporaryDir m_dir;
    int m_fd = -1;
    QString m_error;
    QList<JournalEntry> m_entries;
};

// Entries of one item (CERTKEEPER_ITEM_ID) at one priority ("3": err, "5": notice).
QList<JournalEntry> entriesOf(const QList<JournalEntry>& all, const QString& itemId,
                              const QByteArray& priority);

// Writes an executable script at `path` that runs `program` with the script's arguments in a
// private mount namespace whose /run/systemd/journal is `journalFolder`, or does not exist when
// `journalFolder` is empty (a machine without a journal). For ServiceProcess::useBinary: the
// service keeps the script's process id (every step execs), so signals reach it.
// Hidden: the machine's own sendmail (a mail server's package installs one) is hidden from the
// program, for the tests of a machine without one.
enum class SystemSendmail { Visible, Hidden };
bool writeJournalNamespaceWrapper(const QString& path, const QString& journalFolder,
                                  const QString& program,
                                  SystemSendmail systemSendmail = SystemSendmail::Visible);

// Why this machine cannot run a program that way (not root, no unshare, mounts refused), or
// empty when it can: tried once with a real wrapper.
QString journalNamespaceUnavailable();

} // namespace ck::test
