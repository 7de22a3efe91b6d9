#include "model/RenewalPolicy.h"

#include "ApiError.h"
#include "model/EnumNames.h"
#include "model/JsonReader.h"

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

RenewalPolicy defaultRenewalPolicy(RenewalMode mode) {
    RenewalPolicy policy;
    policy.mode = mode;
    if (mode != RenewalMode::PercentageOfLifetime)
        policy.interval = 30;
    return policy;
}

int maxRenewalInterval(RenewalMode mode) {
    return mode == RenewalMode::PercentageOfLifetime ? 99 : 3650;
}

QJsonObject toJson(const RenewalPolicy& p) {
    return withExtra({{"mode", toString(p.mode)}, {"interval", p.interval}}, p.extra);
}

void readRenewalPolicy(JsonReader& r, RenewalPolicy& p) {
    r.readEnum("mode", p.mode, renewalModeFromString);
    r.read("interval", p.interval);
    p.extra = r.unreadFields();
}

QList<FieldError> validateRenewalPolicy(const RenewalPolicy& p, const QString& path) {
    const int max = maxRenewalInterval(p.mode);
    if (p.interval >= 1 && p.interval <= max)
        return {};
    const QString field = path + QStringLiteral(".interval");
    if (p.mode == RenewalMode::PercentageOfLifetime)
        return {{field, QStringLiteral("must be a percentage between 1 and %1").arg(max)}};
    return {{field, QStringLiteral("must be a number of days between 1 and %1").arg(max)}};
}

} // namespace ck
