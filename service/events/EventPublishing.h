#pragma once
// Where live events come from: each line of a certificate's log (and, while a request runs, its
// steps) and each saved or removed item. Connected once at start-up.

#include "logging/Logger.h"
#include "store/ItemStore.h"

namespace ck::events {

class EventHub;

logging::Logger::ItemLineListener itemLinePublisher(EventHub& hub);
store::ItemStore::ChangeObserver itemChangePublisher(EventHub& hub);

} // namespace ck::events
