#pragma once
// What running under a sanitizer changes for the tests: their shadow memory makes a process's
// resident size meaningless (memory bounds are checked in plain builds only), and ThreadSanitizer
// makes the service several times slower (waits for bulk work are stretched by kSlowdown).

namespace ck::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kMemoryIsMeasurable = false;
#else
inline constexpr bool kMemoryIsMeasurable = true;
#endif

#if defined(__SANITIZE_THREAD__)
inline constexpr int kSlowdown = 8;
#elif defined(__SANITIZE_ADDRESS__)
inline constexpr int kSlowdown = 3;
#else
inline constexpr int kSlowdown = 1;
#endif

} // namespace ck::test
