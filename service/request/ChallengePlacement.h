#pragma once
// Placing challenge responses for one order and removing every one of them afterwards. Each
// placement records how to undo itself, so cleanup happens even when a later step fails.

#include "ManagedCertificate.h"

#include <QString>

#include <functional>
#include <vector>

namespace ck {
class ItemLog;
namespace challenges {
class Http01Listener;
}

struct PlannedChallenge {
    QString name;           // as the user wrote it ("*.example.com")
    QString type;           // http-01, dns-01, tls-alpn-01
    ChallengeConfig config; // the item's configuration that applies to the name
};

// The challenge configuration for a name: the first entry whose domainMatch covers it (exact,
// "*.example.com" style, or a list separated by ';' or ','), else the first entry with an empty
// match, else the http-01 listener.
ChallengeConfig challengeConfigFor(const RequestConfig& rc, const QString& name);

class ChallengePlacement {
public:
    ChallengePlacement(challenges::Http01Listener& http01, ItemLog& log)
        : m_http01(http01), m_log(log) {}
    ~ChallengePlacement(); // removes whatever is still placed

    // Throws ApiError(Validation) when the configuration cannot be used (e.g. webroot missing).
    void placeHttp01(const ChallengeConfig& config, const QString& name, const QString& token,
                     const QString& keyAuthorization);
    void removeAll();

private:
    challenges::Http01Listener& m_http01;
    ItemLog& m_log;
    std::vector<std::function<void()>> m_undo;
};

} // namespace ck
