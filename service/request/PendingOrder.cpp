#include "PendingOrder.h"

#include "ManagedCertificate.h"
#include "SecretFiles.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ck {

namespace {
QString orderPath(const QString& base) {
    return base + QStringLiteral(".json");
}
} // namespace

QString PendingOrder::basePath(const QString& dataDir, const QString& itemId) {
    const QString dir = dataDir + QStringLiteral("/pending-orders");
    QDir().mkpath(dir);
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return dir + QLatin1Char('/') + itemId;
}

QString PendingOrder::keyPath(const QString& base) {
    return base + QStringLiteral("-key.pem");
}

QStringList PendingOrder::identifiersOf(const ManagedCertificate& item) {
    QStringList ids;
    for (const auto& name : item.domains())
        ids << QStringLiteral("dns:") + name;
    for (const auto& ip : item.requestConfig.ipIdentifiers)
        ids << QStringLiteral("ip:") + ip;
    return ids;
}

PendingOrder PendingOrder::forItem(const ManagedCertificate& item, const QString& orderUrl) {
    return {orderUrl, item.certificateAuthorityId, item.useStagingMode, identifiersOf(item)};
}

bool PendingOrder::stillPendingFor(const ManagedCertificate& item) const {
    return orderUrl != item.currentOrderUrl &&
           certificateAuthorityId == item.certificateAuthorityId &&
           staging == item.useStagingMode && identifiers == identifiersOf(item);
}

std::optional<PendingOrder> PendingOrder::load(const QString& base) {
    QFile f(orderPath(base));
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    PendingOrder order;
    order.orderUrl = o.value("orderUrl").toString();
    order.certificateAuthorityId = o.value("certificateAuthorityId").toString();
    order.staging = o.value("staging").toBool();
    for (const auto& id : o.value("identifiers").toArray())
        order.identifiers << id.toString();
    if (order.orderUrl.isEmpty())
        return std::nullopt;
    return order;
}

QString PendingOrder::save(const QString& base) const {
    const QJsonObject o{{"orderUrl", orderUrl},
                        {"certificateAuthorityId", certificateAuthorityId},
                        {"staging", staging},
                        {"identifiers", QJsonArray::fromStringList(identifiers)}};
    QString error;
    crypto::writePrivateFile(orderPath(base), QJsonDocument(o).toJson(), &error);
    return error;
}

void PendingOrder::discard(const QString& base) {
    QFile::remove(orderPath(base));
    QFile::remove(keyPath(base));
}

} // namespace ck
