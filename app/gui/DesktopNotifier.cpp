#include "gui/DesktopNotifier.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QVariantMap>

namespace ck::gui {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
const QString kDefaultAction = QStringLiteral("default");
// The installed icon and desktop entry (packaging/); servers find the app's name and icon there.
const QString kAppName = QStringLiteral("Certkeeper");
const QString kAppIcon = QStringLiteral("certkeeper");
constexpr int kServerDefaultTimeout = -1;

QDBusMessage notifyCall(const QString& method) {
    return QDBusMessage::createMethodCall(kService, kPath, kInterface, method);
}
} // namespace

DesktopNotifier::DesktopNotifier(QObject* parent) : QObject(parent) {
    QDBusConnection bus = QDBusConnection::sessionBus();
    m_busConnected = bus.isConnected();
    if (!m_busConnected)
        return;
    bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this,
                SLOT(actionInvoked(uint, QString)));
    bus.connect(kService, kPath, kInterface, QStringLiteral("NotificationClosed"), this,
                SLOT(notificationClosed(uint, uint)));
}

QString DesktopNotifier::escapedBody(const QString& plain) {
    return plain.toHtmlEscaped();
}

void DesktopNotifier::show(const DesktopNotice& notice) {
    if (!m_busConnected) {
        fallBack(notice);
        return;
    }
    if (m_server == Server::Known) {
        send(notice);
        return;
    }
    m_waiting.append(notice);
    if (m_server == Server::Unknown)
        askCapabilities();
}

void DesktopNotifier::askCapabilities() {
    m_server = Server::Asking;
    auto* watcher = new QDBusPendingCallWatcher(
        QDBusConnection::sessionBus().asyncCall(notifyCall(QStringLiteral("GetCapabilities")),
                                                kCallTimeoutMs),
        this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this](QDBusPendingCallWatcher* call) {
                call->deleteLater();
                const QDBusPendingReply<QStringList> reply = *call;
                const QList<DesktopNotice> waiting = std::exchange(m_waiting, {});
                if (reply.isError()) { // no server (or no bus): ask again with the next notice
                    m_server = Server::Unknown;
                    for (const DesktopNotice& notice : waiting)
                        fallBack(notice);
                    return;
                }
                m_server = Server::Known;
                m_serverHasActions = reply.value().contains(QStringLiteral("actions"));
                m_serverReadsMarkup = reply.value().contains(QStringLiteral("body-markup"));
                for (const DesktopNotice& notice : waiting)
                    send(notice);
            });
}

void DesktopNotifier::send(const DesktopNotice& notice) {
    const uint replaces = notice.thread != 0 ? m_idOfThread.value(notice.thread, 0) : 0;
    QStringList actions;
    if (m_serverHasActions && !notice.itemId.isEmpty())
        actions << kDefaultAction << tr("Show");
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(notice.urgency)));
    hints.insert(QStringLiteral("desktop-entry"), kAppIcon);
    QDBusMessage call = notifyCall(QStringLiteral("Notify"));
    call << kAppName << replaces << kAppIcon << notice.summary
         << (m_serverReadsMarkup ? escapedBody(notice.body) : notice.body) << actions << hints
         << kServerDefaultTimeout;
    auto* watcher = new QDBusPendingCallWatcher(
        QDBusConnection::sessionBus().asyncCall(call, kCallTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, notice](QDBusPendingCallWatcher* pending) {
                pending->deleteLater();
                const QDBusPendingReply<uint> reply = *pending;
                if (reply.isError()) {
                    serverGone();
                    fallBack(notice);
                    return;
                }
                const uint id = reply.value();
                m_itemOfId.insert(id, notice.itemId);
                if (notice.thread != 0)
                    m_idOfThread.insert(notice.thread, id);
                Q_EMIT delivered(Route::Desktop);
            });
}

void DesktopNotifier::fallBack(const DesktopNotice& notice) {
    const bool shown = m_fallback && m_fallback(notice);
    Q_EMIT delivered(shown ? Route::Fallback : Route::Nowhere);
}

void DesktopNotifier::serverGone() {
    // Another server may take the name, with other capabilities and ids.
    m_server = Server::Unknown;
    m_itemOfId.clear();
    m_idOfThread.clear();
}

void DesktopNotifier::actionInvoked(uint id, const QString& actionKey) {
    const auto it = m_itemOfId.constFind(id);
    if (it != m_itemOfId.cend() && actionKey == kDefaultAction)
        Q_EMIT activated(*it);
}

void DesktopNotifier::notificationClosed(uint id, uint /*reason*/) {
    m_itemOfId.remove(id);
    // A closed notice cannot be replaced: the thread's next one is a new notice.
    for (auto it = m_idOfThread.begin(); it != m_idOfThread.end();)
        it = it.value() == id ? m_idOfThread.erase(it) : std::next(it);
}

} // namespace ck::gui
