#pragma once
// Shows notices through the desktop's notification server (org.freedesktop.Notifications on the
// session bus, as the Desktop Notifications Specification 1.2 defines it), and says when the
// user clicks one. Every call is asynchronous: a slow or missing server never holds the window
// up. When there is no session bus or no server answers, a fallback (the tray icon's balloon)
// shows the notice instead, if there is one; otherwise the notice is dropped without a word,
// since the window shows the same in its list.
//
// The server's capabilities are read before the first notice (and again after a failed call,
// since the server may have been replaced): the body is escaped only for servers that read
// markup, and the click action is offered only to servers that support actions.

#include <QHash>
#include <QObject>
#include <QStringList>

#include <functional>

namespace ck::gui {

struct DesktopNotice {
    enum class Urgency { Low, Normal, Critical }; // the specification's 0, 1 and 2
    QString summary;
    QString body;   // plain text
    QString itemId; // what clicking the notice shows; empty: only the window
    // Notices of one thread (not 0) replace each other on the desktop: a burst's count grows in
    // one place instead of stacking up.
    int thread = 0;
    Urgency urgency = Urgency::Normal;
};

class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    enum class Route { Desktop, Fallback, Nowhere };
    Q_ENUM(Route)
    // Shows a notice another way; false when it could not.
    using Fallback = std::function<bool(const DesktopNotice&)>;

    static constexpr int kCallTimeoutMs = 10000;

    explicit DesktopNotifier(QObject* parent = nullptr);

    void setFallback(Fallback fallback) { m_fallback = std::move(fallback); }
    void show(const DesktopNotice& notice);

    // Plain text as a body for a server that reads markup (a subset of HTML): shown as written.
    static QString escapedBody(const QString& plain);

Q_SIGNALS:
    // The user clicked a notice (its "default" action).
    void activated(const QString& itemId);
    // Where a notice went, once that is known.
    void delivered(ck::gui::DesktopNotifier::Route route);

private Q_SLOTS:
    // The server's signals; QtDBus connects them by name.
    void actionInvoked(uint id, const QString& actionKey);
    void notificationClosed(uint id, uint reason);

private:
    void askCapabilities();
    void send(const DesktopNotice& notice);
    void fallBack(const DesktopNotice& notice);
    void serverGone();

    bool m_busConnected = false;
    enum class Server { Unknown, Asking, Known } m_server = Server::Unknown;
    bool m_serverHasActions = false;
    bool m_serverReadsMarkup = false;
    QList<DesktopNotice> m_waiting;  // for the capabilities
    QHash<uint, QString> m_itemOfId; // notifications shown, by the server's id
    QHash<int, uint> m_idOfThread;   // the notification each thread shows now
    Fallback m_fallback;
};

} // namespace ck::gui
