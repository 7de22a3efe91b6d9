#pragma once
// A small tmpfs mounted on a new directory for as long as the object lives: a file system a test
// can fill to the last byte, as a full disk under a service's data directory. Mounting needs
// root (CAP_SYS_ADMIN), which the tests and CI have; without it error() says so, and the test
// fails with that message rather than skipping what it was meant to show.

#include <QString>

namespace ck::test {

class TmpfsMount {
public:
    explicit TmpfsMount(qint64 bytes);
    ~TmpfsMount(); // unmounts (lazily while something still holds a file there) and removes it
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;

    bool ok() const { return m_mounted; }
    QString error() const { return m_error; }
    QString path() const { return m_path; }

    // Bytes still free for an ordinary writer; -1 when unknown.
    qint64 freeBytes() const;
    // Writes `name` (relative to path()) until no more than `leaveFree` bytes are free: 0 means
    // until the file system refuses another byte. False with error() set on any other failure.
    bool fill(const QString& name, qint64 leaveFree = 0);

private:
    QString m_path;
    QString m_error;
    bool m_mounted = false;
};

} // namespace ck::test
