#pragma once
// Where live events come from: each line of a certificate's log (and, while a request runs, its
// steps) and each saved or removed item. Connected once at start-up.

#include "logging/Logger.h"
#include "store/ItemStore.h"

namespace ck {

class EventHub;

Logger::ItemLineListener itemLinePublisher(EventHub& hub);
store::ItemStore::ChangeObserver itemChangePublisher(EventHub& hub);

} // namespace ck
