#pragma once
// When a certificate is due for renewal: a global default in the settings, overridable per item.

#include <QJsonObject>
#include <QString>

#include <optional>

namespace ck {

class JsonReader;
struct FieldError;

enum class RenewalMode {
    PercentageOfLifetime, // interval = percent of notBefore..notAfter elapsed (1-99)
    DaysBeforeExpiry,     // interval = days left before notAfter
    DaysAfterRenewal      // interval = days since the last renewal
};
QString toString(RenewalMode m);
std::optional<RenewalMode> renewalModeFromString(const QString& s);

struct RenewalPolicy {
    RenewalMode mode = RenewalMode::PercentageOfLifetime;
    int interval = 75;
    QJsonObject extra; // fields this version does not know (see ManagedCertificate::extra)
    bool operator==(const RenewalPolicy&) const = default;
};

// What a mode starts with when it is chosen: 75 % of the lifetime, or 30 days.
RenewalPolicy defaultRenewalPolicy(RenewalMode mode);
// The largest interval the mode takes (the smallest is 1): 99 (%) or 3650 (days).
int maxRenewalInterval(RenewalMode mode);

QJsonObject toJson(const RenewalPolicy& p);
void readRenewalPolicy(JsonReader& r, RenewalPolicy& p);
// Problems with the interval for its mode, by field path under `path`.
QList<FieldError> validateRenewalPolicy(const RenewalPolicy& p, const QString& path);

} // namespace ck
