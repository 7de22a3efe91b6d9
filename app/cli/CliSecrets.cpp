#include "cli/CliSecrets.h"

#include <QFile>

#include <cstdio>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace ck::cli {

namespace {
QString firstLine(const QByteArray& bytes) {
    QString text = QString::fromUtf8(bytes);
    const qsizetype end = text.indexOf(QLatin1Char('\n'));
    if (end >= 0)
        text.truncate(end);
    if (text.endsWith(QLatin1Char('\r')))
        text.chop(1);
    return text;
}

// Reads a line from the terminal with echo off; the terminal's settings are restored after.
std::optional<QString> askTerminal(const QString& prompt) {
    std::fprintf(stderr, "%s", qPrintable(prompt));
    std::fflush(stderr);
    termios saved{};
    const bool terminal = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    const QString line = readStandardInputLine();
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::fprintf(stderr, "\n");
    }
    return line;
}
} // namespace

QString readStandardInputLine() {
    std::string line;
    for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar())
        line.push_back(char(c));
    return firstLine(QByteArray::fromStdString(line));
}

std::optional<QString> readSecret(const QString& prompt, const QString& file, const char* envVar,
                                  bool confirm, QString* error) {
    QString secret;
    if (!file.isEmpty()) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(file, f.errorString());
            return std::nullopt;
        }
        secret = firstLine(f.readAll());
    } else if (envVar && qEnvironmentVariableIsSet(envVar)) {
        secret = qEnvironmentVariable(envVar);
    } else if (::isatty(STDIN_FILENO)) {
        secret = askTerminal(prompt + QStringLiteral(": ")).value_or(QString());
        if (confirm && !secret.isEmpty() &&
            askTerminal(prompt + QStringLiteral(" (again): ")) != secret) {
            *error = QStringLiteral("the two entries differ; nothing was done");
            return std::nullopt;
        }
    } else {
        secret = readStandardInputLine();
    }
    if (secret.isEmpty()) {
        *error = QStringLiteral("%1 is empty").arg(prompt);
        return std::nullopt;
    }
    return secret;
}

} // namespace ck::cli
