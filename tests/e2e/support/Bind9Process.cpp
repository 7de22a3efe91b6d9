#include "Bind9Process.h"

#include "DnsWire.h"
#include "PeerStart.h"

#include <QFile>
#include <QRandomGenerator>

#include <array>

namespace ck::test {
namespace {

QString absolute(const QString& name) {
    return name.endsWith(u'.') ? name.toLower() : name.toLower() + u'.';
}

bool writeFile(const QString& path, const QString& text) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(text.toUtf8()) == text.toUtf8().size();
}

} // namespace

Bind9Process::Bind9Process(Options options, QString workDir)
    : m_options(std::move(options)), m_zone(absolute(m_options.zone)),
      m_workDir(std::move(workDir)) {
    if (m_workDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_workDir = m_tempDir->path();
    }
    std::array<quint32, 8> secret{}; // 256 bits, the HMAC-SHA256 block-size sweet spot
    QRandomGenerator::system()->fillRange(secret.data(), secret.size());
    m_secret = QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(secret.data()), sizeof(secret)).toBase64());
    m_instance = QString::number(QRandomGenerator::global()->generate64(), 16);
}

Bind9Process::~Bind9Process() {
    stop();
}

QString Bind9Process::dnsServer() const {
    return QStringLiteral("%1:%2").arg(address()).arg(m_port);
}

// Everything named writes (pid, session key, journal, managed keys) stays in m_workDir.
bool Bind9Process::writeFiles() {
    const QString conf =
        QStringLiteral(R"(options {
    directory "%1";
    pid-file "%1/named.pid";
    session-keyfile "%1/session.key";
    listen-on port %2 { 127.0.0.1; };
    listen-on-v6 { none; };
    %7
    // Else a second named binds the same port with SO_REUSEPORT and they share the queries.
    reuseport no;
    dnssec-validation no;
    notify no; // would go to port 53 of the NS address, i.e. to whatever else runs there
};
controls { };
key "%3" { algorithm %4; secret "%5"; };
zone "%6" {
    type primary;
    file "%1/zone.db";
    allow-update { key "%3"; };
};
%8)")
            .arg(m_workDir)
            .arg(m_port)
            .arg(keyName(), algorithm(), m_secret, m_zone,
                 m_options.resolver ? QStringLiteral("recursion yes; allow-recursion { "
                                                     "127.0.0.1; };")
                                    : QStringLiteral("recursion no;"),
                 moreZonesConf());
    const QString zone = QStringLiteral(R"($ORIGIN %1
$TTL 60
@ IN SOA ns.%1 hostmaster.%1 1 3600 600 86400 60
@ IN NS ns.%1
@ IN A 127.0.0.1
ns IN A 127.0.0.1
* IN A 127.0.0.1
_certkeeper-instance IN TXT "%2"
%3
)")
                             .arg(m_zone, m_instance, m_options.extraRecords.join(u'\n'));
    // A journal from an earlier run would replay stale updates onto the fresh zone file.
    QFile::remove(m_workDir + QStringLiteral("/zone.db.jnl"));
    bool written = writeFile(m_workDir + QStringLiteral("/named.conf"), conf) &&
                   writeFile(m_workDir + QStringLiteral("/zone.db"), zone);
    for (const QString& more : m_options.moreZones) {
        const QString origin = absolute(more);
        QFile::remove(m_workDir + QStringLiteral("/%1db.jnl").arg(origin));
        written = written && writeFile(m_workDir + QStringLiteral("/%1db").arg(origin),
                                       QStringLiteral("$ORIGIN %1\n$TTL 60\n"
                                                      "@ IN SOA ns.%2 hostmaster.%1 1 3600 600 "
                                                      "86400 60\n@ IN NS ns.%2\n@ IN A "
                                                      "127.0.0.1\n")
                                           .arg(origin, m_zone));
    }
    return written;
}

QString Bind9Process::moreZonesConf() const {
    QString conf;
    for (const QString& more : m_options.moreZones)
        conf += QStringLiteral("zone \"%1\" { type primary; file \"%2/%1db\"; allow-update { key "
                               "\"%3\"; }; };\n")
                    .arg(absolute(more), m_workDir, keyName());
    for (auto it = m_options.forwardedZones.cbegin(); it != m_options.forwardedZones.cend(); ++it)
        conf += QStringLiteral("zone \"%1\" { type forward; forward only; forwarders { %2; }; "
                               "};\n")
                    .arg(absolute(it.key()), it.value());
    return conf;
}

// The instance token proves the answer comes from this named, not from another server that
// holds the port while ours fails to bind (a parallel test may serve the same zone).
bool Bind9Process::answersSoa() const {
    const auto answer = dns::query(address(), m_port, m_zone, dns::SOA, 500);
    if (!answer || answer->rcode() != dns::NoError || !answer->authoritative() ||
        answer->answers.isEmpty() || answer->answers[0].type != dns::SOA)
        return false; // SERVFAIL / no data while the zone is still loading
    return txtRecords(QStringLiteral("_certkeeper-instance.") + m_zone) == QStringList{m_instance};
}

bool Bind9Process::start(int timeoutMs) {
    stop();
    m_error.clear();
    PeerLaunch launch;
    launch.name = QStringLiteral("named");
    launch.program = findProgram(QStringLiteral("named"), QStringLiteral("/usr/sbin/named"));
    launch.logFile = m_workDir + QStringLiteral("/named.log");
    launch.workDir = m_workDir;
    launch.udpToo = true;
    launch.configure = [this](const std::vector<int>& ports,
                              QString& error) -> std::optional<QStringList> {
        m_port = ports[0];
        if (!writeFiles()) {
            error = QStringLiteral("cannot write named's files in ") + m_workDir;
            return std::nullopt;
        }
        // -g: foreground, log to stderr, no privilege drop (no -u), so it can read and write
        // the temp dir whoever runs the tests. -4: no IPv6 sockets at all.
        return QStringList{QStringLiteral("-g"), QStringLiteral("-4"), QStringLiteral("-c"),
                           m_workDir + QStringLiteral("/named.conf")};
    };
    launch.ready = [this] {
        return holdsPort(pid(), m_port, true) && holdsPort(pid(), m_port) && answersSoa();
    };
    launch.awaited = QStringLiteral("answer SOA ") + m_zone;
    // When another named holds the port, they share UDP and this one runs on without TCP,
    // saying "address in use"; when something else holds it, it exits saying it cannot listen.
    launch.portTakenSigns = {QStringLiteral("address in use"),
                             QStringLiteral("unable to listen on any configured interfaces")};
    return startOnFreePorts(m_process, launch, timeoutMs, m_error);
}

void Bind9Process::stop() {
    m_process.stop();
}

QStringList Bind9Process::txtRecords(const QString& name) const {
    const QString fqdn = absolute(name);
    const auto answer = dns::query(address(), m_port, fqdn, dns::TXT, 2000);
    QStringList values;
    if (!answer)
        return values;
    for (const dns::Record& record : answer->answers) {
        if (record.type == dns::TXT && record.name == fqdn)
            values << dns::txtValue(record.rdata);
    }
    return values;
}

} // namespace ck::test
