#pragma once
// dns-01 through one of lexicon's providers ("lexicon:<name>", see LexiconCatalogue.h): each
// change is one run of the bridge script with lexicon's interpreter, without a shell, the
// credential's values only in its environment (LEXICON_<PROVIDER>_<OPTION>; never on its
// command line, where ps shows them), stopped after the time limit. What it prints goes into
// the certificate's log with every credential value masked.
//
//   provider "lexicon:<name>": credentialId of a stored "lexicon:<name>" credential;
//                              parameters {"zone", "propagationDelaySeconds", "timeoutSeconds"}.
//
// The zone: the rule's, else the credential's "zone", else found with SOA queries (at the
// credential's dnsServer, else through the system's resolver). The record is then awaited at the
// dnsServer, else at the zone's name servers.

#include "challenges/ChallengePlacement.h"
#include "challenges/DnsProvider.h"
#include "challenges/DnsQuery.h"
#include "credentials/CredentialStore.h"
#include "dnsapi/LexiconCatalogue.h"
#include "model/ApiResults.h"
#include "process/ChildProcess.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <chrono>

namespace ck::dnsapi {

struct LexiconSettings {
    QString provider; // lexicon's name: "gandi"
    // The credential's values for lexicon's options (empty ones left out).
    QList<QPair<QString, QString>> options;
    QString zone;      // the rule's or the credential's; empty: found with SOA queries
    QString dnsServer; // "host" or "host:port"; empty: the system's resolver and the zone's NS
    std::chrono::seconds timeout{120};
    std::chrono::seconds propagation{0};
    QString searchPath; // where `lexicon` is looked for (the service's PATH)
};

class LexiconProvider final : public challenges::DnsProvider {
public:
    // `catalogue` says whether lexicon has the provider, once its search at start has ended.
    LexiconProvider(process::ProcessRunner& runner, const LiveDnsCatalogue& catalogue,
                    LexiconSettings settings);

    QString title() const override; // "Gandi (via lexicon)"
    awaitable<void> present(const challenges::DnsTxtRecord& r) override;
    awaitable<void> cleanup(const challenges::DnsTxtRecord& r) override;
    awaitable<void> waitForPropagation(const challenges::DnsTxtRecord& r,
                                       std::chrono::seconds timeout) override;
    void attachLog(logging::ItemLog& log) override { m_log = &log; }

    // The TXT records lexicon lists in `zone` ("name value" each); reads only.
    awaitable<QStringList> listTxt(const QString& zone);
    // `text` with every credential value replaced by "***".
    QString masked(QString text) const;

private:
    struct Answer {
        QJsonObject result; // the bridge's last line
    };
    awaitable<Answer> run(const QString& action, const QString& zone, const QString& name,
                          const QString& value, const QString& what);
    awaitable<QString> zoneFor(const QString& name);
    awaitable<void> change(const challenges::DnsTxtRecord& r, bool add);

    process::ProcessRunner& m_runner;
    const LiveDnsCatalogue& m_catalogue;
    LexiconSettings m_settings;
    logging::ItemLog* m_log = nullptr;
    QHash<QString, QString> m_zones; // record name -> zone
};

// `next` with the lexicon providers in front of it: a "lexicon:" id is built here, the credential
// checked at once; whether lexicon has that provider is known when the record is placed.
challenges::DnsProviderFactory withLexiconProviders(challenges::DnsProviderFactory next,
                                                    const LiveDnsCatalogue& catalogue,
                                                    credentials::CredentialStore& credentials,
                                                    process::ProcessRunner& runner);

// POST /api/credentials/{id}/test for a "lexicon:<name>" credential: with a zone in it, lexicon
// lists that zone's TXT records (changing nothing); without one, the answer says to add it.
awaitable<CredentialTest> testLexiconCredential(StoredCredential credential,
                                                credentials::CredentialStore& credentials,
                                                process::ProcessRunner& runner,
                                                const LiveDnsCatalogue& catalogue);

} // namespace ck::dnsapi
