#include "SampleItems.h"

#include <QRandomGenerator>

namespace ck::test {

namespace {
const QStringList kOrganisations{
    "northwind", "contoso",   "fabrikam",  "adventure-works", "tailspin",      "wingtip",
    "litware",   "proseware", "woodgrove", "alpine-ski",      "blue-yonder",   "coho-vineyard",
    "lucerne",   "margie",    "trey",      "wide-world",      "fourth-coffee", "humongous"};
const QStringList kServices{"www",   "shop", "api",    "mail", "vpn",  "git",    "wiki", "intranet",
                            "cloud", "cdn",  "status", "auth", "docs", "portal", "smtp", "billing"};
const QStringList kZones{"com", "org", "net", "io", "de", "co.uk", "eu", "nl"};
const QStringList kFailures{
    QStringLiteral("The CA could not validate %1: connection refused on port 80 (http-01). Make "
                   "sure port 80 reaches the challenge listener."),
    QStringLiteral("dns-01 for %1: the TXT record was not visible at the authoritative servers "
                   "within 120 s"),
    QStringLiteral("Deployment task \"reload nginx\" failed for %1: nginx -t reported a syntax "
                   "error in /etc/nginx/sites-enabled/default"),
    QStringLiteral("The CA refused the order for %1: too many certificates already issued for "
                   "this exact set of domains (rate limit)")};

QString pick(QRandomGenerator& random, const QStringList& list) {
    return list.at(int(random.bounded(quint32(list.size()))));
}

// Certificates of 90 days, issued at some point in the last 90 days; renewal at two thirds.
void issue(ManagedCertificate& item, QRandomGenerator& random, const QDateTime& now,
           double minElapsed, double maxElapsed) {
    constexpr qint64 kLifetimeSecs = 90LL * 24 * 3600;
    const double elapsed = minElapsed + random.generateDouble() * (maxElapsed - minElapsed);
    item.dateStart = now.addSecs(-qint64(elapsed * double(kLifetimeSecs)));
    item.dateExpiry = item.dateStart.addSecs(kLifetimeSecs);
    item.dateRenewed = item.dateStart;
    item.dateNextScheduledRenewalAttempt = item.dateStart.addSecs(kLifetimeSecs * 2 / 3);
    if (item.dateNextScheduledRenewalAttempt < now)
        item.dateNextScheduledRenewalAttempt = now.addSecs(qint64(random.bounded(6 * 3600)));
    item.dateLastRenewalAttempt = item.dateStart;
    item.lastRenewalStatus = RequestState::Success;
    item.certificateDomains = item.domains();
    item.certificateIssuer = QStringLiteral("CN=R11, O=Let's Encrypt, C=US");
    item.certificateSerial = QString::number(random.generate64(), 16);
    item.certificateThumbprint = QString::number(random.generate64(), 16).toUpper();
}

void fail(ManagedCertificate& item, QRandomGenerator& random, const QDateTime& now, int failures) {
    item.lastRenewalStatus = RequestState::Error;
    item.renewalFailureCount = failures;
    item.renewalFailureMessage = pick(random, kFailures).arg(item.requestConfig.primaryDomain);
    item.dateLastRenewalAttempt = now.addSecs(-qint64(random.bounded(86400)));
    item.dateNextScheduledRenewalAttempt = now.addSecs(3600 * failures);
}
} // namespace

QList<ManagedCertificate> sampleItems(int count, const QDateTime& now, quint32 seed) {
    QRandomGenerator random(seed);
    QList<ManagedCertificate> items;
    items.reserve(count);
    for (int n = 0; n < count; ++n) {
        ManagedCertificate item;
        const QString organisation = pick(random, kOrganisations);
        const QString zone = pick(random, kZones);
        // Beyond the first few hundred, a number keeps names and domains distinct.
        const QString base = n < int(kOrganisations.size() * kZones.size())
                                 ? QStringLiteral("%1.%2").arg(organisation, zone)
                                 : QStringLiteral("%1-%2.%3").arg(organisation).arg(n).arg(zone);
        const QString service = pick(random, kServices);
        item.name = QStringLiteral("%1 %2").arg(organisation.at(0).toUpper() + organisation.mid(1),
                                                service);
        if (n >= 100)
            item.name += QStringLiteral(" %1").arg(n);
        QStringList domains{QStringLiteral("%1.%2").arg(service, base)};
        const int extra = int(random.bounded(6));
        for (int e = 0; e < extra; ++e) {
            const QString name = QStringLiteral("%1.%2").arg(pick(random, kServices), base);
            if (!domains.contains(name))
                domains.append(name);
        }
        item.requestConfig.primaryDomain = domains.first();
        item.requestConfig.subjectAlternativeNames = domains;
        ChallengeConfig challenge;
        challenge.provider = QStringLiteral("listener");
        item.requestConfig.challenges.append(challenge);
        item.certificateAuthorityId = QStringLiteral("letsencrypt");

        const quint32 kind = random.bounded(100);
        if (kind < 66) { // OK
            issue(item, random, now, 0.0, 0.7);
        } else if (kind < 78) { // due soon, or the last renewal attempt failed
            issue(item, random, now, 0.76, 0.93);
            if (kind >= 74)
                fail(item, random, now, 1 + int(random.bounded(3)));
        } else if (kind < 84) { // expired, or failing for days
            issue(item, random, now, 0.8, 1.1);
            fail(item, random, now, 6 + int(random.bounded(10)));
        } else if (kind < 89) { // waiting for a person (a paused request)
            issue(item, random, now, 0.3, 0.9);
            item.lastRenewalStatus = RequestState::Paused;
            item.renewalFailureMessage =
                QStringLiteral("Waiting for the DNS TXT record to be added by hand");
        } else { // never issued yet
            item.dateNextScheduledRenewalAttempt = now.addSecs(qint64(random.bounded(3600)));
        }
        items.append(item);
    }
    return items;
}

} // namespace ck::test
