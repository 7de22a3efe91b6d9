#pragma once
// Reading and writing the small JSON files the service and app share (serviceconfig.json,
// servers.json, the fault record) through DataFile: writes are atomic and never follow a link
// at the path, reads take regular files of bounded size only; errors name the file, the line
// and the field.

#include <QJsonDocument>
#include <QString>

#include <optional>

namespace ck {

struct ConfigError {
    QString file;
    int line = 0;  // 1-based; 0 when unknown
    QString field; // empty when the whole document is at fault
    QString detail;
    QString message() const; // "FILE line N, field "F": DETAIL"
};

struct JsonFileResult {
    QJsonDocument document;
    QString text; // raw text, to find the line of a field
    std::optional<ConfigError> error;
};

JsonFileResult readJsonFile(const QString& path);
// The 1-based line where `"field"` first appears as a key in `text` at or after character
// `from`, or 0.
int lineOfKey(const QString& text, const QString& field, qsizetype from = 0);
// Where the `index`-th element of the top-level JSON array in `text` starts (0 if not found).
qsizetype offsetOfArrayElement(const QString& text, int index);
// Atomically replaces `path` with `doc` (writeFileAtomic); `mode` sets the new file's permissions.
bool writeJsonFileAtomic(const QString& path, const QJsonDocument& doc, QString* error,
                         int mode = 0644);

} // namespace ck
