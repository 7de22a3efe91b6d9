#pragma once
// Reading the API token the service wrote (servers.json's `tokenFile`). A token that cannot be
// read is the most common reason a fresh install "cannot connect", so the result says why in
// words a user can act on: which file, who owns it, and what to do.

#include <QString>

namespace ck {

struct ApiToken {
    enum class Status { Ok, Missing, PermissionDenied, OtherError };

    Status status = Status::Missing;
    QString token;   // trimmed file contents when Ok
    QString path;    // the file that was read
    QString problem; // why it could not be read, with what to do; empty when Ok

    bool ok() const { return status == Status::Ok; }

    static ApiToken read(const QString& path);
    // The explanation for a file that could not be opened with `errnoValue`; separate from read()
    // so that every branch can be tested, including permission denied under root.
    static ApiToken unreadable(const QString& path, int errnoValue);
};

} // namespace ck
