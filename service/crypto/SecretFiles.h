#pragma once

// Writing key material to disk so that it is never readable by others, never half-written and
// survives a power cut. The work is done by DataFile's writeFileAtomic (a temporary created with
// O_EXCL|O_NOFOLLOW beside the target, fsynced, renamed over it, the directory fsynced).

#include <QByteArray>
#include <QString>

namespace ck::crypto {

// Mode and ownership a written file gets before it is renamed into place, so that it never
// appears with other permissions. -1: the writer's own uid/gid.
struct FileAttributes {
    int mode = 0600;
    int uid = -1;
    int gid = -1;
};

// Atomically writes (or replaces) `path` with `attributes`. On failure returns false, sets
// *error (when given) to a message naming the path and errno text, and leaves no temporary file
// behind. A symlink at `path` is replaced, not followed.
bool writeFileAtomically(const QString& path, const QByteArray& data,
                         const FileAttributes& attributes, QString* error);

// Atomically writes (or replaces) `path` with mode 0600. On failure returns false, sets
// *error (when given) to a message naming the path and errno text, and leaves no temporary
// file behind. A symlink at `path` is replaced, not followed.
bool writePrivateFile(const QString& path, const QByteArray& data, QString* error);

enum class CreateResult { Created, AlreadyExists, Failed };

// Like writePrivateFile but never replaces an existing file: the temporary is linked into place
// (link(2) fails with EEXIST atomically), so two processes racing to create the same key cannot
// both win. For files whose loss would be unrecoverable, such as machine.key.
CreateResult createPrivateFile(const QString& path, const QByteArray& data, QString* error);

} // namespace ck::crypto
