#include "challenges/WebrootJournal.h"

#include "challenges/LeftOverResponses.h"

#include "crypto/SecretFiles.h"

#include "config/DataFile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUuid>

#include <algorithm>

#include <sys/stat.h>

namespace ck::challenges {

namespace {
QByteArray encode(const QString& itemId, const QList<WebrootFile>& files) {
    QJsonArray list;
    for (const auto& f : files)
        list.append(QJsonObject{{"path", f.path},
                                {"createdDir", f.createdDir},
                                {"createdWellKnown", f.createdWellKnown}});
    return QJsonDocument(QJsonObject{{"itemId", itemId}, {"files", list}}).toJson();
}

QList<WebrootFile> decode(const QByteArray& bytes) {
    QList<WebrootFile> files;
    for (const auto& v : QJsonDocument::fromJson(bytes).object().value("files").toArray()) {
        const QJsonObject o = v.toObject();
        files.append({o.value("path").toString(), o.value("createdDir").toString(),
                      o.value("createdWellKnown").toString()});
    }
    return files;
}

// A challenge file as placeWebroot writes it: <root>/.well-known/acme-challenge/<token>, and
// its folders exactly the ones above it.
bool isChallengeFile(const WebrootFile& f) {
    static const QRegularExpression shape(
        QStringLiteral("^/.*/\\.well-known/acme-challenge/[A-Za-z0-9_-]+$"));
    if (!shape.match(f.path).hasMatch() || f.path.contains(QLatin1String("/../")))
        return false;
    const QString dir = f.path.section(u'/', 0, -2);
    const QString wellKnown = dir.section(u'/', 0, -2);
    return (f.createdDir.isEmpty() || f.createdDir == dir) &&
           (f.createdWellKnown.isEmpty() || f.createdWellKnown == wellKnown);
}

bool isRegularFile(const QString& path) {
    struct stat st {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISREG(st.st_mode);
}
} // namespace

WebrootJournal::WebrootJournal(const QString& dataDir, const QString& itemId)
    : m_folder(folder(dataDir)), m_itemId(itemId) {}

QString WebrootJournal::folder(const QString& dataDir) {
    return dataDir + QStringLiteral("/webroot-files");
}

QString WebrootJournal::add(const WebrootFile& file) {
    if (m_file.isEmpty()) {
        QString cannot;
        m_file = newJournalFile(m_folder, &cannot);
        if (m_file.isEmpty())
            return cannot;
    }
    m_files.append(file);
    QString error;
    crypto::writePrivateFile(m_file, encode(m_itemId, m_files), &error);
    return error;
}

void WebrootJournal::remove(const QString& path) {
    m_files.removeIf([&](const WebrootFile& f) { return f.path == path; });
    if (m_file.isEmpty())
        return;
    if (m_files.isEmpty())
        QFile::remove(m_file);
    else
        crypto::writePrivateFile(m_file, encode(m_itemId, m_files), nullptr);
}

void removeWebrootFile(const WebrootFile& file) {
    QFile::remove(file.path);
    if (!file.createdDir.isEmpty()) // leave the folders as they were found; rmdir only if empty
        QDir().rmdir(file.createdDir);
    if (!file.createdWellKnown.isEmpty())
        QDir().rmdir(file.createdWellKnown);
}

QStringList WebrootJournal::leftOver(const QString& dataDir) {
    return journalsIn(folder(dataDir));
}

namespace {
template <class Log> void removeFiles(const QStringList& journals, Log& log) {
    for (const QString& journal : journals) {
        const DataFileRead read = readDataFile(journal);
        QList<WebrootFile> files = decode(read.bytes);
        std::reverse(files.begin(), files.end()); // the last placed first: folders empty last
        for (const WebrootFile& f : files) {
            if (!isChallengeFile(f)) {
                log.warning(QStringLiteral("The webroot journal %1 names %2, which is not an "
                                           "http-01 challenge file: left as it is")
                                .arg(journal, f.path));
                continue;
            }
            // Gone already (a continued request placed and removed it again), or replaced by
            // something that is not ours: only the folders made for it go, when empty.
            if (!isRegularFile(f.path)) {
                removeWebrootFile({QString(), f.createdDir, f.createdWellKnown});
                continue;
            }
            removeWebrootFile(f);
            log.info(QStringLiteral("Removed the http-01 file %1, left from a request the "
                                    "service stopped in the middle of")
                         .arg(f.path));
        }
        QFile::remove(journal);
    }
}
} // namespace

void removeLeftOverWebrootFiles(const QStringList& journals, logging::Logger& log) {
    removeFiles(journals, log);
}

void removeLeftOverWebrootFiles(const QStringList& journals, logging::ItemLog& log) {
    removeFiles(journals, log);
}

} // namespace ck::challenges
