#pragma once
// One end-to-end setup per test case: a DNS server (pebble-challtestsrv answering every name with
// 127.0.0.1, or BIND9 with a TSIG-updatable zone), Pebble using it, and the real service whose
// challenge listeners are on the ports Pebble validates against. The service knows Pebble as the
// custom CA "pebble" (trusting Pebble's generated HTTPS root) and has an account there.

#include "Bind9Process.h"
#include "ChallTestSrvProcess.h"
#include "PebbleProcess.h"
#include "PowerDnsProcess.h"
#include "RawHttp.h"
#include "ServiceProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSet>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace ck::test {

struct IssuanceOptions {
    // Pebble rejects half of all nonces in every issuance test, not only in one: the ACME client
    // must get every request through whatever the CA does with nonces.
    PebbleProcess::Options pebble = halfNoncesRejected();
    bool bind9 = false;                 // BIND9 as Pebble's DNS (dns-01); else challtestsrv
    Bind9Process::Options bind9Options; // its zones, when bind9 is set
    bool powerDns = false;              // PowerDNS (API on) as Pebble's DNS; wins over bind9
    bool registerAccount = true;        // an account with Pebble before the test starts
    // Off: the tests request by hand, and the scheduler would race them for never-issued items.
    // The renewal tests turn it on through PUT /api/settings.
    bool automaticRenewal = false;
    // serviceconfig.json settings merged over the fixture's own (challenge ports and address,
    // "dnsResolver": the test DNS server, so Test resolves names as Pebble does, and
    // "localMailServer": none).
    QJsonObject serviceConfig;
    // What starts the service (ServiceProcess::useBinary): a wrapper around it, and environment
    // variables set over the test's own (a PATH with stand-ins first). Empty: as it is.
    QString serviceBinary;
    QProcessEnvironment serviceEnvironment;

    static PebbleProcess::Options halfNoncesRejected() {
        PebbleProcess::Options o;
        o.nonceRejectPercent = 50;
        return o;
    }
    static IssuanceOptions withoutAccount() {
        IssuanceOptions o;
        o.registerAccount = false;
        return o;
    }
};

class IssuanceFixture {
public:
    explicit IssuanceFixture(IssuanceOptions options = {});

    // Creates an item for `domains` with the Pebble CA and the given request config members
    // (merged over the defaults); FAILs the test if the service refuses.
    QString createItem(const QStringList& domains, const QJsonObject& requestConfig = {},
                       const QJsonObject& itemFields = {});
    // POST .../request (202 required).
    void startRequest(const QString& id);
    // Polls until the item is no longer Queued/Running. The item.
    QJsonObject waitUntilDone(const QString& id, int timeoutMs = 60000);
    QJsonObject requestAndWait(const QString& id, int timeoutMs = 60000) {
        startRequest(id);
        return waitUntilDone(id, timeoutMs);
    }
    QJsonObject item(const QString& id) const;
    QString itemLog(const QString& id) const; // the log file's text
    // A stored credential (POST /api/credentials); its id.
    QString createCredential(const QString& type, const QJsonObject& values);
    QJsonObject registerAccount(const QJsonObject& extra = {});
    // A custom CA served over Pebble's HTTPS certificate (Pebble itself, or a proxy in front).
    void addCa(const QString& id, const QString& title, const QString& directoryUrl);

    // openssl as an independent checker.
    static QString opensslVerify(const QString& rootFile, const QString& fullChainFile);
    // The whole file, or nothing when it cannot be read.
    static QByteArray fileContents(const QString& path);

    QTemporaryDir dataDir;
    std::optional<ChallTestSrvProcess> challtestsrv;
    std::optional<Bind9Process> bind9;
    std::optional<PowerDnsProcess> powerDns;
    std::unique_ptr<PebbleProcess> pebble;
    ServiceProcess service;
    std::unique_ptr<RawHttp> http;
    QString pebbleRootFile; // the root Pebble issues under, from its management API
};

// A dns-01 rule of an item (requestConfig.challenges[i]), and the requestConfig that holds rules.
QJsonObject dnsRule(const QString& provider, const QString& credentialId = {},
                    const QJsonObject& parameters = {}, const QString& domainMatch = {});
QJsonObject challenges(const QJsonArray& rules);

// The item was issued; its log is shown when it was not. Returns the item.
QJsonObject requireIssued(const IssuanceFixture& f, const QJsonObject& item);
// requireIssued, and the certificate holds exactly `names` and openssl verifies its chain up to
// Pebble's root.
void requireCertificateFor(const IssuanceFixture& f, const QJsonObject& item,
                           const QSet<QString>& names);
// The request ended in error with a message holding every word (any case), as the item's first
// failure; nothing written in assets/<id>; the message in the item's log; the service still
// serving.
void requireCleanFailure(const IssuanceFixture& f, const QJsonObject& item,
                         const QStringList& words);

} // namespace ck::test
