#include "base/PathSafety.h"

#include <QDir>
#include <QFile>
#include <QStringList>

#include <climits>
#include <cstdlib>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace ck {

namespace {
// Links followed in one resolution before giving up (the kernel's own limit is 40).
constexpr int kMaxLinks = 40;

std::optional<QString> realPath(const QString& path) {
    char buffer[PATH_MAX];
    if (::realpath(QFile::encodeName(path).constData(), buffer) == nullptr)
        return std::nullopt;
    return QFile::decodeName(buffer);
}

// Parent and last part of an absolute path, split as text: QFileInfo would clean "a/link/.."
// to "a", which is not where the kernel goes when "link" is a symbolic link.
QString parentOf(const QString& path) {
    const qsizetype slash = path.lastIndexOf(u'/');
    return slash <= 0 ? QStringLiteral("/") : path.left(slash);
}

QString lastPartOf(const QString& path) {
    return path.mid(path.lastIndexOf(u'/') + 1);
}

// The target of `path` when it is a symbolic link (possibly to nothing), as an absolute path.
std::optional<QString> linkTarget(const QString& path) {
    struct stat info {};
    const QByteArray native = QFile::encodeName(path);
    if (::lstat(native.constData(), &info) != 0 || !S_ISLNK(info.st_mode))
        return std::nullopt;
    char buffer[PATH_MAX];
    const ssize_t n = ::readlink(native.constData(), buffer, sizeof buffer - 1);
    if (n < 0)
        return std::nullopt;
    const QString target = QFile::decodeName(QByteArray(buffer, n));
    return target.startsWith(u'/') ? target : parentOf(path) + u'/' + target;
}

// One pass: the deepest existing ancestor resolved by the kernel, the rest appended and cleaned
// as text (as mkpath would). Nothing when links loop.
std::optional<QString> resolveOnce(QString path) {
    QStringList rest; // the parts below the deepest existing ancestor, outermost first
    for (int links = 0; links <= kMaxLinks;) {
        while (path.size() > 1 && path.endsWith(u'/'))
            path.chop(1);
        if (const auto real = realPath(path)) {
            rest.prepend(*real);
            return QDir::cleanPath(rest.join(u'/'));
        }
        if (const auto target = linkTarget(path)) { // a link to something not there yet
            path = *target;
            ++links;
            continue;
        }
        if (path == QLatin1String("/"))
            return QDir::cleanPath(QStringLiteral("/") + rest.join(u'/'));
        rest.prepend(lastPartOf(path));
        path = parentOf(path);
    }
    return std::nullopt;
}

// Where writing `input` would end up. Cleaning ".." in parts that do not exist may lead back
// through a link ("missing/../link/x"), so passes repeat until the answer stays the same.
std::optional<QString> resolve(const QString& input) {
    QString path = input.startsWith(u'/') ? input : QDir::currentPath() + u'/' + input;
    for (int pass = 0; pass <= kMaxLinks; ++pass) {
        const auto next = resolveOnce(path);
        if (!next || *next == path)
            return next;
        path = *next;
    }
    return std::nullopt;
}
} // namespace

bool resolvesInto(const QString& path, const QString& dir) {
    const auto where = resolve(path);
    const auto inside = resolve(dir);
    if (!where || !inside)
        return true; // a loop of links: refuse rather than guess
    return *where == *inside || where->startsWith(*inside + u'/') || *inside == QLatin1String("/");
}

QString dataDirProblem(const QString& what, const QString& path, const QString& dataDir) {
    if (path.trimmed().isEmpty() || dataDir.isEmpty() || !resolvesInto(path.trimmed(), dataDir))
        return {};
    return QStringLiteral("%1 %2 is inside the service's data directory %3 (following symbolic "
                          "links); the service's own files (its keys, token and database) must "
                          "never be overwritten. Choose a path outside it.")
        .arg(what, path.trimmed(), QDir(dataDir).absolutePath());
}

} // namespace ck
