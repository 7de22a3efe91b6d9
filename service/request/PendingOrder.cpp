#include "request/PendingOrder.h"

#include "acme/AcmeError.h"
#include "config/DataFile.h"
#include "crypto/SecretFiles.h"
#include "logging/ItemLog.h"
#include "model/ManagedCertificate.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ck::request {

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

QSet<QString> PendingOrder::itemsWithOrders(const QString& dataDir) {
    QSet<QString> items;
    const QDir dir(dataDir + QStringLiteral("/pending-orders"));
    for (const QString& name : dir.entryList({QStringLiteral("*.json")}, QDir::Files))
        items.insert(name.chopped(5)); // ".json"
    return items;
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
    const DataFileRead read = readDataFile(orderPath(base));
    if (!read.ok())
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(read.bytes).object();
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

awaitable<std::optional<acme::Order>> resumePendingOrder(acme::AcmeSession& session,
                                                         const ManagedCertificate& item,
                                                         const QString& pendingBase,
                                                         logging::ItemLog& log) {
    const std::optional<PendingOrder> pending = PendingOrder::load(pendingBase);
    if (!pending)
        co_return std::nullopt;
    if (!pending->stillPendingFor(item)) {
        PendingOrder::discard(pendingBase);
        co_return std::nullopt;
    }
    acme::Order order;
    QString unusable;
    try {
        const QUrl url(pending->orderUrl);
        order = co_await acme::fetchOrder(session, url);
    } catch (const acme::AcmeError& e) {
        unusable = e.userMessage();
    }
    static const QStringList usable{QStringLiteral("pending"), QStringLiteral("ready"),
                                    QStringLiteral("processing"), QStringLiteral("valid")};
    const bool finalized =
        order.status == QLatin1String("processing") || order.status == QLatin1String("valid");
    if (unusable.isEmpty() && !usable.contains(order.status))
        unusable = QStringLiteral("the CA says it is %1").arg(order.status);
    else if (unusable.isEmpty() && finalized && !QFile::exists(PendingOrder::keyPath(pendingBase)))
        unusable = QStringLiteral("the key it was finalized with was not kept");
    if (!unusable.isEmpty()) {
        log.info(QStringLiteral("The unfinished order %1 cannot be continued (%2); placing a new "
                                "one")
                     .arg(pending->orderUrl, unusable));
        PendingOrder::discard(pendingBase);
        co_return std::nullopt;
    }
    log.info(QStringLiteral("Continuing the unfinished order %1 (%2) instead of placing a new one")
                 .arg(pending->orderUrl, order.status));
    co_return order;
}

} // namespace ck::request
