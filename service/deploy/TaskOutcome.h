#pragma once
// How one attempt at a task ended: success with what it did, or failure with what went wrong and
// what to do, in words for the item's log and the API answer. `output` is extra text for the log
// (a script's output), kept out of the one-line message.

#include <QString>

namespace ck::deploy {

struct TaskOutcome {
    bool ok = true;
    QString message;
    QString output;

    static TaskOutcome success(QString message) { return {true, std::move(message), {}}; }
    static TaskOutcome failure(QString message) { return {false, std::move(message), {}}; }
};

} // namespace ck::deploy
