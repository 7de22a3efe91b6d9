#include "adopt/ToolLayouts.h"

#include "DomainError.h"

namespace ck::adopt {

LayoutRead readLayout(const QString& tool, const QString& folder) {
    if (tool == adoption_tools::kCertbot)
        return readCertbot(folder);
    if (tool == adoption_tools::kLego)
        return readLego(folder);
    if (tool == adoption_tools::kAcmeSh)
        return readAcmeSh(folder);
    throw InvalidInputError(QStringLiteral("'%1' is not a tool Certkeeper adopts from; use %2")
                                .arg(tool, adoptionToolNames().join(QStringLiteral(", "))),
                            QStringLiteral("tool"));
}

ChallengeConfig listenerChallenge() {
    return ChallengeConfig{}; // http-01, no provider: the service's own listener
}

ChallengeConfig webrootChallenge(const QString& webroot, const QString& domainMatch) {
    ChallengeConfig c;
    c.provider = QStringLiteral("webroot");
    c.webrootPath = webroot;
    c.domainMatch = domainMatch;
    return c;
}

} // namespace ck::adopt
