#include "challenges/LeftOverResponses.h"

#include "challenges/DnsRecordJournal.h"
#include "challenges/WebrootJournal.h"

#include "config/DataFile.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <functional>

namespace ck::challenges {

namespace {
LeftOverJournals select(const QString& dataDir,
                        const std::function<bool(const QString& itemId)>& wanted) {
    LeftOverJournals journals;
    for (const QString& file : DnsRecordJournal::leftOver(dataDir))
        if (wanted(journalItemId(file)))
            journals.dns << file;
    for (const QString& file : WebrootJournal::leftOver(dataDir))
        if (wanted(journalItemId(file)))
            journals.webroot << file;
    return journals;
}
} // namespace

QString newJournalFile(const QString& folder, QString* error) {
    if (!QDir().mkpath(folder)) {
        *error = QStringLiteral("cannot create %1").arg(folder);
        return {};
    }
    QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return folder + u'/' + QUuid::createUuid().toString(QUuid::WithoutBraces) +
           QStringLiteral(".json");
}

QStringList journalsIn(const QString& folder) {
    QStringList files;
    const QDir dir(folder);
    for (const QString& name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        files.append(dir.filePath(name));
    return files;
}

QString journalItemId(const QString& journalFile) {
    const DataFileRead read = readDataFile(journalFile);
    if (!read.ok())
        return {};
    return QJsonDocument::fromJson(read.bytes).object().value(QLatin1String("itemId")).toString();
}

LeftOverJournals leftOversExcept(const QString& dataDir, const QSet<QString>& continuing) {
    return select(dataDir, [&](const QString& itemId) {
        return itemId.isEmpty() || !continuing.contains(itemId);
    });
}

LeftOverJournals leftOversOf(const QString& dataDir, const QString& itemId) {
    return select(dataDir, [&](const QString& id) { return !itemId.isEmpty() && id == itemId; });
}

awaitable<void> removeLeftOversOf(QString dataDir, DnsProviderFactory providers,
                                  logging::ItemLog& log) {
    const LeftOverJournals left = leftOversOf(dataDir, log.itemId());
    removeLeftOverWebrootFiles(left.webroot, log);
    if (!left.dns.isEmpty()) {
        const QStringList journals = left.dns;
        co_await removeLeftOverDnsRecords(journals, std::move(providers), log);
    }
}

} // namespace ck::challenges
