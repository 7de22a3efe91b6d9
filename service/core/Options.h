#pragma once
// Command line of certkeeper-service.

#include <QString>
#include <QStringList>

#include <optional>

namespace ck::core {

struct ServiceOptions {
    QString dataDir; // resolved: --data-dir, $CERTKEEPER_DATA_DIR, --system, or the user's
    bool systemMode = false;
    std::optional<QString> host; // overrides serviceconfig.json for this run
    std::optional<int> port;     // overrides serviceconfig.json for this run
};

// Parses argv; on --help/--version prints and exits 0, on a bad argument prints why and exits 2.
ServiceOptions parseServiceOptions(const QStringList& arguments);

} // namespace ck::core
