#pragma once
// What the editor's and the settings' choices are made of, read from the service: the CAs, the
// ACME accounts, the stored credentials, the deployment task types and the dns-01 providers. Loaded
// once per dialog and again after a change (an account registered, a credential added), so every
// combo box offers what the service has now.

#include "ApiError.h"
#include "model/CertificateAuthority.h"
#include "model/DeploymentTaskTypes.h"
#include "model/DnsProviderTypes.h"
#include "model/StoredCredential.h"

#include <QObject>

namespace ck {
class ApiClient;
}

namespace ck::gui {

class ServiceCatalog : public QObject {
    Q_OBJECT
public:
    explicit ServiceCatalog(ApiClient* client, QObject* parent = nullptr);

    ApiClient* client() const { return m_client; }
    void refresh();
    bool isLoaded() const { return m_pending == 0 && m_loadedOnce; }

    const QList<CertificateAuthority>& authorities() const { return m_authorities; }
    const QList<AcmeAccount>& accounts() const { return m_accounts; }
    const QList<StoredCredential>& credentials() const { return m_credentials; }
    QList<StoredCredential> credentialsOfType(const QString& type) const;
    const CertificateAuthority* authority(const QString& id) const;
    // The account the service uses for requests to `caId` (staging or production), if any.
    const AcmeAccount* accountFor(const QString& caId, bool staging) const;
    const QList<TaskTypeSpec>& taskTypes() const { return m_taskTypes; }
    // The type as the service describes it; nullptr when it has no such type.
    const TaskTypeSpec* taskType(const QString& type) const;
    const QList<DnsProviderType>& dnsProviders() const { return m_dnsProviders; }
    // The provider as the service describes it; nullptr when it has no such provider.
    const DnsProviderType* dnsProvider(const QString& id) const;
    // Why a list could not be read (empty when it was): shown where the list is used.
    QString problem() const { return m_problem; }
    QString taskTypesProblem() const { return m_taskTypesProblem; }
    QString dnsProvidersProblem() const { return m_dnsProvidersProblem; }

Q_SIGNALS:
    // Every list has its answer (or its problem).
    void loaded();

private:
    void answered();
    void failed(const ApiError& error);

    ApiClient* m_client;
    int m_pending = 0;
    bool m_loadedOnce = false;
    QList<CertificateAuthority> m_authorities;
    QList<AcmeAccount> m_accounts;
    QList<StoredCredential> m_credentials;
    QList<TaskTypeSpec> m_taskTypes;
    QList<DnsProviderType> m_dnsProviders;
    QString m_problem;
    QString m_taskTypesProblem;
    QString m_dnsProvidersProblem;
};

} // namespace ck::gui
