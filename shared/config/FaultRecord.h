#pragma once
// service.fault.json: written by the service when it cannot start (cannot bind, bad config,
// database unusable) and removed when it starts cleanly. The app reads it when it cannot
// connect, so it can say exactly what went wrong instead of a bare "not running".

#include <QDateTime>
#include <QString>

#include <optional>

namespace ck {

struct FaultRecord {
    QDateTime time;
    QString kind;    // "bind", "config", "database", "datadir"
    QString message; // the service's own words, with what to do
    QString host;
    int port = 0;
    qint64 pid = 0;

    static std::optional<FaultRecord> read(const QString& dataDir);
    bool write(const QString& dataDir) const;
    static void clear(const QString& dataDir);
};

} // namespace ck
