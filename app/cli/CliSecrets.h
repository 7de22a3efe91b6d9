#pragma once
// Secrets for certkeeper-cli (the backup passphrase, credential secrets), never from the command
// line: other users can read a process's arguments, and shells keep them in their history.

#include <QString>

#include <optional>

namespace ck::cli {

// From `file` when given (its first line), else from the environment variable `envVar` when it
// is set (pass nullptr for none), else from the terminal without echo (asked twice when
// `confirm`), else one line of standard input. Empty secrets are refused. On failure returns
// std::nullopt with *error saying why.
std::optional<QString> readSecret(const QString& prompt, const QString& file, const char* envVar,
                                  bool confirm, QString* error);

// One line of standard input (for `activate -`), without its line end.
QString readStandardInputLine();

} // namespace ck::cli
