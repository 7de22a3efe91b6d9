#pragma once
// Keeping the service's own files out of reach of the paths users configure (export
// destinations, webroots): a task that writes "/var/lib/certkeeper/machine.key" would destroy
// the key that opens every stored credential. Checked when an item is saved, shown by Preview,
// and checked again just before the write, since a link can be created after the save.

#include <QString>

namespace ck {

// Whether `path`, with symbolic links followed, is `dir` or lies inside it. For parts of the
// path that do not exist yet, the deepest existing ancestor is resolved (a link there, even one
// pointing at nothing yet, is followed) and the rest appended. A relative path is taken from the
// current directory.
bool resolvesInto(const QString& path, const QString& dir);

// "<what> <path> is inside the service's data directory <dir> ..." when `path` resolves into
// `dataDir`; empty otherwise. `what` names the setting, such as "The export destination".
QString dataDirProblem(const QString& what, const QString& path, const QString& dataDir);

} // namespace ck
