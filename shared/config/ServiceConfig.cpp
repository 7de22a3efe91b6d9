#include "config/ServiceConfig.h"

#include <QFileInfo>
#include <QHostAddress>
#include <QJsonValue>
#include <QRegularExpression>

namespace ck {

namespace {
const QStringList kLogLevels = {QStringLiteral("debug"), QStringLiteral("information"),
                                QStringLiteral("warning"), QStringLiteral("error")};
} // namespace

std::optional<std::pair<QString, int>> parseDnsResolver(const QString& text) {
    QString host = text.trimmed();
    int port = 53;
    // "[v6]:port", "v4:port", or a bare address of either family.
    static const QRegularExpression withPort(
        QStringLiteral(R"(^\[([^\]]+)\]:(\d+)$|^([^:]+):(\d+)$)"));
    if (const auto m = withPort.match(host); m.hasMatch()) {
        host = m.captured(1).isEmpty() ? m.captured(3) : m.captured(1);
        bool ok = false;
        port = (m.captured(1).isEmpty() ? m.captured(4) : m.captured(2)).toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            return std::nullopt;
    } else if (host.startsWith(u'[') && host.endsWith(u']')) {
        host = host.mid(1, host.size() - 2);
    }
    if (QHostAddress(host).isNull())
        return std::nullopt;
    return std::pair{host, port};
}

std::optional<std::pair<QString, int>> parseMailServerAddress(const QString& text) {
    // "[v6]:port" or "name-or-v4:port", nothing around it; the port is not optional.
    static const QRegularExpression form(
        QStringLiteral(R"(^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$)"));
    const auto m = form.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const int port = m.captured(3).toInt();
    if (port < 1 || port > 65535)
        return std::nullopt;
    if (m.hasCaptured(1)) {
        const QHostAddress v6(m.captured(1));
        if (v6.protocol() != QAbstractSocket::IPv6Protocol)
            return std::nullopt;
        return std::pair{m.captured(1), port};
    }
    const QString host = m.captured(2);
    // Digits and dots only: an IPv4 address in full (not "127.1" or "256.0.0.1"), never a name.
    static const QRegularExpression v4(QStringLiteral(R"(^\d{1,3}(\.\d{1,3}){3}$)"));
    static const QRegularExpression numeric(QStringLiteral(R"(^[\d.]+$)"));
    if (numeric.match(host).hasMatch()) {
        if (!v4.match(host).hasMatch() ||
            QHostAddress(host).protocol() != QAbstractSocket::IPv4Protocol)
            return std::nullopt;
        return std::pair{host, port};
    }
    // A host name: labels of letters, digits and inner dashes, at most 63 characters each and
    // 253 in all, with an optional final dot.
    static const QRegularExpression name(
        QStringLiteral(R"(^(?=.{1,254}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
                       R"((\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$)"));
    if (!name.match(host).hasMatch())
        return std::nullopt;
    return std::pair{host, port};
}

QJsonObject ServiceConfig::toJson() const {
    return {{"host", host},
            {"port", port},
            {"enableAutoPortNegotiation", enableAutoPortNegotiation},
            {"portNegotiationRange", portNegotiationRange},
            {"httpChallengeServerPort", httpChallengeServerPort},
            {"httpChallengeServerHost", httpChallengeServerHost},
            {"tlsAlpnChallengeServerPort", tlsAlpnChallengeServerPort},
            {"maxConcurrentRequests", maxConcurrentRequests},
            {"acmeRequestTimeoutSeconds", acmeRequestTimeoutSeconds},
            {"dnsResolver", dnsResolver},
            {"localMailServer", localMailServer},
            {"logLevel", logLevel},
            {"maxConnections", maxConnections},
            {"maxBodyBytes", maxBodyBytes},
            {"requestHeaderTimeoutSeconds", requestHeaderTimeoutSeconds},
            {"requestBodyTimeoutSeconds", requestBodyTimeoutSeconds},
            {"store", store.toJson()},
            {"proxy", proxy.toJson()}};
}

namespace {
// "proxy": {"url", "credentialId", "noProxy"}; every member a string, the url one the service
// can use. A proxy that cannot be used stops the start: going direct instead would reach out
// where the administrator said it must not.
std::optional<std::pair<QString, QString>> readProxy(const QJsonValue& v, ProxyConfig& out) {
    const QString hint =
        QStringLiteral("must be an object such as {\"url\": \"http://proxy.example.net:3128\", "
                       "\"credentialId\": \"\", \"noProxy\": \"localhost\"}");
    if (!v.isObject())
        return std::pair{QStringLiteral("proxy"), hint};
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString field = QStringLiteral("proxy.") + it.key();
        if (it.key() != QLatin1String("url") && it.key() != QLatin1String("credentialId") &&
            it.key() != QLatin1String("noProxy"))
            return std::pair{field, QStringLiteral("is not a proxy setting; use url, "
                                                   "credentialId and noProxy")};
        if (!it.value().isString())
            return std::pair{field, QStringLiteral("must be a string")};
    }
    out.url = o.value("url").toString().trimmed();
    out.credentialId = o.value("credentialId").toString().trimmed();
    out.noProxy = o.value("noProxy").toString();
    if (out.url.isEmpty() && !out.credentialId.isEmpty())
        return std::pair{QStringLiteral("proxy.url"),
                         QStringLiteral("is empty but a credential is named; give the proxy as "
                                        "http://host:port")};
    if (!out.url.isEmpty())
        if (const QString why = proxyUrlProblem(out.url); !why.isEmpty())
            return std::pair{QStringLiteral("proxy.url"), why};
    return std::nullopt;
}
} // namespace

