#pragma once
// Enums travel in JSON as names; these map between the two, case-insensitively on the way in so
// a hand-edited file or a script's "onsuccess" still reads.

#include <QString>

#include <cstddef>
#include <optional>

namespace ck {

template <typename E, std::size_t N>
std::optional<E> enumFromName(const char* const (&names)[N], const QString& s) {
    for (std::size_t i = 0; i < N; ++i)
        if (s.compare(QLatin1String(names[i]), Qt::CaseInsensitive) == 0)
            return static_cast<E>(i);
    return std::nullopt;
}

template <typename E, std::size_t N> QString enumName(const char* const (&names)[N], E value) {
    return QLatin1String(names[static_cast<std::size_t>(value)]);
}

} // namespace ck
