#include "gui/ListFreshness.h"

#include "client/ApiClient.h"
#include "gui/CertificateListLoader.h"
#include "gui/CertificateListModel.h"
#include "gui/LiveUpdates.h"

#include <QTimer>

namespace ck::gui {

ListFreshness::ListFreshness(ApiClient* client, CertificateListModel* model, QObject* parent)
    : QObject(parent), m_client(client), m_model(model),
      m_loader(new CertificateListLoader(client, this)),
      m_live(new LiveUpdates(client, model, this)), m_pollTimer(new QTimer(this)),
      m_clockTimer(new QTimer(this)), m_watchTimer(new QTimer(this)) {
    connect(m_loader, &CertificateListLoader::pageLoaded, this,
            [this](const QList<ManagedCertificate>& items, int loaded, int total) {
                m_model->upsert(items);
                m_listTotal = total;
                Q_EMIT pageLoaded(loaded, total);
            });
    connect(m_loader, &CertificateListLoader::finished, this, [this](const QSet<QString>& ids) {
        m_model->removeAllExcept(ids);
        Q_EMIT loadFinished();
        updatePolling();
        m_live->start(); // the service is there: follow its changes
    });
    connect(m_loader, &CertificateListLoader::failed, this, &ListFreshness::loadFailed);

    connect(m_live, &LiveUpdates::liveChanged, this, [this](bool live, const QString& why) {
        m_liveProblem = why;
        if (live)
            m_watchTimer->stop();
        else if (!m_watched.isEmpty())
            m_watchTimer->start();
        updatePolling();
    });
    connect(m_live, &LiveUpdates::reloadNeeded, this, [this] {
        if (!m_loader->isLoading())
            Q_EMIT reloadDue();
    });

    connect(m_pollTimer, &QTimer::timeout, this, [this] {
        if (!m_loader->isLoading()) // a slow load is still the freshest answer coming
            Q_EMIT reloadDue();
    });
    updatePolling();
    m_clockTimer->setInterval(kClockSeconds * 1000);
    connect(m_clockTimer, &QTimer::timeout, m_model, &CertificateListModel::refreshClock);
    m_clockTimer->start();
    m_watchTimer->setInterval(kWatchSeconds * 1000);
    connect(m_watchTimer, &QTimer::timeout, this, &ListFreshness::watchRequests);
}

bool ListFreshness::isLive() const {
    return m_live->isLive();
}

bool ListFreshness::isLoading() const {
    return m_loader->isLoading();
}

void ListFreshness::reload() {
    m_loader->load(QString());
    if (!m_diagnosticsRequested)
        fetchDiagnostics();
}

void ListFreshness::connected() {
    m_connected = true;
    updatePolling();
}

void ListFreshness::disconnected() {
    m_connected = false;
    m_live->stop();
    forgetDiagnostics();
    updatePolling();
}

void ListFreshness::serviceMoved() {
    forgetDiagnostics();
    fetchDiagnostics();
}

void ListFreshness::serviceChanged() {
    m_live->stop();
    m_live->stream()->resumeFromNow(); // another service's event ids mean nothing here
    forgetDiagnostics();
    m_listTotal = 0;
}

void ListFreshness::watch(const QString& id) {
    m_watched.insert(id);
    if (!m_live->isLive())
        m_watchTimer->start();
}

void ListFreshness::updatePolling() {
    int seconds = kPollSeconds;
    if (m_connected) {
        if (m_live->isLive())
            seconds = kLivePollSeconds;
        else if (m_listTotal > kLargeListItems)
            seconds = kLargeListPollSeconds;
    }
    m_pollSeconds = seconds;
    if (m_pollTimer->interval() != seconds * 1000 || !m_pollTimer->isActive())
        m_pollTimer->start(seconds * 1000);
    Q_EMIT pollingChanged();
}

void ListFreshness::fetchDiagnostics() {
    m_diagnosticsRequested = true;
    m_client->diagnostics(
        this,
        [this, connection = m_connection](const ServiceDiagnostics& diagnostics) {
            if (connection == m_connection)
                Q_EMIT diagnosticsRead(diagnostics);
        },
        [this, connection = m_connection](const ApiError& error) {
            // Unreachable: try again with the next reload. Any other failure would only repeat.
            if (connection == m_connection && (error.kind == ApiError::Kind::Connection ||
                                               error.kind == ApiError::Kind::ServiceUnavailable))
                m_diagnosticsRequested = false;
        });
}

void ListFreshness::forgetDiagnostics() {
    ++m_connection;
    m_diagnosticsRequested = false;
}

void ListFreshness::watchRequests() {
    if (m_live->isLive() || m_watched.isEmpty()) {
        m_watchTimer->stop();
        return;
    }
    for (const QString& id : std::as_const(m_watched)) {
        m_client->getItem(
            id, this,
            [this](const ManagedCertificate& item) {
                m_model->upsert({item});
                if (item.lastRenewalStatus != RequestState::Queued &&
                    item.lastRenewalStatus != RequestState::Running)
                    m_watched.remove(item.id);
            },
            [this, id](const ApiError& error) {
                // Gone: nothing to follow. Other failures show in the next reload of the list.
                if (error.kind == ApiError::Kind::NotFound)
                    m_watched.remove(id);
            });
    }
}

} // namespace ck::gui
