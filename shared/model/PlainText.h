#pragma once
// Text that ends up inside one line of a log or a one-line label: names a user gives (items,
// tasks, credentials, CAs, accounts) and every log message. A line break in such text writes
// what looks like a separate log entry, and a bidirectional override makes a line read
// differently from what it holds, so names refuse them and logs escape them.

#include <QString>

#include <optional>

namespace ck {

// C0 controls (line breaks and tabs included), DEL, C1 controls, the line and paragraph
// separators, and the invisible characters that change the direction of text (U+200E, U+200F,
// U+202A-U+202E, U+2066-U+2069).
bool isUnsafeInLine(QChar c);

// What is wrong with a name, as a sentence starting with `what` ("The name"), or nothing when
// it is fine.
std::optional<QString> lineTextProblem(const QString& text, const QString& what);

// `text` with every unsafe character written out: "\n", "\r", "\t", otherwise "\u202E", so it
// always stays on one line and reads as it is.
QString escapeForLine(const QString& text);

} // namespace ck
