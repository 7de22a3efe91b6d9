#include "licensing/LicenseManager.h"

#include "config/DataFile.h"
#include "config/JsonFile.h"
#include "licensing/LicenseKey.h"
#include "model/JsonReader.h"

#include <QFile>
#include <QUuid>

#include <algorithm>
#include <cerrno>

namespace ck::licensing {

namespace {
QString dateText(const QDateTime& time) {
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd"));
}

QString howToLift() {
    return QStringLiteral("Remove a certificate you no longer need, or enter a license key "
                          "(About > Enter Key in the app, or certkeeper-cli activate KEY).");
}
} // namespace

LicenseManager::LicenseManager(QString dataDir, QByteArray publicKey, const Clock& clock)
    : m_dataDir(std::move(dataDir)), m_publicKey(std::move(publicKey)), m_clock(&clock) {}

QString LicenseManager::filePath(const char* name) const {
    return m_dataDir + u'/' + QLatin1String(name);
}

QDateTime LicenseManager::now() const {
    return m_clock->now();
}

QStringList LicenseManager::load() {
    QStringList notices;
    m_activation.reset();
    m_loadProblem.clear();
    const QString idPath = filePath(kInstallIdFile);
    const DataFileRead id = readDataFile(idPath, 4096);
    if (id.ok())
        m_installId = QString::fromLatin1(id.bytes.left(100)).trimmed();
    if (QUuid::fromString(m_installId).isNull()) {
        if (!id.missing)
            notices << QStringLiteral("%1 was not a valid install id (it %2) and was made anew")
                           .arg(idPath,
                                id.ok() ? QStringLiteral("holds something else") : id.problem);
        m_installId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QString error;
        if (!writeFileAtomic(idPath, m_installId.toLatin1() + '\n', 0644, &error))
            notices << QStringLiteral("Cannot write %1: %2; the install id changes at every start "
                                      "and an activated license will not hold")
                           .arg(idPath, error);
    }

    const QString path = filePath(kLicenseFile);
    if (!QFile::exists(path))
        return notices;
    const auto file = readJsonFile(path);
    const QJsonObject record = file.document.object();
    const QString key = record.value(QLatin1String("key")).toString();
    const QString boundTo = record.value(QLatin1String("installId")).toString();
    if (file.error || key.isEmpty()) {
        m_loadProblem =
            QStringLiteral("%1 cannot be read%2; the Community edition applies "
                           "until the key is entered again")
                .arg(path,
                     file.error ? QStringLiteral(" (it %1)").arg(file.error->detail) : QString());
    } else if (boundTo != m_installId) {
        m_loadProblem = QStringLiteral("The license in %1 was activated on another install (%2); "
                                       "the Community edition applies until the key is "
                                       "activated here")
                            .arg(path, boundTo);
    } else {
        // Checked without expiry here (an expired key still shows who it belonged to); expiry
        // is judged at each question against the clock.
        const auto checked =
            checkLicenseKey(key, m_publicKey, QDateTime::fromSecsSinceEpoch(0, Qt::UTC));
        if (const auto* refusal = std::get_if<KeyRefusal>(&checked)) {
            m_loadProblem = QStringLiteral("The activated license key is no longer accepted (%1); "
                                           "the Community edition applies")
                                .arg(refusal->message);
        } else {
            Activation a;
            a.key = key;
            a.payload = std::get<LicensePayload>(checked);
            a.activatedAt = QDateTime::fromString(
                record.value(QLatin1String("activatedAt")).toString(), Qt::ISODateWithMs);
            m_activation = a;
        }
    }
    if (!m_loadProblem.isEmpty())
        notices << m_loadProblem;
    else if (m_activation && !current())
        notices << info(0).warning; // expired: say so at start, in the log and diagnostics
    return notices;
}

const LicenseManager::Activation* LicenseManager::current() const {
    if (!m_activation)
        return nullptr;
    const auto& expires = m_activation->payload.expires;
    if (expires.isValid() && expires <= now())
        return nullptr;
    return &*m_activation;
}

int LicenseManager::itemLimit() const {
    const Activation* a = current();
    return a ? a->payload.itemLimit : kCommunityItemLimit;
}

LicenseInfo LicenseManager::info(int itemsUsed) const {
    LicenseInfo info;
    info.installId = m_installId;
    info.itemsUsed = itemsUsed;
    info.itemLimit = itemLimit();
    if (m_activation) {
        const auto& p = m_activation->payload;
        info.licensee = p.licensee;
        info.expires = p.expires;
        info.activatedAt = m_activation->activatedAt;
        info.keyId = p.keyId;
    }
    if (current()) {
        info.licensed = true;
        info.edition = m_activation->payload.edition;
    } else if (m_activation) {
        info.warning = QStringLiteral("The %1 license for %2 expired on %3: the Community "
                                      "edition's limit of %4 certificates applies again. Your "
                                      "certificates are kept and still renew; enter a renewed key "
                                      "to add more.")
                           .arg(m_activation->payload.edition, m_activation->payload.licensee,
                                dateText(m_activation->payload.expires))
                           .arg(kCommunityItemLimit);
    } else {
        info.warning = m_loadProblem;
    }
    return info;
}

ItemAllowance LicenseManager::allowance() const {
    ItemAllowance allowance;
    allowance.limit = itemLimit();
    const Activation* a = current();
    allowance.licensed = a != nullptr;
    allowance.holder =
        a ? QStringLiteral("Your %1 license (%2)").arg(a->payload.edition, a->payload.licensee)
          : QStringLiteral("The Community edition");
    return allowance;
}

AllowanceFit ItemAllowance::fit(int itemsUsed, int adding) const {
    AllowanceFit result;
    if (limit == 0 || adding <= 0 || itemsUsed + adding <= limit) {
        result.fitting = std::max(0, adding);
        return result;
    }
    result.fitting = std::max(0, limit - itemsUsed);
    result.refused = true;
    const QString what = adding == 1 ? QStringLiteral("another certificate")
                                     : QStringLiteral("%1 more certificates").arg(adding);
    QString message = QStringLiteral("%1 manages at most %2 certificates and %3 are managed "
                                     "already, so %4 cannot be added. ")
                          .arg(holder)
                          .arg(limit)
                          .arg(itemsUsed)
                          .arg(what);
    message += licensed ? QStringLiteral("Remove a certificate you no longer need, or ask the "
                                         "vendor for a key with a higher limit.")
                        : howToLift();
    result.reason = message;
    return result;
}

void ItemAllowance::require(int itemsUsed, int adding) const {
    const AllowanceFit f = fit(itemsUsed, adding);
    if (f.refused)
        throw LimitReachedError(f.reason);
}

void LicenseManager::activate(const QString& key) {
    const auto checked = checkLicenseKey(key, m_publicKey, now());
    if (const auto* refusal = std::get_if<KeyRefusal>(&checked))
        throw InvalidInputError(refusal->message, QStringLiteral("key"));
    Activation a;
    a.key = key.simplified().remove(u' ');
    a.payload = std::get<LicensePayload>(checked);
    a.activatedAt = now();
    const QJsonObject record{{"key", a.key},
                             {"installId", m_installId},
                             {"activatedAt", dateToJson(a.activatedAt)},
                             {"licensee", a.payload.licensee},
                             {"edition", a.payload.edition}};
    QString error;
    if (!writeJsonFileAtomic(filePath(kLicenseFile), QJsonDocument(record), &error, 0600)) {
        if (isDiskFull(errno))
            throw StorageFullError::whileSaving(QStringLiteral("the license key (it is valid)"),
                                                error);
        throw InternalError(QStringLiteral("The key is valid but cannot be saved: %1").arg(error));
    }
    m_activation = a;
    m_loadProblem.clear();
}

void LicenseManager::deactivate() {
    const QString path = filePath(kLicenseFile);
    if (!m_activation && !QFile::exists(path))
        throw NotFoundError(
            QStringLiteral("This install has no license to deactivate; it is on the "
                           "Community edition"));
    if (QFile::exists(path) && !QFile::remove(path))
        throw InternalError(
            QStringLiteral("Cannot remove %1; check the data directory's permissions").arg(path));
    m_activation.reset();
    m_loadProblem.clear();
}

} // namespace ck::licensing
