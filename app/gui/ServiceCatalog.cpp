#include "ServiceCatalog.h"

#include "ApiClient.h"
#include "FormSupport.h"

namespace ck::gui {

ServiceCatalog::ServiceCatalog(ApiClient* client, QObject* parent)
    : QObject(parent), m_client(client) {}

void ServiceCatalog::refresh() {
    if (m_pending > 0)
        return; // the answers on their way are as fresh as a new round would be
    m_pending = 4;
    m_problem.clear();
    m_taskTypesProblem.clear();
    const OnFailure fail = [this](const ApiError& e) { failed(e); };
    m_client->certificateAuthorities(
        this,
        [this](const QList<CertificateAuthority>& list) {
            m_authorities = list;
            answered();
        },
        fail);
    m_client->accounts(
        this,
        [this](const QList<AcmeAccount>& list) {
            m_accounts = list;
            answered();
        },
        fail);
    m_client->credentialList(
        this,
        [this](const QList<StoredCredential>& list) {
            m_credentials = list;
            answered();
        },
        fail);
    m_client->deploymentTaskTypes(
        this,
        [this](const QList<TaskTypeSpec>& types) {
            // As the service describes them: the task forms are built from this JSON.
            m_taskTypes = {};
            for (const auto& t : types)
                m_taskTypes.append(t.toJson());
            answered();
        },
        [this](const ApiError& e) {
            m_taskTypesProblem = explainError(e, tr("deployment tasks"));
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

QJsonObject ServiceCatalog::taskType(const QString& type) const {
    for (const auto& t : m_taskTypes)
        if (t.toObject().value("type").toString() == type)
            return t.toObject();
    return {};
}

} // namespace ck::gui
