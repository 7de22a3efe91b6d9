#pragma once
// Whether this build runs under a sanitizer. Their shadow memory makes a process's resident size
// meaningless, so memory bounds are checked in plain builds only.

namespace ck::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kMemoryIsMeasurable = false;
#else
inline constexpr bool kMemoryIsMeasurable = true;
#endif

} // namespace ck::test
