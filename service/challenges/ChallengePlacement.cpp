#include "challenges/ChallengePlacement.h"

#include "acme/AcmeProtocol.h"
#include "base/PathSafety.h"
#include "challenges/CnameChain.h"
#include "challenges/DnsProvider.h"
#include "challenges/DnsQuery.h"
#include "challenges/DnsRecordJournal.h"
#include "challenges/Http01Listener.h"
#include "challenges/TlsAlpnListener.h"
#include "challenges/WebrootJournal.h"
#include "logging/ItemLog.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ck::challenges {

namespace {
bool matches(const QString& pattern, const QString& name) {
    const QString p = pattern.trimmed().toLower();
    if (p.isEmpty())
        return false;
    if (p == name)
        return true;
    if (p.startsWith(QLatin1String("*.")))
        return name.endsWith(p.mid(1)) || name == p.mid(2);
    return false;
}

InvalidInputError unusable(const QString& detail) {
    return InvalidInputError(detail, QStringLiteral("requestConfig.challenges"));
}

constexpr std::chrono::seconds kCnameLookupTimeout{3};
} // namespace

QString dnsChallengeName(const QString& name) {
    QString base = name.startsWith(QLatin1String("*.")) ? name.mid(2) : name;
    return QStringLiteral("_acme-challenge.") + base.toLower() + u'.';
}

awaitable<CnameChain> followCnamesFor(const ChallengeResponders& responders, const QString& name) {
    const QString resolver = responders.dnsResolver ? responders.dnsResolver() : QString();
    auto lookup = [name, resolver] { return followCnames(name, resolver, kCnameLookupTimeout); };
    co_return co_await responders.processes.offload(std::move(lookup));
}

struct ChallengePlacement::PlacedRecord {
    std::unique_ptr<challenges::DnsProvider> provider;
    challenges::DnsTxtRecord record;
};

ChallengeConfig challengeConfigFor(const RequestConfig& rc, const QString& name) {
    static const QRegularExpression separators(QStringLiteral("[;,\\s]+"));
    for (const auto& c : rc.challenges)
        for (const auto& pattern : c.domainMatch.split(separators, Qt::SkipEmptyParts))
            if (matches(pattern, name.toLower()))
                return c;
    for (const auto& c : rc.challenges)
        if (c.domainMatch.trimmed().isEmpty())
            return c;
    ChallengeConfig listener;
    listener.type = QStringLiteral("http-01");
    return listener;
}

ChallengePlacement::ChallengePlacement(ChallengeResponders& responders, logging::ItemLog& log)
    : m_responders(responders), m_log(log) {}

ChallengePlacement::~ChallengePlacement() {
    // removeAll() is the normal path; this only runs for what is local and left over.
    while (!m_localUndo.empty()) {
        m_localUndo.back()();
        m_localUndo.pop_back();
    }
}

awaitable<void> ChallengePlacement::place(const ChallengeConfig& config, const QString& name,
                                          const QString& token, const QString& keyAuthorization) {
    if (config.type == QLatin1String("dns-01")) {
        co_await placeDns(config, name, keyAuthorization);
        co_return;
    }
    if (config.type == QLatin1String("http-01") &&
        (config.provider == QLatin1String("webroot") || !config.webrootPath.isEmpty())) {
        placeWebroot(config, name, token, keyAuthorization);
        co_return;
    }
    try {
        if (config.type == QLatin1String("http-01")) {
            m_responders.http01.add(token, keyAuthorization);
            m_log.info(QStringLiteral("Answering http-01 for %1 on port %2")
                           .arg(name)
                           .arg(m_responders.http01.port()));
            m_localUndo.push_back([this, token] { m_responders.http01.remove(token); });
        } else if (config.type == QLatin1String("tls-alpn-01")) {
            m_responders.tlsAlpn.add(name, keyAuthorization);
            m_log.info(QStringLiteral("Answering tls-alpn-01 for %1 on port %2")
                           .arg(name)
                           .arg(m_responders.tlsAlpn.port()));
            m_localUndo.push_back([this, name] { m_responders.tlsAlpn.remove(name); });
        } else {
            throw unusable(QStringLiteral("'%1' is not a challenge type; use http-01, dns-01 or "
                                          "tls-alpn-01")
                               .arg(config.type));
        }
    } catch (const std::runtime_error& e) {
        throw unusable(QString::fromUtf8(e.what()));
    }
}

