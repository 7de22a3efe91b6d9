#include "model/DnsCatalogue.h"

#include <QSet>

namespace ck {

DnsCatalogue::DnsCatalogue() : DnsCatalogue(QList<DnsProviderType>{}) {}

DnsCatalogue::DnsCatalogue(const QList<DnsProviderType>& found) : m_providers(dnsProviderTypes()) {
    QSet<QString> ids, types;
    for (const auto& t : m_providers) {
        ids.insert(t.id);
        types.insert(t.credentialType);
    }
    for (const auto& t : found) {
        if (ids.contains(t.id) || (!t.credentialType.isEmpty() && types.contains(t.credentialType)))
            continue;
        ids.insert(t.id);
        types.insert(t.credentialType);
        m_providers.append(t);
    }
    for (const auto& provider : m_providers)
        if (!provider.credentialType.isEmpty())
            m_credentialTypes.append(provider.credentialTypeSpec());
    // The built-in types that belong to no provider (EAB, the passwords) keep their order.
    for (const auto& type : ck::credentialTypes())
        if (type.dnsProvider.isEmpty())
            m_credentialTypes.append(type);
}

const DnsCatalogue& DnsCatalogue::builtIn() {
    static const DnsCatalogue catalogue;
    return catalogue;
}

const DnsProviderType* DnsCatalogue::find(const QString& id) const {
    for (const auto& t : m_providers)
        if (t.id == id)
            return &t;
    return nullptr;
}

const DnsProviderType* DnsCatalogue::forCredential(const QString& credentialType) const {
    for (const auto& t : m_providers)
        if (!t.credentialType.isEmpty() && t.credentialType == credentialType)
            return &t;
    return nullptr;
}

const CredentialType* DnsCatalogue::findCredentialType(const QString& id) const {
    for (const auto& t : m_credentialTypes)
        if (t.id == id)
            return &t;
    return nullptr;
}

LiveDnsCatalogue::LiveDnsCatalogue()
    : m_current(
          std::shared_ptr<const DnsCatalogue>(std::shared_ptr<void>(), &DnsCatalogue::builtIn())) {}

std::shared_ptr<const DnsCatalogue> LiveDnsCatalogue::current() const {
    std::lock_guard lock(m_mutex);
    return m_current;
}

bool LiveDnsCatalogue::complete() const {
    std::lock_guard lock(m_mutex);
    return m_complete;
}

QString LiveDnsCatalogue::note() const {
    std::lock_guard lock(m_mutex);
    return m_note;
}

void LiveDnsCatalogue::publish(std::shared_ptr<const DnsCatalogue> catalogue, const QString& note) {
    std::lock_guard lock(m_mutex);
    if (catalogue)
        m_current = std::move(catalogue);
    m_note = note;
    m_complete = true;
}

} // namespace ck
