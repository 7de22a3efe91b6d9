#include "model/License.h"

#include "model/JsonReader.h"

#include <climits>

namespace ck {

QJsonObject LicensePayload::toJson() const {
    QJsonObject o{{"product", product},     {"licensee", licensee},         {"edition", edition},
                  {"itemLimit", itemLimit}, {"issued", dateToJson(issued)}, {"keyId", keyId}};
    if (expires.isValid())
        o.insert("expires", dateToJson(expires));
    return o;
}

std::optional<LicensePayload> LicensePayload::fromJson(const QJsonObject& o, QString* problem) {
    QList<FieldError> errors;
    JsonReader r(o, &errors);
    LicensePayload p;
    p.product.clear();
    r.read("product", p.product);
    r.read("licensee", p.licensee);
    r.read("edition", p.edition);
    r.read("itemLimit", p.itemLimit);
    r.read("expires", p.expires);
    r.read("issued", p.issued);
    r.read("keyId", p.keyId);
    for (const char* required : {"product", "licensee", "edition", "keyId"})
        if (!o.value(QLatin1String(required)).isString() ||
            o.value(QLatin1String(required)).toString().isEmpty())
            errors.append({QLatin1String(required), QStringLiteral("is missing")});
    if (p.itemLimit < 0)
        errors.append({QStringLiteral("itemLimit"), QStringLiteral("is negative")});
    if (!errors.isEmpty()) {
        if (problem)
            *problem = QStringLiteral("%1 %2").arg(errors.first().field, errors.first().detail);
        return std::nullopt;
    }
    return p;
}

QString LicenseInfo::editionTitle() const {
    if (edition.isEmpty())
        return {};
    return edition.left(1).toUpper() + edition.mid(1);
}

int LicenseInfo::remaining() const {
    if (unlimited())
        return INT_MAX;
    return std::max(0, itemLimit - itemsUsed);
}

QString LicenseInfo::reminder() const {
    if (licensed || itemsUsed < kCommunityReminderAt)
        return {};
    // More than the limit: items made before a license ended, or restored by hand. Say what is
    // true: all of them are still managed, and no more can be added.
    if (itemsUsed > itemLimit)
        return QStringLiteral("The Community edition manages up to %1 certificates; %L2 are "
                              "managed here, so no more can be added. Enter a license key to "
                              "add more.")
            .arg(itemLimit)
            .arg(itemsUsed);
    if (itemsUsed == itemLimit)
        return QStringLiteral("The Community edition manages up to %1 certificates and all %1 "
                              "are in use. Enter a license key to add more.")
            .arg(itemLimit);
    return QStringLiteral("The Community edition manages up to %1 certificates; %2 are in use. "
                          "Enter a license key to manage more.")
        .arg(itemLimit)
        .arg(itemsUsed);
}

QJsonObject LicenseInfo::toJson() const {
    QJsonObject o{{"edition", edition},     {"editionTitle", editionTitle()},
                  {"licensed", licensed},   {"itemLimit", itemLimit},
                  {"itemsUsed", itemsUsed}, {"installId", installId}};
    if (!licensee.isEmpty())
        o.insert("licensee", licensee);
    if (expires.isValid())
        o.insert("expires", dateToJson(expires));
    if (activatedAt.isValid())
        o.insert("activatedAt", dateToJson(activatedAt));
    if (!keyId.isEmpty())
        o.insert("keyId", keyId);
    if (!warning.isEmpty())
        o.insert("warning", warning);
    return o;
}

LicenseInfo LicenseInfo::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    JsonReader r(o, errors);
    LicenseInfo info;
    r.require({"edition", "itemLimit"});
    r.read("edition", info.edition);
    r.read("licensed", info.licensed);
    r.read("licensee", info.licensee);
    r.read("expires", info.expires);
    r.read("activatedAt", info.activatedAt);
    r.read("keyId", info.keyId);
    r.read("itemLimit", info.itemLimit);
    r.read("itemsUsed", info.itemsUsed);
    r.read("installId", info.installId);
    r.read("warning", info.warning);
    return info;
}

} // namespace ck