void ChallengePlacement::placeWebroot(const ChallengeConfig& config, const QString& name,
                                      const QString& token, const QString& keyAuthorization) {
    const QString root = config.webrootPath.trimmed();
    if (root.isEmpty() || !QDir(root).exists())
        throw unusable(
            QStringLiteral("The webroot folder '%1' for %2 does not exist").arg(root, name));
    // RFC 8555 §8.3: the token is base64url; anything else would name another path.
    static const QRegularExpression base64url(QStringLiteral("^[A-Za-z0-9_-]+$"));
    if (!base64url.match(token).hasMatch())
        throw unusable(QStringLiteral("The CA sent an http-01 token for %1 that is not base64url "
                                      "text; no file was written")
                           .arg(name));
    const QString wellKnown = root + QStringLiteral("/.well-known");
    const QString dir = wellKnown + QStringLiteral("/acme-challenge");
    const QString file = dir + u'/' + token;
    // Checked again here although a save refuses it: a link in the webroot (.well-known, say)
    // may have been made since, and it must not lead into the service's own files.
    auto refuseDataDir = [&] {
        const QString problem = dataDirProblem(QStringLiteral("The http-01 challenge file"), file,
                                               m_responders.dataDir);
        if (!problem.isEmpty())
            throw unusable(problem);
    };
    refuseDataDir();
    const bool createdWellKnown = !QDir(wellKnown).exists();
    const bool createdDir = !QDir(dir).exists();
    if (!QDir().mkpath(dir))
        throw unusable(
            QStringLiteral("Cannot create %1 (check the service user's permissions)").arg(dir));
    refuseDataDir();
    const WebrootFile placed{file, createdDir ? dir : QString(),
                             createdWellKnown ? wellKnown : QString()};
    // Noted before it is written, for a service stopped before removing it.
    if (!m_responders.dataDir.isEmpty()) {
        if (!m_webrootJournal)
            m_webrootJournal =
                std::make_unique<WebrootJournal>(m_responders.dataDir, m_log.itemId());
        const QString notKept = m_webrootJournal->add(placed);
        if (!notKept.isEmpty())
            m_log.warning(QStringLiteral("The file %1 is not noted on disk (%2): if the service "
                                         "stops before removing it, remove it by hand")
                              .arg(file, notKept));
    }
    // O_NOFOLLOW: a link planted under the token's name is not written through. World-readable
    // on purpose: the web server serving the folder runs as another user.
    const int fd = ::open(QFile::encodeName(file).constData(),
                          O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    const QByteArray content = keyAuthorization.toLatin1();
    const bool written = fd >= 0 && ::fchmod(fd, 0644) == 0 &&
                         ::write(fd, content.constData(), size_t(content.size())) == content.size();
    const int code = errno;
    if (fd >= 0)
        ::close(fd);
    auto undo = [this, placed] {
        removeWebrootFile(placed);
        if (m_webrootJournal)
            m_webrootJournal->remove(placed.path);
    };
    if (!written) {
        // No half-written file left behind; what stood at the path when it could not be opened
        // (a planted link) is not ours to remove.
        removeWebrootFile(
            fd >= 0 ? placed : WebrootFile{QString(), placed.createdDir, placed.createdWellKnown});
        if (m_webrootJournal)
            m_webrootJournal->remove(placed.path);
        throw unusable(QStringLiteral("Cannot write %1: %2")
                           .arg(file, QString::fromLocal8Bit(std::strerror(code))));
    }
    m_log.info(QStringLiteral("Placed the http-01 response for %1 in %2").arg(name, file));
    m_localUndo.push_back([this, undo, file] {
        undo();
        m_log.info(QStringLiteral("Removed %1").arg(file));
    });
}

awaitable<void> ChallengePlacement::placeDns(const ChallengeConfig& config, const QString& name,
                                             const QString& keyAuthorization) {
    auto placed = std::make_unique<PlacedRecord>();
    placed->provider = m_responders.dnsProviders(config);
    placed->provider->attachLog(m_log);
    placed->record.name = co_await dnsRecordNameFor(config, name);
    placed->record.value = acme::dnsTxtValue(keyAuthorization);
    placed->record.domain = name;
    // Tracked before it is created: an update that reached the server but whose answer was
    // lost must still be cleaned up (cleanup of a record that is not there is harmless). On
    // disk too, for a service stopped before it removes the record.
    if (!m_responders.dataDir.isEmpty()) {
        if (!m_journal)
            m_journal = std::make_unique<DnsRecordJournal>(m_responders.dataDir, m_log.itemId());
        const QString notKept = m_journal->add(config, placed->record);
        if (!notKept.isEmpty())
            m_log.warning(QStringLiteral("The TXT record %1 is not noted on disk (%2): if the "
                                         "service stops before removing it, remove it by hand")
                              .arg(placed->record.name, notKept));
    }
    m_records.push_back(std::move(placed));
    challenges::DnsProvider& provider = *m_records.back()->provider;
    const challenges::DnsTxtRecord& record = m_records.back()->record;
    co_await provider.present(record);
    m_log.info(QStringLiteral("Created the TXT record %1 for %2 with %3")
                   .arg(record.name, name, provider.title()));
}

awaitable<QString> ChallengePlacement::dnsRecordNameFor(const ChallengeConfig& config,
                                                        const QString& name) {
    const QString challengeName = dnsChallengeName(name);
    const CnameChain chain = co_await followCnamesFor(m_responders, challengeName);
    const QString delegated = config.delegatedTo.trimmed();
    if (!delegated.isEmpty()) {
        const QString target = dns::absoluteName(delegated);
        if (!chain.problem.isEmpty())
            m_log.warning(QStringLiteral("The CNAME at %1 could not be checked (%2); the TXT "
                                         "record goes to %3 as the rule says")
                              .arg(challengeName, chain.problem, target));
        else if (!chain.contains(target))
            m_log.warning(
                QStringLiteral("%1 is not a CNAME to %2 (%3 says: %4): the CA will not "
                               "find the record there. Create that CNAME, or change the "
                               "rule's delegation")
                    .arg(challengeName, target, chain.resolver,
                         chain.followsCname() ? chain.display() : QStringLiteral("no CNAME")));
        else
            m_log.info(
                QStringLiteral("The challenge of %1 is delegated: %2").arg(name, chain.display()));
        co_return target;
    }
    if (!chain.problem.isEmpty()) {
        m_log.warning(QStringLiteral("Could not look for a CNAME at %1 (%2); the TXT record goes "
                                     "there")
                          .arg(challengeName, chain.problem));
        co_return challengeName;
    }
    if (chain.followsCname())
        m_log.info(QStringLiteral("The CNAME %1 is followed: the TXT record for %2 goes to %3")
                       .arg(chain.display(), name, chain.target()));
    co_return chain.target();
}

awaitable<void> ChallengePlacement::waitUntilVisible(std::chrono::seconds timeout) {
    for (const auto& placed : m_records) {
        const challenges::DnsTxtRecord& record = placed->record;
        co_await placed->provider->waitForPropagation(record, timeout);
        m_log.info(QStringLiteral("The TXT record %1 is visible").arg(record.name));
    }
}

awaitable<void> ChallengePlacement::removeAll() {
    while (!m_records.empty()) {
        std::unique_ptr<PlacedRecord> placed = std::move(m_records.back());
        m_records.pop_back();
        const challenges::DnsTxtRecord& record = placed->record;
        try {
            co_await placed->provider->cleanup(record);
            m_log.info(QStringLiteral("Removed the TXT record %1").arg(record.name));
            if (m_journal)
                m_journal->remove(record);
        } catch (const DomainError& e) {
            m_log.warning(QStringLiteral("Could not remove the TXT record %1: %2; remove it by "
                                         "hand")
                              .arg(record.name, e.message()));
        }
    }
    while (!m_localUndo.empty()) {
        m_localUndo.back()();
        m_localUndo.pop_back();
    }
}

} // namespace ck::challenges
