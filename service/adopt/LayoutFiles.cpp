#include "adopt/LayoutFiles.h"

#include "config/DataFile.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

namespace ck::adopt {

QByteArray readLayoutFile(const QString& path, QString* problem) {
    const DataFileRead read = readDataFile(path);
    if (read.ok())
        return read.bytes;
    if (!problem->isEmpty())
        return {}; // the first problem is the one to tell
    *problem = read.missing ? QStringLiteral("%1 is missing").arg(path)
                            : QStringLiteral("%1 %2").arg(path, read.problem);
    return {};
}

namespace {
QString unquoted(QString value) {
    value = value.trimmed();
    if (value.size() >= 2 &&
        (value.front() == QLatin1Char('\'') || value.front() == QLatin1Char('"')) &&
        value.back() == value.front())
        return value.mid(1, value.size() - 2);
    return value;
}
} // namespace

QMap<QString, QString> readKeyValues(const QByteArray& text, const QString& section) {
    QMap<QString, QString> values;
    QString current;    // the [section]
    QString subsection; // the [[sub]] within it
    for (const QString& raw : QString::fromUtf8(text).split(QLatin1Char('\n'))) {
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(QLatin1String("[["))) {
            subsection = line.mid(2).chopped(2).trimmed();
            continue;
        }
        if (line.startsWith(QLatin1Char('['))) {
            current = line.mid(1).chopped(1).trimmed();
            subsection.clear();
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0 || current != section)
            continue;
        const QString key = line.left(eq).trimmed();
        const QString value = unquoted(line.mid(eq + 1));
        values.insert(subsection.isEmpty() ? key : subsection + QLatin1Char('.') + key, value);
    }
    return values;
}

QString absoluteIn(const QString& base, const QString& path) {
    return QDir::cleanPath(QFileInfo(path).isAbsolute() ? path : QDir(base).filePath(path));
}

} // namespace ck::adopt
