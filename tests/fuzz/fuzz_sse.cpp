// The app's and CLI's reader of GET /api/events (Server-Sent Events): bytes as the network
// delivers them. The same bytes must give the same events however they are split into reads,
// since TCP may split them anywhere.

#include "client/SseParser.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {
bool sameEvents(const QList<ck::SseEvent>& a, const QList<ck::SseEvent>& b) {
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].type != b[i].type || a[i].data != b[i].data || a[i].id != b[i].id)
            return false;
    return true;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    // The first byte chooses the split points; the rest is the stream.
    const unsigned step = 1 + data[0] % 7;
    const QByteArray stream(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));

    ck::SseParser whole;
    const QList<ck::SseEvent> atOnce = whole.feed(stream);

    ck::SseParser pieces;
    QList<ck::SseEvent> split;
    for (qsizetype at = 0; at < stream.size(); at += step)
        split += pieces.feed(stream.mid(at, step));

    if (whole.error().isEmpty() && pieces.error().isEmpty() && !sameEvents(atOnce, split))
        std::abort();
    if (whole.lastEventId() != pieces.lastEventId() && whole.error().isEmpty())
        std::abort();
    return 0;
}
