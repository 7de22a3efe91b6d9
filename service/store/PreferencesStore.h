#pragma once
// The service's preferences in settings.json (GET/PUT /api/settings): read at start, replaced
// atomically (temp file + rename, 0600) on every change, so a crash never leaves half a file.
// A file that cannot be read does not stop the service, which keeps renewing with the defaults,
// says so in diagnostics, and leaves the file alone until settings are saved again. Used on the
// network thread only.

#include "DomainError.h"
#include "model/Preferences.h"

#include <QString>
#include <QStringList>

namespace ck::store {

class PreferencesStore {
public:
    explicit PreferencesStore(QString dataDir);

    // Reads settings.json (absent: the defaults, not written until the first save). Problems
    // come back as notices naming the file, line and field.
    QStringList load();
    const Preferences& current() const { return m_current; }
    // Writes `preferences` (already validated) and makes them current. Throws InternalError
    // when the file cannot be written; the current preferences are then unchanged.
    void save(const Preferences& preferences);
    QString path() const { return m_path; }

private:
    QString m_path;
    Preferences m_current;
};

} // namespace ck::store
