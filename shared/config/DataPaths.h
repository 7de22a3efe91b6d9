#pragma once
// Where the service keeps its files, and where the app and CLI look for them. One data directory
// holds everything, so that one folder is the whole backup.

#include <QString>

namespace ck::paths {

inline constexpr char kServiceConfig[] = "serviceconfig.json";
inline constexpr char kServers[] = "servers.json";
inline constexpr char kSettings[] = "settings.json";
inline constexpr char kToken[] = "api.token";
inline constexpr char kDatabase[] = "manageditems.db";
inline constexpr char kFaultRecord[] = "service.fault.json";
inline constexpr char kLogsDir[] = "logs";
inline constexpr char kAssetsDir[] = "assets";
inline constexpr char kSystemDataDir[] = "/var/lib/certkeeper";
inline constexpr char kDataDirEnv[] = "CERTKEEPER_DATA_DIR";

// $CERTKEEPER_DATA_DIR, else $XDG_DATA_HOME/certkeeper (~/.local/share/certkeeper).
QString userDataDir();
// The data directory the app and CLI read servers.json from: an explicit one wins, then
// $CERTKEEPER_DATA_DIR, then the user's own when it has servers.json, then the system one.
QString clientDataDir(const QString& explicitDir = {});

QString file(const QString& dataDir, const char* name);

} // namespace ck::paths
