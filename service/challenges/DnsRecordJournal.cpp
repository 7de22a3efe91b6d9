#include "challenges/DnsRecordJournal.h"

#include "base/Clock.h"
#include "challenges/LeftOverResponses.h"
#include "crypto/SecretFiles.h"
#include "logging/Logger.h"

#include "config/DataFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QUuid>

namespace ck::challenges {

namespace {
constexpr qint64 kGiveUpAfterSeconds = 7 * 24 * 3600;

// The records placed by the requests running in this process, "name value".
QSet<QString>& placedNow() {
    static QSet<QString> records;
    return records;
}

QString keyOf(const challenges::DnsTxtRecord& r) {
    return r.name.toLower() + u' ' + r.value;
}

bool same(const challenges::DnsTxtRecord& a, const challenges::DnsTxtRecord& b) {
    return a.name == b.name && a.value == b.value;
}

QByteArray encode(const QString& itemId, const QList<JournaledRecord>& records) {
    QJsonArray list;
    for (const auto& r : records)
        list.append(QJsonObject{{"config", toJson(r.config)},
                                {"name", r.record.name},
                                {"value", r.record.value},
                                {"domain", r.record.domain}});
    return QJsonDocument(QJsonObject{{"itemId", itemId}, {"records", list}}).toJson();
}

ChallengeConfig configFrom(const QJsonObject& o) {
    ChallengeConfig c;
    c.type = o.value("type").toString();
    c.domainMatch = o.value("domainMatch").toString();
    c.provider = o.value("provider").toString();
    c.credentialId = o.value("credentialId").toString();
    c.webrootPath = o.value("webrootPath").toString();
    c.parameters = o.value("parameters").toObject();
    return c;
}
} // namespace

DnsRecordJournal::DnsRecordJournal(const QString& dataDir, const QString& itemId)
    : m_folder(folder(dataDir)), m_itemId(itemId) {}

DnsRecordJournal::~DnsRecordJournal() {
    for (const auto& r : m_records)
        placedNow().remove(keyOf(r.record));
}

bool DnsRecordJournal::inUse(const challenges::DnsTxtRecord& record) {
    return placedNow().contains(keyOf(record));
}

QString DnsRecordJournal::folder(const QString& dataDir) {
    return dataDir + QStringLiteral("/dns-records");
}

QString DnsRecordJournal::add(const ChallengeConfig& config,
                              const challenges::DnsTxtRecord& record) {
    if (m_file.isEmpty()) {
        QString cannot;
        m_file = newJournalFile(m_folder, &cannot);
        if (m_file.isEmpty())
            return cannot;
    }
    m_records.append({config, record});
    placedNow().insert(keyOf(record));
    QString error;
    crypto::writePrivateFile(m_file, encode(m_itemId, m_records), &error);
    return error;
}

void DnsRecordJournal::remove(const challenges::DnsTxtRecord& record) {
    m_records.removeIf([&](const JournaledRecord& r) { return same(r.record, record); });
    placedNow().remove(keyOf(record));
    write();
}

void DnsRecordJournal::write() {
    if (m_file.isEmpty())
        return;
    if (m_records.isEmpty()) {
        QFile::remove(m_file);
        return;
    }
    crypto::writePrivateFile(m_file, encode(m_itemId, m_records), nullptr);
}

QStringList DnsRecordJournal::leftOver(const QString& dataDir) {
    return journalsIn(folder(dataDir));
}

QList<JournaledRecord> DnsRecordJournal::read(const QString& file) {
    QList<JournaledRecord> records;
    const DataFileRead read = readDataFile(file);
    if (!read.ok())
        return records;
    for (const QJsonValue v : QJsonDocument::fromJson(read.bytes)["records"].toArray()) {
        JournaledRecord r;
        r.config = configFrom(v[QLatin1String("config")].toObject());
        r.record.name = v[QLatin1String("name")].toString();
        r.record.value = v[QLatin1String("value")].toString();
        r.record.domain = v[QLatin1String("domain")].toString();
        if (!r.record.name.isEmpty() && !r.record.value.isEmpty())
            records.append(r);
    }
    return records;
}

namespace {
// For the service log at start, and for an item's log when its continued request ends.
template <class Log>
awaitable<void> removeRecords(QStringList journals, DnsProviderFactory providers, Log& log) {
    for (const QString& file : journals) {
        const QDateTime written = QFileInfo(file).lastModified();
        const bool old =
            written.isValid() && written.secsTo(Clock::system().now()) > kGiveUpAfterSeconds;
        QList<JournaledRecord> kept;
        for (const JournaledRecord& r : DnsRecordJournal::read(file)) {
            if (DnsRecordJournal::inUse(r.record)) {
                log.info(QStringLiteral("The TXT record %1 left from an interrupted request is "
                                        "in use again by a running request, which removes it")
                             .arg(r.record.name));
                continue;
            }
            QString problem;
            bool givenUp = false;
            try {
                auto provider = providers(r.config);
                co_await provider->cleanup(r.record);
                log.info(QStringLiteral("Removed the TXT record %1 (value %2) for %3, left from "
                                        "a request the service stopped in the middle of")
                             .arg(r.record.name, r.record.value, r.record.domain));
            } catch (const InvalidInputError& e) {
                problem = e.message();
                givenUp = true; // its provider cannot be built: trying again will not help
            } catch (const DomainError& e) {
                problem = e.message();
                givenUp = old;
            }
            if (problem.isEmpty())
                continue;
            if (givenUp) {
                log.warning(QStringLiteral("The TXT record %1 (value %2) for %3 is left from a "
                                           "request the service stopped in the middle of and "
                                           "cannot be removed: %4; remove it by hand")
                                .arg(r.record.name, r.record.value, r.record.domain, problem));
            } else {
                log.warning(QStringLiteral("Could not yet remove the TXT record %1 (value %2), "
                                           "left from an interrupted request: %3; the service "
                                           "tries again at its next start")
                                .arg(r.record.name, r.record.value, problem));
                kept.append(r);
            }
        }
        if (kept.isEmpty()) {
            QFile::remove(file);
            continue;
        }
        // Rewritten only when it shrank, so that its age says how long its records have failed.
        if (kept.size() < DnsRecordJournal::read(file).size())
            crypto::writePrivateFile(file, encode(journalItemId(file), kept), nullptr);
    }
}
} // namespace

awaitable<void> removeLeftOverDnsRecords(QStringList journals, DnsProviderFactory providers,
                                         logging::Logger& log) {
    co_await removeRecords(std::move(journals), std::move(providers), log);
}

awaitable<void> removeLeftOverDnsRecords(QStringList journals, DnsProviderFactory providers,
                                         logging::ItemLog& log) {
    co_await removeRecords(std::move(journals), std::move(providers), log);
}

} // namespace ck::challenges
