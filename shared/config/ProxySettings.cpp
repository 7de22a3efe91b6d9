#include "config/ProxySettings.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

namespace ck {

namespace {
QString withoutBrackets(QString host) {
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    return host.toLower();
}

// "proxy:3128" is what many environments set: read as http://.
QString withScheme(const QString& url) {
    return url.contains(QLatin1String("://")) ? url : QStringLiteral("http://") + url;
}
} // namespace

QJsonObject ProxyConfig::toJson() const {
    return {{"url", url}, {"credentialId", credentialId}, {"noProxy", noProxy}};
}

QString proxyUrlProblem(const QString& text, bool allowUserInfo) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("is empty; give the proxy as http://host:port");
    const QUrl url(allowUserInfo ? withScheme(trimmed) : trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        // Not echoed when it may hold a password (user:password@).
        return allowUserInfo ? QStringLiteral("is not a URL; give the proxy as http://host:port")
                             : QStringLiteral("'%1' is not a URL; give the proxy as "
                                              "http://host:port")
                                   .arg(text);
    if (url.scheme() != QLatin1String("http"))
        return QStringLiteral("'%1' is not an http:// proxy address (the service speaks plain HTTP "
                              "to the proxy and tunnels TLS through it with CONNECT); give it "
                              "as http://host:port")
            .arg(url.toString(QUrl::RemoveUserInfo));
    if (url.port() < 1)
        return QStringLiteral("'%1' names no port; give it as http://host:port, such as "
                              "http://proxy.example.net:3128")
            .arg(url.toString(QUrl::RemoveUserInfo));
    if (!allowUserInfo && !url.userInfo().isEmpty())
        return QStringLiteral("has a user name or password in the URL; store them as a credential "
                              "of type \"proxy\" and name it in \"credentialId\" instead");
    const QString path = url.path();
    if ((!path.isEmpty() && path != QLatin1String("/")) || url.hasQuery() || url.hasFragment())
        return QStringLiteral("'%1' has a path; give only http://host:port")
            .arg(url.toString(QUrl::RemoveUserInfo));
    return {};
}

QStringList parseNoProxy(const QString& text) {
    QStringList entries;
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    for (QString entry : text.split(separators, Qt::SkipEmptyParts)) {
        entry = entry.toLower();
        while (entry.startsWith(u'.') || (entry.startsWith(u'*') && entry.size() > 1))
            entry.remove(0, 1);
        // "host:port" (not an IPv6 address): the port is dropped, the host is what matters.
        if (entry.count(u':') == 1)
            entry = entry.section(u':', 0, 0);
        entry = withoutBrackets(entry);
        if (!entry.isEmpty() && !entries.contains(entry))
            entries << entry;
    }
    return entries;
}

bool OutgoingProxy::bypasses(const QString& destinationHost) const {
    if (!enabled())
        return true;
    QString target = withoutBrackets(destinationHost);
    if (target.endsWith(u'.'))
        target.chop(1);
    for (const QString& entry : noProxy) {
        if (entry == QLatin1String("*") || target == entry)
            return true;
        // A name covers the names below it; an address only itself.
        if (QHostAddress(entry).isNull() && target.endsWith(u'.' + entry))
            return true;
    }
    return false;
}

QString OutgoingProxy::address() const {
    if (!enabled())
        return {};
    const QString h = host.contains(u':') ? QStringLiteral("[%1]").arg(host) : host;
    return QStringLiteral("http://%1:%2").arg(h).arg(port);
}

QString OutgoingProxy::describe() const {
    if (!enabled())
        return QStringLiteral("none (direct connections)");
    QString text = QStringLiteral("%1 (from %2").arg(address(), source);
    if (!user.isEmpty())
        text += QStringLiteral(", as user %1").arg(user);
    if (!noProxy.isEmpty())
        text += QStringLiteral("; not for %1").arg(noProxy.join(QStringLiteral(", ")));
    return text + u')';
}

OutgoingProxy proxyFromUrl(const QString& text, const QString& noProxy, const QString& source) {
    const QUrl url(withScheme(text.trimmed()));
    OutgoingProxy proxy;
    proxy.host = withoutBrackets(url.host());
    proxy.port = url.port();
    proxy.user = url.userName(QUrl::FullyDecoded);
    proxy.password = url.password(QUrl::FullyDecoded);
    proxy.noProxy = parseNoProxy(noProxy);
    proxy.source = source;
    return proxy;
}

std::optional<OutgoingProxy> proxyFromEnvironment(const QProcessEnvironment& environment,
                                                  QString* problem) {
    QString variable;
    for (const char* name : {"https_proxy", "HTTPS_PROXY"})
        if (!environment.value(QLatin1String(name)).trimmed().isEmpty()) {
            variable = QLatin1String(name);
            break;
        }
    if (variable.isEmpty())
        return std::nullopt;
    const QString url = environment.value(variable).trimmed();
    if (const QString why = proxyUrlProblem(url, true); !why.isEmpty()) {
        *problem = QStringLiteral("The environment variable %1 %2").arg(variable, why);
        return std::nullopt;
    }
    const QString noProxy = environment.contains(QStringLiteral("no_proxy"))
                                ? environment.value(QStringLiteral("no_proxy"))
                                : environment.value(QStringLiteral("NO_PROXY"));
    return proxyFromUrl(url, noProxy, variable);
}

} // namespace ck
