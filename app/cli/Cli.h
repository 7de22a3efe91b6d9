#pragma once
// certkeeper-cli: `[--data-dir DIR] [--server ID] [--json] COMMAND [ARGS]`. Each command is one
// or a few API calls, run to completion; human output by default, the service's JSON with
// --json. Errors go to stderr in the service's own words, and the exit code says what kind of
// error it was (ExitCodes.h).

#include "ApiClient.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <memory>

namespace ck::cli {

class Cli {
public:
    Cli();
    ~Cli();
    int run(const QStringList& arguments);

private:
    struct Globals {
        QString dataDir;
        QString serverId;
        bool json = false;
    };

    int status();
    int list(const QStringList& args);
    int show(const QStringList& args);
    int add(const QStringList& args);
    int remove(const QStringList& args);
    int request(const QStringList& args);
    int revoke(const QStringList& args);
    int log(const QStringList& args);
    int account(const QStringList& args);
    int accountAdd(const QStringList& args);
    int preview(const QStringList& args);
    int test(const QStringList& args);

    // Parses a command's own options (the global ones are accepted there too).
    bool parseCommand(QCommandLineParser& parser, const QString& command, const QStringList& args);
    int connect();
    int fail(const ApiError& error);
    // One positional ID after the command's options, or a usage error (returned as non-zero).
    int singleId(QCommandLineParser& parser, const QString& command, const QStringList& args,
                 QString* id);
    int usage(const QString& message);
    QString helpText() const;
    void printJson(const QJsonObject& object);

    QCommandLineOption m_dataDirOption;
    QCommandLineOption m_serverOption;
    QCommandLineOption m_jsonOption;
    Globals m_globals;
    std::unique_ptr<ApiClient> m_client;
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace ck::cli
