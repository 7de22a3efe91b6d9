#pragma once
// Output helpers shared by certkeeper-cli's command files.

#include "client/ApiClient.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QTextStream>

namespace ck::cli {

// Local time, "yyyy-MM-dd HH:mm"; empty for an invalid time.
QString dateText(const QDateTime& time);
QString dateText(const QJsonValue& isoTime);
// One log entry as `log` prints it: "HH:mm:ss.zzz [LVL] message" in local time.
QString logLine(const LogEntry& entry);
// "Label:   value" aligned; nothing when the value is empty.
void printField(QTextStream& out, const QString& label, const QString& value);
// `status`: address, version, process, port, items, database, backups, recovery, notices,
// edition.
void printStatus(QTextStream& out, const QString& url, const ServiceVersion& version,
                 const ServiceDiagnostics& diagnostics);
// What `diag` adds to it: the license and every setting.
void printDiagnosticsDetails(QTextStream& out, const ServiceDiagnostics& diagnostics);

} // namespace ck::cli
