#pragma once
// A stand-in for the desktop's notification server on a test's private session bus
// (PrivateSessionBus): it owns org.freedesktop.Notifications and implements the interface of
// the Desktop Notifications Specification 1.2 strictly, on a D-Bus connection of its own (so the
// app's calls really cross the bus):
//
//   Notify(s app_name, u replaces_id, s app_icon, s summary, s body, as actions,
//          a{sv} hints, i expire_timeout) -> u id
//   GetCapabilities() -> as;  GetServerInformation() -> (s, s, s, s)
//   CloseNotification(u id) -> ();  signals NotificationClosed(u, u), ActionInvoked(u, s)
//
// A call whose argument types differ from these, a hint of the wrong type (urgency is a byte),
// actions that are not key-label pairs or a timeout below -1 is refused with the error a server
// gives (InvalidArgs) and recorded as a violation; every accepted Notify is recorded. As the
// specification says, a Notify that replaces an open notification keeps its id.

#include <QDBusArgument>
#include <QDBusVirtualObject>
#include <QMap>
#include <QMutex>
#include <QSet>
#include <QStringList>
#include <QVariantMap>

namespace ck::test {

class NotificationServerStandIn : public QDBusVirtualObject {
    Q_OBJECT
public:
    struct Notification {
        uint id = 0;
        QString appName;
        uint replacesId = 0;
        QString appIcon;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        int expireTimeout = 0;
    };

    static const QStringList& allCapabilities(); // actions, body, body-markup

    explicit NotificationServerStandIn(QStringList capabilities = allCapabilities());
    ~NotificationServerStandIn() override;

    // Connects to the bus at `address` and takes the server's name and object. False if the bus
    // refused either.
    bool start(const QString& address);
    // Gives the name and object up, as a server that quits: calls then find no one.
    void stop();

    // Every accepted Notify, in order; the ones that opened a notification rather than
    // replacing one; refused calls and why.
    QList<Notification> notifications() const;
    QList<Notification> popups() const;
    QStringList violations() const;
    bool readsMarkup() const { return m_capabilities.contains(QStringLiteral("body-markup")); }

    // As the user would: clicks a notification's action, or closes it (reason 2: dismissed).
    void invokeAction(uint id, const QString& actionKey);
    void dismiss(uint id);

    bool handleMessage(const QDBusMessage& message, const QDBusConnection& connection) override;
    QString introspect(const QString& path) const override;

private:
    QDBusMessage notify(const QDBusMessage& message);
    QDBusMessage closeNotification(const QDBusMessage& message);
    QDBusMessage refuse(const QDBusMessage& message, const QString& why);
    QString hintProblem(const QDBusArgument& hints, QVariantMap& decoded) const;
    void emitSignal(const QString& name, const QVariantList& arguments);

    const QStringList m_capabilities;
    QString m_connectionName;
    bool m_started = false;
    mutable QMutex m_mutex; // calls may be handled on QtDBus's thread
    QList<Notification> m_notifications;
    QStringList m_violations;
    QSet<uint> m_open;
    uint m_lastId = 0;
};

} // namespace ck::test