std::variant<ServiceConfig, ConfigError>
ServiceConfig::fromJson(const QJsonObject& o, const QString& file, const QString& text) {
    ServiceConfig c;
    auto fail = [&](const QString& field, const QString& detail) {
        // "proxy.url": the line of "url" inside "proxy", not of the first "url" in the file.
        const QString parent = field.section(u'.', 0, 0);
        const qsizetype at =
            field.contains(u'.') ? text.indexOf(QStringLiteral("\"%1\"").arg(parent)) : -1;
        const int line =
            at < 0 ? lineOfKey(text, field) : lineOfKey(text, field.section(u'.', 1), at);
        return ConfigError{file, line, field, detail};
    };
    auto readInt = [&](const char* key, int& out, int min, int max) -> std::optional<ConfigError> {
        const auto v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return std::nullopt;
        const double d = v.toDouble(-1);
        // Range first: converting an out-of-range double to int is undefined.
        if (!v.isDouble() || d < min || d > max || d != double(int(d)))
            return fail(QLatin1String(key),
                        QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
        out = int(d);
        return std::nullopt;
    };
    // The whole-number settings and their ranges, in the order they are checked.
    struct IntSetting {
        const char* key;
        int ServiceConfig::*member;
        int min;
        int max;
    };
    static constexpr IntSetting kInts[] = {
        {"port", &ServiceConfig::port, 1, 65535},
        {"httpChallengeServerPort", &ServiceConfig::httpChallengeServerPort, 1, 65535},
        {"tlsAlpnChallengeServerPort", &ServiceConfig::tlsAlpnChallengeServerPort, 1, 65535},
        {"portNegotiationRange", &ServiceConfig::portNegotiationRange, 0, 1000},
        {"maxConcurrentRequests", &ServiceConfig::maxConcurrentRequests, 1, 1000},
        {"acmeRequestTimeoutSeconds", &ServiceConfig::acmeRequestTimeoutSeconds, 1, 600},
        {"maxConnections", &ServiceConfig::maxConnections, 1, 10000},
        {"maxBodyBytes", &ServiceConfig::maxBodyBytes, 1024, 256 * 1024 * 1024},
        {"requestHeaderTimeoutSeconds", &ServiceConfig::requestHeaderTimeoutSeconds, 1, 600},
        {"requestBodyTimeoutSeconds", &ServiceConfig::requestBodyTimeoutSeconds, 1, 600},
    };
    for (const IntSetting& setting : kInts)
        if (auto e = readInt(setting.key, c.*setting.member, setting.min, setting.max))
            return *e;
    if (const auto v = o.value("host"); !v.isUndefined()) {
        if (!v.isString() || QHostAddress(v.toString()).isNull())
            return fail(QStringLiteral("host"),
                        QStringLiteral("must be an IP address such as 127.0.0.1"));
        c.host = v.toString();
    }
    if (const auto v = o.value("httpChallengeServerHost"); !v.isUndefined()) {
        if (!v.isString() || QHostAddress(v.toString()).isNull())
            return fail(QStringLiteral("httpChallengeServerHost"),
                        QStringLiteral("must be an IP address such as :: or 0.0.0.0"));
        c.httpChallengeServerHost = v.toString();
    }
    if (const auto v = o.value("dnsResolver"); !v.isUndefined()) {
        if (!v.isString() || (!v.toString().isEmpty() && !parseDnsResolver(v.toString())))
            return fail(QStringLiteral("dnsResolver"),
                        QStringLiteral("must be empty (the system's resolver) or an IP address "
                                       "with an optional port, such as 9.9.9.9 or "
                                       "[2620:fe::fe]:53"));
        c.dnsResolver = v.toString();
    }
    if (const auto v = o.value("localMailServer"); !v.isUndefined()) {
        if (!v.isString() || (!v.toString().isEmpty() && !parseMailServerAddress(v.toString())))
            return fail(QStringLiteral("localMailServer"),
                        QStringLiteral("must be empty (mail to root through sendmail only) or "
                                       "this machine's mail server as host:port, such as "
                                       "localhost:25, 127.0.0.1:25 or [::1]:25"));
        c.localMailServer = v.toString();
    }
    if (const auto v = o.value("enableAutoPortNegotiation"); !v.isUndefined()) {
        if (!v.isBool())
            return fail(QStringLiteral("enableAutoPortNegotiation"),
                        QStringLiteral("must be true or false"));
        c.enableAutoPortNegotiation = v.toBool();
    }
    if (const auto v = o.value("proxy"); !v.isUndefined())
        if (const auto problem = readProxy(v, c.proxy))
            return fail(problem->first, problem->second);
    if (const auto v = o.value("logLevel"); !v.isUndefined()) {
        if (!v.isString() || !kLogLevels.contains(v.toString()))
            return fail(QStringLiteral("logLevel"),
                        QStringLiteral("must be one of: ") + kLogLevels.join(QStringLiteral(", ")));
        c.logLevel = v.toString();
    }
    if (const auto v = o.value("store"); !v.isUndefined()) {
        if (!v.isObject())
            return fail(QStringLiteral("store"),
                        QStringLiteral("must be an object such as {\"engine\": \"sqlite\"}"));
        auto parsed = StoreSettings::fromJson(v.toObject());
        if (const auto* error = std::get_if<QString>(&parsed))
            return fail(QStringLiteral("store"), *error);
        c.store = std::get<StoreSettings>(std::move(parsed));
    }
    return c;
}

std::variant<ServiceConfig, ConfigError> ServiceConfig::loadOrCreate(const QString& path) {
    if (!QFileInfo::exists(path)) {
        ServiceConfig defaults;
        QString error;
        if (!writeJsonFileAtomic(path, QJsonDocument(defaults.toJson()), &error, 0644))
            return ConfigError{path, 0, {}, QStringLiteral("cannot be created: %1").arg(error)};
        return defaults;
    }
    auto r = readJsonFile(path);
    if (r.error)
        return *r.error;
    if (!r.document.isObject())
        return ConfigError{path, 1, {}, QStringLiteral("must hold a JSON object { ... }")};
    return fromJson(r.document.object(), path, r.text);
}

} // namespace ck
