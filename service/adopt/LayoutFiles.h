#pragma once
// Small readers shared by the layouts: a bounded file read that says why it failed, and the
// key = value files certbot and acme.sh keep.

#include <QByteArray>
#include <QMap>
#include <QString>

namespace ck::adopt {

// The file's bytes (links followed: certbot's live/ files are links), or empty with *problem
// naming the path and the reason (missing, unreadable, not a regular file, too large); a
// problem already in *problem is kept, so a lineage reports its first.
QByteArray readLayoutFile(const QString& path, QString* problem);

// "key = value" lines (certbot's renewal/*.conf, ConfigObj) or "key='value'" (acme.sh): the
// values by key, quotes taken off. `section` keeps only the keys of that "[section]" (empty: the
// keys before any section); "[[sub]]" sections are read as "sub.key".
QMap<QString, QString> readKeyValues(const QByteArray& text, const QString& section = {});

// The absolute form of a path the tool wrote relative to `base`.
QString absoluteIn(const QString& base, const QString& path);

} // namespace ck::adopt
