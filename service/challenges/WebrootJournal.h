#pragma once
// The http-01 files a request wrote into webroots and has not removed yet, kept on disk so that
// a service stopped in the middle of a request (a crash, a power cut, a kill) removes them at its
// next start, as the DNS record journal does for TXT records. One file per placement,
// <data dir>/webroot-files/<random>.json (folder 0700, file 0600), written before each file is
// created and rewritten as each one is removed; it is gone when nothing is left.

#include "logging/ItemLog.h"
#include "logging/Logger.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ck::challenges {

// One challenge file, and the folders created for it (empty: they were there before).
struct WebrootFile {
    QString path;
    QString createdDir;       // .../.well-known/acme-challenge
    QString createdWellKnown; // .../.well-known
};

class WebrootJournal {
public:
    // No file until add(). `itemId`: whose request placed the files.
    WebrootJournal(const QString& dataDir, const QString& itemId);
    WebrootJournal(const WebrootJournal&) = delete;
    WebrootJournal& operator=(const WebrootJournal&) = delete;

    // Before the file is written. Returns why it could not be noted (empty: noted).
    QString add(const WebrootFile& file);
    // After the file was removed; the journal goes with the last one.
    void remove(const QString& path);

    static QString folder(const QString& dataDir);
    // The journals left in the data directory.
    static QStringList leftOver(const QString& dataDir);

private:
    QString m_folder;
    QString m_itemId;
    QString m_file;
    QList<WebrootFile> m_files;
};

// Removes the challenge file itself and the folders created for it (when empty).
void removeWebrootFile(const WebrootFile& file);

// Removes every file the journals list, then the journals. Only a regular file under
// .well-known/acme-challenge/ with a token's name is removed: a journal edited by hand cannot
// make the service delete anything else. At start (the service log), and when the request that
// continued an item's order ends (its log).
void removeLeftOverWebrootFiles(const QStringList& journals, logging::Logger& log);
void removeLeftOverWebrootFiles(const QStringList& journals, logging::ItemLog& log);

} // namespace ck::challenges
