#pragma once
// What a deployment task would do, checked without doing it: Preview shows this for every task
// (destination writable, script present and executable, URL well-formed, reload target
// reachable). Nothing is written, run or sent. Blocking (it may connect to a reload target):
// run it on a worker pool.

#include "model/ManagedCertificate.h"

#include <QList>
#include <QString>

namespace ck::deploy {

struct DryRunFinding {
    enum class Severity { Warning, Error };
    Severity severity = Severity::Error;
    QString message; // what is wrong and what to do, for a user
};

struct DryRun {
    QString description; // one or two sentences of Markdown: what the task would do
    QList<DryRunFinding> findings;
};

// `dataDir`: the service's data directory, which no task may write into.
DryRun dryRunBlocking(const DeploymentTask& task, const ManagedCertificate& item,
                      const QString& dataDir);

} // namespace ck::deploy
