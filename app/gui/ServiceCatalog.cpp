#include "gui/ServiceCatalog.h"

#include "client/ApiClient.h"
#include "gui/FormSupport.h"

namespace ck::gui {

ServiceCatalog::ServiceCatalog(ApiClient* client, QObject* parent)
    : QObject(parent), m_client(client) {}

void ServiceCatalog::refresh() {
    if (m_pending > 0)
        return; // the answers on their way are as fresh as a new round would be
    m_pending = 5;
    m_problem.clear();
    m_taskTypesProblem.clear();
    m_dnsProvidersProblem.clear();
    // Each list replaces what was known when its answer comes.
    const auto load = [this](auto call, auto& into, const OnFailure& fail) {
        using List = std::remove_reference_t<decltype(into)>;
        (m_client->*call)(
            this,
            [this, &into](const List& list) {
                into = list;
                answered();
            },
            fail);
    };
    const OnFailure fail = [this](const ApiError& e) { failed(e); };
    load(&ApiClient::certificateAuthorities, m_authorities, fail);
    load(&ApiClient::accounts, m_accounts, fail);
    load(&ApiClient::credentialList, m_credentials, fail);
    // As the service describes them: the task forms are built from these.
    load(&ApiClient::deploymentTaskTypes, m_taskTypes, [this](const ApiError& e) {
        m_taskTypesProblem = explainError(e, tr("deployment tasks"));
        answered();
    });
    load(&ApiClient::challengeProviders, m_dnsProviders, [this](const ApiError& e) {
        m_dnsProvidersProblem = explainError(e, tr("DNS providers"));
        answered();
    });
}

void ServiceCatalog::answered() {
    if (--m_pending == 0) {
        m_loadedOnce = true;
        Q_EMIT loaded();
    }
}

void ServiceCatalog::failed(const ApiError& error) {
    m_problem = describeError(error);
    answered();
}

QList<StoredCredential> ServiceCatalog::credentialsOfType(const QString& type) const {
    QList<StoredCredential> list;
    for (const auto& c : m_credentials)
        if (c.type == type)
            list.append(c);
    return list;
}

const CertificateAuthority* ServiceCatalog::authority(const QString& id) const {
    for (const auto& ca : m_authorities)
        if (ca.id == id)
            return &ca;
    return nullptr;
}

const AcmeAccount* ServiceCatalog::accountFor(const QString& caId, bool staging) const {
    for (const auto& a : m_accounts)
        if (a.certificateAuthorityId == caId && a.staging == staging &&
            a.status == QLatin1String("valid"))
            return &a;
    return nullptr;
}

const DnsProviderType* ServiceCatalog::dnsProvider(const QString& id) const {
    for (const auto& p : m_dnsProviders)
        if (p.id == id)
            return &p;
    return nullptr;
}

const TaskTypeSpec* ServiceCatalog::taskType(const QString& type) const {
    for (const auto& t : m_taskTypes)
        if (t.type == type)
            return &t;
    return nullptr;
}

} // namespace ck::gui
