#include "NotificationServerStandIn.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusVariant>
#include <QMutexLocker>

namespace ck::test {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
const QString kIntrospectable = QStringLiteral("org.freedesktop.DBus.Introspectable");

// The specification's standard hints and their D-Bus types; others must be vendor hints ("x-").
const QMap<QString, QString>& standardHints() {
    static const QMap<QString, QString> hints{{"action-icons", "b"},
                                              {"category", "s"},
                                              {"desktop-entry", "s"},
                                              {"image-data", "(iiibiiay)"},
                                              {"image_data", "(iiibiiay)"},
                                              {"image-path", "s"},
                                              {"image_path", "s"},
                                              {"icon_data", "(iiibiiay)"},
                                              {"resident", "b"},
                                              {"sound-file", "s"},
                                              {"sound-name", "s"},
                                              {"suppress-sound", "b"},
                                              {"transient", "b"},
                                              {"x", "i"},
                                              {"y", "i"},
                                              {"urgency", "y"}};
    return hints;
}

QString signatureOf(const QVariant& value) {
    if (value.metaType() == QMetaType::fromType<QDBusArgument>())
        return value.value<QDBusArgument>().currentSignature();
    return QString::fromLatin1(QDBusMetaType::typeToSignature(value.metaType()));
}

// The methods as the specification defines them: name, argument signature, reply signature.
struct Method {
    QString in;
    QString out;
};
const QMap<QString, Method>& methods() {
    static const QMap<QString, Method> all{{"Notify", {"susssasa{sv}i", "u"}},
                                           {"GetCapabilities", {"", "as"}},
                                           {"GetServerInformation", {"", "ssss"}},
                                           {"CloseNotification", {"u", ""}}};
    return all;
}
} // namespace

const QStringList& NotificationServerStandIn::allCapabilities() {
    static const QStringList all{QStringLiteral("actions"), QStringLiteral("body"),
                                 QStringLiteral("body-markup")};
    return all;
}

NotificationServerStandIn::NotificationServerStandIn(QStringList capabilities)
    : m_capabilities(std::move(capabilities)),
      m_connectionName(
          QStringLiteral("notification-server-standin-%1").arg(quintptr(this), 0, 16)) {}

NotificationServerStandIn::~NotificationServerStandIn() {
    stop();
    QDBusConnection::disconnectFromBus(m_connectionName);
}

bool NotificationServerStandIn::start(const QString& address) {
    QDBusConnection bus = QDBusConnection::connectToBus(address, m_connectionName);
    if (!bus.isConnected()) {
        qWarning("stand-in: no bus at %s: %s", qPrintable(address),
                 qPrintable(bus.lastError().message()));
        return false;
    }
    if (!bus.registerVirtualObject(kPath, this) || !bus.registerService(kService)) {
        qWarning("stand-in: cannot take %s: %s", qPrintable(kService),
                 qPrintable(bus.lastError().message()));
        bus.unregisterObject(kPath);
        return false;
    }
    m_started = true;
    return true;
}

void NotificationServerStandIn::stop() {
    if (!m_started)
        return;
    QDBusConnection bus(m_connectionName);
    bus.unregisterService(kService);
    bus.unregisterObject(kPath);
    m_started = false;
}

QList<NotificationServerStandIn::Notification> NotificationServerStandIn::notifications() const {
    QMutexLocker lock(&m_mutex);
    return m_notifications;
}

QList<NotificationServerStandIn::Notification> NotificationServerStandIn::popups() const {
    QList<Notification> opened;
    for (const Notification& n : notifications())
        if (n.id != n.replacesId)
            opened << n;
    return opened;
}

QStringList NotificationServerStandIn::violations() const {
    QMutexLocker lock(&m_mutex);
    return m_violations;
}

bool NotificationServerStandIn::handleMessage(const QDBusMessage& message,
                                              const QDBusConnection& connection) {
    if (message.type() != QDBusMessage::MethodCallMessage)
        return false;
    if (message.interface() == kIntrospectable && message.member() == "Introspect") {
        connection.send(message.createReply(introspect(message.path())));
        return true;
    }
    const auto method = methods().constFind(message.member());
    if (!message.interface().isEmpty() && message.interface() != kInterface)
        return false; // QtDBus answers UnknownInterface
    if (method == methods().cend()) {
        connection.send(refuse(message, QStringLiteral("no method %1").arg(message.member())));
        return true;
    }
    if (message.signature() != method->in) {
        connection.send(
            refuse(message, QStringLiteral("%1 takes (%2), was called with (%3)")
                                .arg(message.member(), method->in, message.signature())));
        return true;
    }
    QDBusMessage reply;
    if (message.member() == "Notify")
        reply = notify(message);
    else if (message.member() == "CloseNotification")
        reply = closeNotification(message);
    else if (message.member() == "GetCapabilities")
        reply = message.createReply(m_capabilities);
    else
        reply = message.createReply(QVariantList{QStringLiteral("certkeeper-test-standin"),
                                                 QStringLiteral("Certkeeper tests"),
                                                 QStringLiteral("1.0"), QStringLiteral("1.2")});
    connection.send(reply);
    return true;
}

