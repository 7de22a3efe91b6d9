#include "PowerDnsProcess.h"

#include "DnsWire.h"
#include "PeerStart.h"

#include <QFile>
#include <QRandomGenerator>

namespace ck::test {
namespace {

QString absolute(const QString& name) {
    return name.endsWith(u'.') ? name.toLower() : name.toLower() + u'.';
}

// gsqlite3 keeps names without the trailing dot.
QString bare(const QString& name) {
    return name.endsWith(u'.') ? name.chopped(1).toLower() : name.toLower();
}

QString schemaFile() {
    for (const char* path : {"/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql",
                             "/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql"})
        if (QFile::exists(QLatin1String(path)))
            return QLatin1String(path);
    return {};
}

QString sqlText(const QString& text) {
    return u'\'' + QString(text).replace(u'\'', QStringLiteral("''")) + u'\'';
}

bool writeFile(const QString& path, const QByteArray& text) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

} // namespace

PowerDnsProcess::PowerDnsProcess(QStringList zones, QString workDir)
    : m_workDir(std::move(workDir)) {
    for (const auto& z : zones)
        m_zones.append(absolute(z));
    if (m_zones.isEmpty())
        m_zones.append(QStringLiteral("example.test."));
    if (m_workDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_workDir = m_tempDir->path();
    }
    m_apiKey = QString::number(QRandomGenerator::system()->generate64(), 36) +
               QString::number(QRandomGenerator::system()->generate64(), 36);
    m_instance = QString::number(QRandomGenerator::global()->generate64(), 16);
}

PowerDnsProcess::~PowerDnsProcess() {
    stop();
}

QString PowerDnsProcess::dnsServer() const {
    return QStringLiteral("%1:%2").arg(address()).arg(m_dnsPort);
}

QString PowerDnsProcess::apiUrl() const {
    return QStringLiteral("http://%1:%2").arg(address()).arg(m_apiPort);
}

bool PowerDnsProcess::writeFiles() {
    const QString db = m_workDir + QStringLiteral("/pdns.sqlite3");
    QFile::remove(db);
    QFile schema(schemaFile());
    if (!schema.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("no gsqlite3 schema: install pdns-backend-sqlite3");
        return false;
    }
    QString sql = QString::fromUtf8(schema.readAll()) + QStringLiteral("\nBEGIN;\n");
    int id = 0;
    for (const QString& zone : m_zones) {
        ++id;
        const QString z = bare(zone);
        sql += QStringLiteral("INSERT INTO domains (id, name, type) VALUES (%1, %2, 'NATIVE');\n")
                   .arg(id)
                   .arg(sqlText(z));
        const QList<QStringList> records{
            {z, QStringLiteral("SOA"),
             QStringLiteral("ns.%1 hostmaster.%1 1 3600 600 86400 60").arg(z)},
            {z, QStringLiteral("NS"), QStringLiteral("ns.") + z},
            {z, QStringLiteral("A"), QStringLiteral("127.0.0.1")},
            {QStringLiteral("ns.") + z, QStringLiteral("A"), QStringLiteral("127.0.0.1")},
            {QStringLiteral("*.") + z, QStringLiteral("A"), QStringLiteral("127.0.0.1")},
            {QStringLiteral("_certkeeper-instance.") + z, QStringLiteral("TXT"),
             u'"' + m_instance + u'"'}};
        for (const auto& r : records)
            sql += QStringLiteral("INSERT INTO records (domain_id, name, type, content, ttl, "
                                  "prio, disabled, auth) VALUES (%1, %2, %3, %4, 60, 0, 0, 1);\n")
                       .arg(id)
                       .arg(sqlText(r[0]), sqlText(r[1]), sqlText(r[2]));
    }
    sql += QStringLiteral("COMMIT;\n");
    const ToolResult made = runTool(QStringLiteral("sqlite3"), {db}, sql.toUtf8(), 20000);
    if (!made.ok()) {
        m_error = QStringLiteral("sqlite3 could not make the database: ") + made.describe();
        return false;
    }
    // Caches off: a test reads over DNS what it just wrote through the API. No security poll
    // (a DNS query to the internet), no guardian, no daemon, sockets in the work dir.
    const QString conf = QStringLiteral("launch=gsqlite3\n"
                                        "gsqlite3-database=%1\n"
                                        "local-address=127.0.0.1\n"
                                        "local-port=%2\n"
                                        "api=yes\n"
                                        "api-key=%3\n"
                                        "webserver=yes\n"
                                        "webserver-address=127.0.0.1\n"
                                        "webserver-port=%4\n"
                                        "webserver-allow-from=127.0.0.0/8\n"
                                        "socket-dir=%5\n"
                                        "guardian=no\n"
                                        "daemon=no\n"
                                        "disable-syslog=yes\n"
                                        "log-timestamp=no\n"
                                        "loglevel=4\n"
                                        "security-poll-suffix=\n"
                                        "cache-ttl=0\n"
                                        "negquery-cache-ttl=0\n"
                                        "query-cache-ttl=0\n"
                                        "zone-cache-refresh-interval=0\n"
                                        "receiver-threads=1\n"
                                        "distributor-threads=1\n"
                                        "primary=no\n"
                                        "secondary=no\n")
                             .arg(db)
                             .arg(m_dnsPort)
                             .arg(m_apiKey)
                             .arg(m_apiPort)
                             .arg(m_workDir);
    if (!writeFile(m_workDir + QStringLiteral("/pdns.conf"), conf.toUtf8())) {
        m_error = QStringLiteral("cannot write pdns.conf in ") + m_workDir;
        return false;
    }
    return true;
}

bool PowerDnsProcess::answersForZone() const {
    const auto answer = dns::query(address(), m_dnsPort, zone(), dns::SOA, 500);
    if (!answer || answer->rcode() != dns::NoError || !answer->authoritative() ||
        answer->answers.isEmpty() || answer->answers[0].type != dns::SOA)
        return false;
    return txtRecords(QStringLiteral("_certkeeper-instance.") + zone()) == QStringList{m_instance};
}

bool PowerDnsProcess::start(int timeoutMs) {
    stop();
    m_error.clear();
    PeerLaunch launch;
    launch.name = QStringLiteral("pdns_server");
    launch.program =
        findProgram(QStringLiteral("pdns_server"), QStringLiteral("/usr/sbin/pdns_server"));
    launch.logFile = m_workDir + QStringLiteral("/pdns.log");
    launch.workDir = m_workDir;
    launch.portCount = 2;
    launch.udpToo = true;
    launch.configure = [this](const std::vector<int>& ports,
                              QString&) -> std::optional<QStringList> {
        m_dnsPort = ports[0];
        m_apiPort = ports[1];
        if (!writeFiles())
            return std::nullopt; // m_error says why
        return QStringList{QStringLiteral("--config-dir=") + m_workDir};
    };
    launch.ready = [this] {
        return holdsPort(pid(), m_dnsPort, true) && holdsPort(pid(), m_dnsPort) &&
               holdsPort(pid(), m_apiPort) && answersForZone();
    };
    launch.awaited = QStringLiteral("answer for ") + zone();
    launch.portTakenSigns = {QStringLiteral("in use")};
    QString error;
    if (startOnFreePorts(m_process, launch, timeoutMs, error))
        return true;
    if (m_error.isEmpty())
        m_error = error;
    return false;
}

void PowerDnsProcess::stop() {
    m_process.stop();
}

QStringList PowerDnsProcess::txtRecords(const QString& name) const {
    const QString fqdn = absolute(name);
    const auto answer = dns::query(address(), m_dnsPort, fqdn, dns::TXT, 2000);
    QStringList values;
    if (!answer)
        return values;
    for (const dns::Record& record : answer->answers)
        if (record.type == dns::TXT && record.name == fqdn)
            values << dns::txtValue(record.rdata);
    return values;
}

QStringList PowerDnsProcess::storedTxt(const QString& prefix) const {
    const QString sql =
        QStringLiteral("SELECT name || ' ' || content FROM records WHERE type = 'TXT' AND name "
                       "LIKE %1 ORDER BY name, content;")
            .arg(sqlText(prefix + u'%'));
    const ToolResult r = runTool(QStringLiteral("sqlite3"),
                                 {m_workDir + QStringLiteral("/pdns.sqlite3"), sql}, {}, 10000);
    if (!r.ok())
        return {QStringLiteral("(sqlite3 failed: %1)").arg(r.describe())};
    return QString::fromUtf8(r.stdOut).split(u'\n', Qt::SkipEmptyParts);
}

} // namespace ck::test
