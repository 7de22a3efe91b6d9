// The files and bodies that configure the service: serviceconfig.json (read at start),
// settings.json and PUT /api/settings, and servers.json (read by the app and the CLI, often
// written by hand). Any bytes: an error naming the file or field, never a crash, and a
// configuration that is accepted must read back the same from what it writes.

#include "config/ServersConfig.h"
#include "config/ServiceConfig.h"
#include "model/Preferences.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <variant>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (doc.isObject()) {
        const auto config = ck::ServiceConfig::fromJson(
            doc.object(), QStringLiteral("serviceconfig.json"), QString::fromUtf8(bytes));
        if (const auto* c = std::get_if<ck::ServiceConfig>(&config)) {
            const QJsonObject written = c->toJson();
            const auto again =
                ck::ServiceConfig::fromJson(written, QStringLiteral("serviceconfig.json"), {});
            const auto* reread = std::get_if<ck::ServiceConfig>(&again);
            if (!reread || reread->toJson() != written)
                std::abort();
        }
        QList<ck::FieldError> errors;
        const ck::Preferences prefs = ck::preferencesFromJson(doc.object(), &errors);
        if (errors.isEmpty()) {
            QList<ck::FieldError> again;
            const QJsonObject written = ck::toJson(prefs);
            if (ck::toJson(ck::preferencesFromJson(written, &again)) != written || !again.isEmpty())
                std::abort();
        }
    }
    // servers.json is only ever read from a file.
    static QTemporaryDir dir(QStringLiteral("/dev/shm/certkeeper-fuzz-XXXXXX"));
    const QString path = dir.filePath(QStringLiteral("servers.json"));
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        file.write(bytes);
        file.close();
        (void)ck::ServersConfig::load(path);
    }
    return 0;
}
