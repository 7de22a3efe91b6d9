#include "store/PreferencesStore.h"

#include "config/DataFile.h"
#include "config/DataPaths.h"
#include "config/JsonFile.h"

#include <QFileInfo>

#include <cerrno>

namespace ck::store {

PreferencesStore::PreferencesStore(QString dataDir)
    : m_path(paths::file(dataDir, paths::kSettings)) {}

QStringList PreferencesStore::load() {
    if (!QFileInfo::exists(m_path))
        return {};
    const JsonFileResult read = readJsonFile(m_path);
    auto unusable = [this](const QString& why) {
        return QStringList{QStringLiteral("The settings in %1 cannot be used (%2); renewing and "
                                          "notifying with the default settings until they are "
                                          "saved again from the app or PUT /api/settings")
                               .arg(m_path, why)};
    };
    if (read.error)
        return unusable(read.error->message());
    if (!read.document.isObject())
        return unusable(QStringLiteral("it is not a JSON object"));
    QList<FieldError> errors;
    Preferences loaded = preferencesFromJson(read.document.object(), &errors);
    const QStringList repaired = repairUncheckedSettings(loaded);
    errors += validatePreferences(loaded);
    if (!errors.isEmpty()) {
        const FieldError& first = errors.first();
        const QString key =
            first.field.section(QLatin1Char('.'), -1).section(QLatin1Char('['), 0, 0);
        const int line = lineOfKey(read.text, key);
        return unusable(QStringLiteral("%1%2: %3")
                            .arg(first.field,
                                 line > 0 ? QStringLiteral(" on line %1").arg(line) : QString(),
                                 first.detail));
    }
    m_current = loaded;
    if (repaired.isEmpty())
        return {};
    return {QStringLiteral("Some email settings in %1 were not valid and are replaced until the "
                           "settings are saved again: %2")
                .arg(m_path, repaired.join(QStringLiteral("; ")))};
}

void PreferencesStore::save(const Preferences& preferences) {
    QString error;
    if (!writeJsonFileAtomic(m_path, QJsonDocument(toJson(preferences)), &error, 0600)) {
        if (isDiskFull(errno))
            throw StorageFullError::whileSaving(QStringLiteral("the settings"), error);
        throw InternalError(QStringLiteral("The settings could not be saved to %1: %2. Check the "
                                           "space and permissions of the data directory.")
                                .arg(m_path, error));
    }
    m_current = preferences;
}

} // namespace ck::store