QDBusMessage NotificationServerStandIn::refuse(const QDBusMessage& message, const QString& why) {
    QMutexLocker lock(&m_mutex);
    m_violations << why;
    return message.createErrorReply(QDBusError::InvalidArgs, why);
}

QString NotificationServerStandIn::hintProblem(const QDBusArgument& hints,
                                               QVariantMap& decoded) const {
    hints.beginMap();
    while (!hints.atEnd()) {
        QString key;
        QDBusVariant value;
        hints.beginMapEntry();
        hints >> key >> value;
        hints.endMapEntry();
        const QString type = signatureOf(value.variant());
        const auto standard = standardHints().constFind(key);
        if (standard == standardHints().cend() && !key.startsWith(QLatin1String("x-")))
            return QStringLiteral("hint %1 is neither standard nor a vendor's (x-)").arg(key);
        if (standard != standardHints().cend() && type != *standard)
            return QStringLiteral("hint %1 is of type %2, not %3").arg(key, type, *standard);
        if (key == "urgency" && value.variant().value<uchar>() > 2)
            return QStringLiteral("urgency %1 is not 0, 1 or 2").arg(value.variant().toInt());
        decoded.insert(key, value.variant());
    }
    hints.endMap();
    return {};
}

QDBusMessage NotificationServerStandIn::notify(const QDBusMessage& message) {
    const QVariantList args = message.arguments();
    Notification n;
    n.appName = args.at(0).toString();
    n.replacesId = args.at(1).toUInt();
    n.appIcon = args.at(2).toString();
    n.summary = args.at(3).toString();
    n.body = args.at(4).toString();
    n.actions = args.at(5).toStringList();
    n.expireTimeout = args.at(7).toInt();
    if (const QString problem = hintProblem(args.at(6).value<QDBusArgument>(), n.hints);
        !problem.isEmpty())
        return refuse(message, problem);
    if (n.actions.size() % 2 != 0)
        return refuse(message, QStringLiteral("actions are not key-label pairs: %1")
                                   .arg(n.actions.join(QLatin1Char(','))));
    if (n.expireTimeout < -1)
        return refuse(message, QStringLiteral("expire_timeout %1 < -1").arg(n.expireTimeout));
    QMutexLocker lock(&m_mutex);
    n.id = m_open.contains(n.replacesId) ? n.replacesId : ++m_lastId;
    m_open.insert(n.id);
    m_notifications << n;
    return message.createReply(QVariant::fromValue(n.id));
}

QDBusMessage NotificationServerStandIn::closeNotification(const QDBusMessage& message) {
    const uint id = message.arguments().at(0).toUInt();
    {
        QMutexLocker lock(&m_mutex);
        if (!m_open.remove(id)) // the specification: an empty error when it is not open
            return message.createErrorReply(QDBusError::Failed, QString());
    }
    emitSignal(QStringLiteral("NotificationClosed"), {QVariant::fromValue(id), 3u});
    return message.createReply();
}

void NotificationServerStandIn::invokeAction(uint id, const QString& actionKey) {
    emitSignal(QStringLiteral("ActionInvoked"), {QVariant::fromValue(id), actionKey});
}

void NotificationServerStandIn::dismiss(uint id) {
    {
        QMutexLocker lock(&m_mutex);
        m_open.remove(id);
    }
    emitSignal(QStringLiteral("NotificationClosed"), {QVariant::fromValue(id), 2u});
}

void NotificationServerStandIn::emitSignal(const QString& name, const QVariantList& arguments) {
    QDBusMessage signal = QDBusMessage::createSignal(kPath, kInterface, name);
    signal.setArguments(arguments);
    QDBusConnection(m_connectionName).send(signal);
}

QString NotificationServerStandIn::introspect(const QString&) const {
    return QStringLiteral(R"(<interface name="org.freedesktop.Notifications">
  <method name="Notify">
    <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
    <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
    <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
    <arg type="u" direction="out"/>
  </method>
  <method name="GetCapabilities"><arg type="as" direction="out"/></method>
  <method name="GetServerInformation">
    <arg type="s" direction="out"/><arg type="s" direction="out"/>
    <arg type="s" direction="out"/><arg type="s" direction="out"/>
  </method>
  <method name="CloseNotification"><arg type="u" direction="in"/></method>
  <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
</interface>
)");
}

} // namespace ck::test
