#pragma once
// An order placed for an item and not yet recorded as its certificate, kept in the data
// directory (pending-orders/<id>.json, and the new certificate's key as <id>-key.pem from just
// before the order is finalized; the folder 0700, the files 0600). If the service
// stops in the middle of a request, the next request for the item continues this order where
// the CA has it (pending, ready, processing or valid) instead of placing a second one. An order
// that was recorded (the item's currentOrderUrl), or was for other names or another CA, is
// discarded.

#include "acme/AcmeProtocol.h"
#include "base/Async.h"
#include "logging/ItemLog.h"
#include "model/ManagedCertificate.h"

#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace ck::request {

struct PendingOrder {
    QString orderUrl;
    QString certificateAuthorityId;
    bool staging = false;
    QStringList identifiers; // "dns:example.com", "ip:192.0.2.1", in the order's order

    static PendingOrder forItem(const ManagedCertificate& item, const QString& orderUrl);
    // The identifiers an item orders now.
    static QStringList identifiersOf(const ManagedCertificate& item);

    // Whether it was placed for the item as the item is now, and not yet recorded on it.
    bool stillPendingFor(const ManagedCertificate& item) const;

    // `base` is <data dir>/pending-orders/<item id> (basePath). Errors are returned (empty:
    // none).
    // The items with an order noted: their requests continue after a restart.
    static QSet<QString> itemsWithOrders(const QString& dataDir);
    static QString basePath(const QString& dataDir, const QString& itemId);
    static std::optional<PendingOrder> load(const QString& base);
    QString save(const QString& base) const;
    static void discard(const QString& base);
    static QString keyPath(const QString& base);
};

// The order this item placed before (PendingOrder at `pendingBase`), as the CA has it now, when
// the CA can still finish it: pending, ready, or (with the key kept for it) processing or valid.
// Otherwise the record is discarded and nothing is returned: the caller places a new order.
awaitable<std::optional<acme::Order>> resumePendingOrder(acme::AcmeSession& session,
                                                         const ManagedCertificate& item,
                                                         const QString& pendingBase,
                                                         logging::ItemLog& log);

} // namespace ck::request
