#pragma once
// Keeps the certificate list fresh, so that the window only has to show it: loads the list page
// by page, follows the service's live events, reads the whole list again on a timer (often
// without live events, seldom with them, less often for a large list), follows requested items
// while there are no live events, moves the list's clock on, and reads the service's
// diagnostics once per connection. Signals say what happened; the window decides how it looks.

#include "ApiError.h"
#include "model/ServiceDiagnostics.h"

#include <QObject>
#include <QSet>

class QTimer;

namespace ck {
class ApiClient;
}

namespace ck::gui {

class CertificateListLoader;
class CertificateListModel;
class LiveUpdates;

class ListFreshness : public QObject {
    Q_OBJECT
public:
    // Without live events the list is read again this often; with more items than
    // kLargeListItems, every kLargeListPollSeconds (a full reload of thousands of items is work).
    static constexpr int kPollSeconds = 10;
    static constexpr int kLargeListItems = 2000;
    static constexpr int kLargeListPollSeconds = 60;
    // While live, a full reload now and then catches anything the events did not say.
    static constexpr int kLivePollSeconds = 300;
    // Requested items are read this often while there are no live events.
    static constexpr int kWatchSeconds = 2;
    // The list's "in 3 days" and health move on with the clock.
    static constexpr int kClockSeconds = 60;

    ListFreshness(ApiClient* client, CertificateListModel* model, QObject* parent = nullptr);

    LiveUpdates* liveUpdates() const { return m_live; }
    bool isLive() const;
    bool isLoading() const;
    // Seconds between full reloads, as the timer runs now.
    int pollSeconds() const { return m_pollSeconds; }
    // Why the event stream is not connected; empty when it is or nothing is known yet.
    QString liveProblem() const { return m_liveProblem; }

    // Reads the whole list again (search and filters work on what is loaded), and the
    // diagnostics when this connection has not had them yet.
    void reload();
    // The list shows the service again: follow it as a connected one.
    void connected();
    // The service cannot be reached: stop following it; when it is back, it is a new connection
    // (it may have started anew, and recovered its database, meanwhile).
    void disconnected();
    // The service moved to another port: it has started anew, read its diagnostics again.
    void serviceMoved();
    // Another service was chosen: nothing of the previous one (event ids, size) applies.
    void serviceChanged();
    // Follows a requested item until its request is over, while there are no live events.
    void watch(const QString& id);

Q_SIGNALS:
    // Time for the window's refresh (the timer, or the events could not say everything).
    void reloadDue();
    // A page arrived and is in the model: `loaded` of `total` items so far.
    void pageLoaded(int loaded, int total);
    void loadFinished();
    void loadFailed(const ck::ApiError& error);
    // Live or not, or the reload interval changed.
    void pollingChanged();
    // The service's diagnostics, once per connection.
    void diagnosticsRead(const ServiceDiagnostics& diagnostics);

private:
    void updatePolling();
    void fetchDiagnostics();
    void forgetDiagnostics();
    void watchRequests();

    ApiClient* m_client;
    CertificateListModel* m_model;
    CertificateListLoader* m_loader;
    LiveUpdates* m_live;
    QTimer* m_pollTimer;
    QTimer* m_clockTimer;
    QTimer* m_watchTimer;
    bool m_connected = true; // the list is shown (it is until a failure says otherwise)
    int m_pollSeconds = kPollSeconds;
    int m_listTotal = 0;                 // items the service holds (its last list answer)
    QString m_liveProblem;               // why the event stream is not connected
    QSet<QString> m_watched;             // requested items followed by polling
    bool m_diagnosticsRequested = false; // for the current connection
    int m_connection = 0; // counts (re)connections; answers for an earlier one are dropped
};

} // namespace ck::gui
