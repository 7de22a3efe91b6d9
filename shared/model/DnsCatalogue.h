#pragma once
// The dns-01 providers one service offers, with the credential types they take: the built-in
// ones (DnsProviderTypes.cpp) and those it found at run time (lexicon's, see
// service/dnsapi/LexiconCatalogue.h). What the service serves, checks stored credentials and
// dns-01 rules against, and builds providers from; passed explicitly to each of them.

#include "model/DnsProviderTypes.h"
#include "model/StoredCredential.h"

#include <QList>
#include <QString>

#include <memory>
#include <mutex>

namespace ck {

class DnsCatalogue {
public:
    DnsCatalogue(); // the built-in providers only
    // The built-in providers, then `found`; one whose id or credential type is already taken
    // is left out (a built-in one always wins).
    explicit DnsCatalogue(const QList<DnsProviderType>& found);
    static const DnsCatalogue& builtIn();

    // Every provider, those with a nativeProvider (left out of menus) included.
    const QList<DnsProviderType>& providers() const { return m_providers; }
    const DnsProviderType* find(const QString& id) const;
    const DnsProviderType* forCredential(const QString& credentialType) const;
    // The providers' credential types, then EAB and the passwords (as credentialTypes()).
    const QList<CredentialType>& credentialTypes() const { return m_credentialTypes; }
    const CredentialType* findCredentialType(const QString& id) const;

private:
    QList<DnsProviderType> m_providers;
    QList<CredentialType> m_credentialTypes;
};

// A service's catalogue as it stands: the built-in providers until those found at run time are
// known, then all of them. Readers take a snapshot, which stays valid while they hold it; the
// one finder publishes once. Thread-safe.
class LiveDnsCatalogue {
public:
    LiveDnsCatalogue();
    std::shared_ptr<const DnsCatalogue> current() const;
    // Whether the run-time search has ended (found or not); `note` says how, in one line.
    bool complete() const;
    QString note() const;
    void publish(std::shared_ptr<const DnsCatalogue> catalogue, const QString& note);

private:
    mutable std::mutex m_mutex;
    std::shared_ptr<const DnsCatalogue> m_current;
    QString m_note;
    bool m_complete = false;
};

} // namespace ck
