// The JSON of a managed certificate as the API receives it (POST/PUT, batch, backup packages)
// and the app reads it back. Decoding never crashes; an item that decodes and validates without
// errors must survive a round trip: written and read again, it is the same item.

#include "model/ManagedCertificate.h"
#include "model/Validation.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size)));
    if (!doc.isObject())
        return 0;
    QList<ck::FieldError> errors;
    ck::ManagedCertificate item = ck::managedCertificateFromJson(doc.object(), &errors);
    if (!errors.isEmpty())
        return 0;
    if (!ck::validateManagedCertificate(item).isEmpty())
        return 0;
    const QJsonObject written = ck::toJson(item);
    QList<ck::FieldError> again;
    const ck::ManagedCertificate reread = ck::managedCertificateFromJson(written, &again);
    if (!again.isEmpty() || ck::toJson(reread) != written)
        std::abort(); // what we write, we must read back as written
    return 0;
}
