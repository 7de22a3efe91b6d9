#include "events/EventPublishing.h"

#include "events/EventHub.h"
#include "model/LogEntry.h"

namespace ck::events {

logging::Logger::ItemLineListener itemLinePublisher(EventHub& hub) {
    return [&hub](const logging::Logger::ItemLine& line) {
        const LogEntry entry{line.time.toUTC(), logging::Logger::levelTag(line.level),
                             line.message};
        hub.publish(event_types::kLog, line.itemId,
                    QJsonObject{{"itemId", line.itemId}, {"entry", entry.toJson()}});
        if (line.progress)
            hub.publish(event_types::kProgress, line.itemId,
                        QJsonObject{{"itemId", line.itemId},
                                    {"step", line.step},
                                    {"message", line.message},
                                    {"level", entry.level}});
    };
}

store::ItemStore::ChangeObserver itemChangePublisher(EventHub& hub) {
    return [&hub](const ManagedCertificate* saved, const QString& id) {
        if (saved)
            hub.publish(event_types::kItemUpdated, id,
                        QJsonObject{{"itemId", id}, {"item", toJson(*saved)}});
        else
            hub.publish(event_types::kItemUpdated, id,
                        QJsonObject{{"itemId", id}, {"deleted", true}});
    };
}

} // namespace ck::events
