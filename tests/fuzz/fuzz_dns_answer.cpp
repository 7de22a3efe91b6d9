// DNS answers as the dns-01 checks read them (the propagation check of waitForTxt, the zone
// search, the CNAME chain): any bytes a server, or anyone who can spoof its UDP answers, sends.
// Beyond not crashing, what is read must be usable by those checks: every record's owner is
// absolute and lower case (they compare names as text), and asking for the values at an owner
// gives exactly the data of the records there.

#include "challenges/DnsQuery.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using ck::challenges::dns::DnsRecord;
using ck::challenges::dns::RecordType;

bool wellFormed(const QList<DnsRecord>& records) {
    for (const DnsRecord& r : records)
        if (!r.owner.endsWith(u'.') || r.owner != r.owner.toLower())
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace dns = ck::challenges::dns;
    const QByteArray wire(reinterpret_cast<const char*>(data), qsizetype(size));
    const dns::DnsAnswer answer = dns::readAnswer(wire);
    if (!answer.ok()) {
        if (answer.rcode != 0 || !answer.answer.isEmpty() || !answer.authority.isEmpty())
            std::abort(); // refused bytes must not leave records behind
        return 0;
    }
    if (!wellFormed(answer.answer) || !wellFormed(answer.authority))
        std::abort();
    for (const DnsRecord& r : answer.answer) {
        qsizetype expected = 0;
        for (const DnsRecord& other : answer.answer)
            expected += other.owner == r.owner && other.type == r.type ? 1 : 0;
        const QStringList values = answer.values(r.owner, r.type);
        if (values.size() != expected || !values.contains(r.data))
            std::abort();
        if (!dns::isInZone(r.owner, r.owner) || dns::absoluteName(r.owner) != r.owner)
            std::abort();
    }
    // The zone search takes an SOA's owner as the zone of the names below it.
    for (const DnsRecord& r : answer.authority)
        if (r.type == RecordType::SOA &&
            !dns::isInZone(QStringLiteral("_acme-challenge.") + r.owner, r.owner))
            std::abort();
    (void)answer.describeTxt(QStringLiteral("_acme-challenge.example.com"));
    (void)dns::rcodeName(answer.rcode);
    return 0;
}
