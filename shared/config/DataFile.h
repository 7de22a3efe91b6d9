#pragma once
// The one way the service and the app read and write their data files (serviceconfig.json,
// servers.json, settings.json, license.json, install.id, api.token, keys...).
//
// Writing never follows a symbolic link at the path: a link planted there would otherwise make
// the service write (and chmod) whatever it points at. The bytes go to a new temporary file in
// the same directory (O_CREAT|O_EXCL|O_NOFOLLOW, its mode set before anything is written), are
// fsynced, and the temporary is renamed over the path itself, which replaces a link instead of
// writing through it; then the directory is fsynced so the new name survives a power cut.
//
// Reading accepts only a regular file of bounded size (links to one are fine): a FIFO would
// block the reader for ever and /dev/zero would never end.

#include <QByteArray>
#include <QString>

namespace ck {

// The largest JSON or small data file read; real ones are a few KiB.
inline constexpr qint64 kMaxDataFileBytes = 1024 * 1024;

// Mode and ownership a written file has from its creation on. -1: the writer's own uid/gid.
struct FileAttributes {
    int mode = 0600;
    int uid = -1;
    int gid = -1;
};

// Atomically writes (or replaces) `path`. On failure returns false, sets *error (when given) to
// a sentence naming the path and the reason, leaves errno as the failing call set it (see
// isDiskFull) and leaves no temporary file behind.
bool writeFileAtomic(const QString& path, const QByteArray& bytes, const FileAttributes& attributes,
                     QString* error);
bool writeFileAtomic(const QString& path, const QByteArray& bytes, int mode, QString* error);

enum class CreateResult { Created, AlreadyExists, Failed };

// Whether errno `code` of a failed write says the disk is full (ENOSPC, EDQUOT for a user's
// quota): the caller then throws StorageFullError, which tells the user to free space, instead of
// reporting a fault of ours.
bool isDiskFull(int code);

// Like writeFileAtomic, but never replaces anything already at `path` (link(2) of the temporary
// fails with EEXIST atomically): for files whose loss would be unrecoverable, such as keys.
CreateResult createFileExclusive(const QString& path, const QByteArray& bytes, int mode,
                                 QString* error);

struct DataFileRead {
    QByteArray bytes;
    bool missing = false; // nothing at the path (or a link to nothing)
    QString problem;      // why it was not read: "is a FIFO, not a regular file"; empty when read
    bool ok() const { return problem.isEmpty(); }
};

// Reads `path` when it is a regular file (following links) of at most `maxBytes`; otherwise
// `problem` says what it is instead, in words that follow the file's name.
DataFileRead readDataFile(const QString& path, qint64 maxBytes = kMaxDataFileBytes);

// Empty when nothing is at `path` or it is (through links) a regular file; otherwise what it is,
// in words that follow the file's name ("is a FIFO (named pipe), not a regular file", "is a
// symbolic link to X, which does not exist").
QString irregularFileProblem(const QString& path);

} // namespace ck
