#include "ChallengePlacement.h"

#include "challenges/Http01Listener.h"
#include "logging/ItemLog.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace ck {

namespace {
bool matches(const QString& pattern, const QString& name) {
    const QString p = pattern.trimmed().toLower();
    if (p.isEmpty())
        return false;
    if (p == name)
        return true;
    if (p.startsWith(QLatin1String("*.")))
        return name.endsWith(p.mid(1)) || name == p.mid(2);
    return false;
}
} // namespace

ChallengeConfig challengeConfigFor(const RequestConfig& rc, const QString& name) {
    static const QRegularExpression separators(QStringLiteral("[;,\\s]+"));
    for (const auto& c : rc.challenges)
        for (const auto& pattern : c.domainMatch.split(separators, Qt::SkipEmptyParts))
            if (matches(pattern, name.toLower()))
                return c;
    for (const auto& c : rc.challenges)
        if (c.domainMatch.trimmed().isEmpty())
            return c;
    ChallengeConfig listener;
    listener.type = QStringLiteral("http-01");
    return listener;
}

ChallengePlacement::~ChallengePlacement() {
    removeAll();
}

void ChallengePlacement::removeAll() {
    while (!m_undo.empty()) {
        m_undo.back()();
        m_undo.pop_back();
    }
}

void ChallengePlacement::placeHttp01(const ChallengeConfig& config, const QString& name,
                                     const QString& token, const QString& keyAuthorization) {
    if (config.provider == QLatin1String("webroot") || !config.webrootPath.isEmpty()) {
        if (config.webrootPath.isEmpty() || !QDir(config.webrootPath).exists())
            throw ApiError(ApiError::Kind::Validation,
                           QStringLiteral("The webroot folder '%1' for %2 does not exist")
                               .arg(config.webrootPath, name),
                           QStringLiteral("requestConfig.challenges"));
        const QString dir = config.webrootPath + QStringLiteral("/.well-known/acme-challenge");
        const bool createdDir = !QDir(dir).exists();
        if (!QDir().mkpath(dir))
            throw ApiError(
                ApiError::Kind::Validation,
                QStringLiteral("Cannot create %1 (check the service user's permissions)").arg(dir));
        const QString file = dir + u'/' + token;
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly) || f.write(keyAuthorization.toLatin1()) < 0)
            throw ApiError(ApiError::Kind::Validation,
                           QStringLiteral("Cannot write %1: %2").arg(file, f.errorString()));
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                         QFile::ReadOther);
        m_log.info(QStringLiteral("Placed the http-01 response for %1 in %2").arg(name, file));
        m_undo.push_back([this, file, dir, createdDir, webroot = config.webrootPath] {
            QFile::remove(file);
            if (createdDir) { // leave the folders as we found them
                QDir().rmdir(dir);
                QDir().rmdir(webroot + QStringLiteral("/.well-known"));
            }
            m_log.info(QStringLiteral("Removed %1").arg(file));
        });
        return;
    }
    try {
        m_http01.add(token, keyAuthorization);
    } catch (const std::exception& e) {
        throw ApiError(ApiError::Kind::Validation, QString::fromUtf8(e.what()),
                       QStringLiteral("httpChallengeServerPort"));
    }
    m_log.info(
        QStringLiteral("Answering http-01 for %1 on port %2").arg(name).arg(m_http01.port()));
    m_undo.push_back([this, token] { m_http01.remove(token); });
}

} // namespace ck
