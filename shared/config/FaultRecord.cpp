#include "config/FaultRecord.h"

#include "config/DataPaths.h"
#include "config/JsonFile.h"

#include <QFile>
#include <QJsonObject>

namespace ck {

std::optional<FaultRecord> FaultRecord::read(const QString& dataDir) {
    const QString path = paths::file(dataDir, paths::kFaultRecord);
    if (!QFile::exists(path))
        return std::nullopt;
    auto r = readJsonFile(path);
    if (r.error || !r.document.isObject())
        return std::nullopt;
    const auto o = r.document.object();
    FaultRecord f;
    f.time = QDateTime::fromString(o.value("time").toString(), Qt::ISODateWithMs);
    f.kind = o.value("kind").toString();
    f.message = o.value("message").toString();
    f.host = o.value("host").toString();
    f.port = o.value("port").toInt();
    f.pid = o.value("pid").toInteger();
    return f;
}

bool FaultRecord::write(const QString& dataDir) const {
    const QJsonObject o{{"time", time.toUTC().toString(Qt::ISODateWithMs)},
                        {"kind", kind},
                        {"message", message},
                        {"host", host},
                        {"port", port},
                        {"pid", pid}};
    return writeJsonFileAtomic(paths::file(dataDir, paths::kFaultRecord), QJsonDocument(o), nullptr,
                               0644);
}

void FaultRecord::clear(const QString& dataDir) {
    QFile::remove(paths::file(dataDir, paths::kFaultRecord));
}

} // namespace ck
