#include "RenewalPolicy.h"

#include "ApiError.h"
#include "EnumNames.h"
#include "JsonReader.h"

namespace ck {

namespace {
constexpr const char* kModes[] = {"percentageOfLifetime", "daysBeforeExpiry", "daysAfterRenewal"};
} // namespace

QString toString(RenewalMode m) {
    return enumName(kModes, m);
}
std::optional<RenewalMode> renewalModeFromString(const QString& s) {
    return enumFromName<RenewalMode>(kModes, s);
}

QJsonObject toJson(const RenewalPolicy& p) {
    return withExtra({{"mode", toString(p.mode)}, {"interval", p.interval}}, p.extra);
}

void readRenewalPolicy(JsonReader& r, RenewalPolicy& p) {
    r.readEnum("mode", p.mode, renewalModeFromString);
    r.read("interval", p.interval);
    p.extra = unknownFields(r.object(), toJson(p));
}

QList<FieldError> validateRenewalPolicy(const RenewalPolicy& p, const QString& path) {
    const QString field = path + QStringLiteral(".interval");
    switch (p.mode) {
    case RenewalMode::PercentageOfLifetime:
        if (p.interval < 1 || p.interval > 99)
            return {{field, QStringLiteral("must be a percentage between 1 and 99")}};
        break;
    case RenewalMode::DaysBeforeExpiry:
    case RenewalMode::DaysAfterRenewal:
        if (p.interval < 1 || p.interval > 3650)
            return {{field, QStringLiteral("must be a number of days between 1 and 3650")}};
        break;
    }
    return {};
}

} // namespace ck
