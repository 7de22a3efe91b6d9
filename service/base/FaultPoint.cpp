#include "base/FaultPoint.h"

namespace ck {

FaultPointHook faultPointHook = nullptr;

} // namespace ck
