#pragma once
// The long tail of dns-01 providers through lexicon (Debian's lexicon package, dns-lexicon):
// finding it, asking it which providers it has, and describing each one as a DnsProviderType
// with the same data as the built-in ones, so the app, the CLI and the API offer them alike.
//
// lexicon runs as a separate program: the interpreter named on the #! line of the `lexicon`
// program found in the service's PATH, fed the bridge script (lexicon/certkeeper_lexicon.py,
// compiled in) on stdin. Each provider becomes "lexicon:<name>", its credential type the same
// id, its credential fields the options its provider_parser() declares (secret when the name
// says token, secret, password, key...), plus "zone" and "dnsServer" of our own. A provider
// that a built-in one also covers gets nativeProvider: menus offer the built-in one.

#include "base/Async.h"
#include "logging/Logger.h"
#include "model/DnsCatalogue.h"
#include "process/ChildProcess.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>

namespace ck::dnsapi {

inline constexpr char kLexiconPrefix[] = "lexicon:";

// "gandi" for "lexicon:gandi"; empty for any other id.
QString lexiconProviderName(const QString& id);
// Whether lexicon's option `name` ("auth_token", "auth_key_id") holds a secret.
bool isSecretOption(const QString& name);
// The built-in provider that does what lexicon's provider `name` does, or empty.
QString nativeTwinOf(const QString& name);
// The environment variable lexicon reads the option from: LEXICON_<PROVIDER>_<OPTION>.
QString lexiconVariable(const QString& provider, const QString& option);

// How to run lexicon's Python: the interpreter of the `lexicon` program on PATH.
struct LexiconRuntime {
    QString lexicon;       // the program found, "/usr/bin/lexicon"
    QString interpreter;   // from its #! line, "/usr/bin/python3"
    QStringList arguments; // the rest of that line, if any
    QString problem;       // why there is none, in a sentence; empty when found
    bool ok() const { return problem.isEmpty(); }
};
// Looks for `lexicon` in `searchPath` (a PATH value) and reads its #! line.
LexiconRuntime findLexiconRuntime(const QString& searchPath);

// The bridge script (generated from lexicon/certkeeper_lexicon.py).
QByteArray lexiconBridgeScript();
// The child that runs the bridge with `arguments`: the script on stdin, `environment` added.
process::ProcessSpec bridgeSpec(const LexiconRuntime& runtime, const QStringList& arguments,
                                QList<QPair<QString, QString>> environment,
                                std::chrono::milliseconds timeout);

struct LexiconProviders {
    QString version; // lexicon's, "3.11.7"
    QList<DnsProviderType> providers;
    int nativeTwins = 0;  // of those, the ones with a built-in twin
    QStringList unusable; // "oci" ...: their Python modules are missing
    QStringList left;     // "auto", "zeit": not providers of their own
};
// The bridge's `catalogue` answer as providers. Throws UpstreamError when it is not that JSON.
LexiconProviders lexiconProvidersFromJson(const QByteArray& json);
// The one line the providers answer and the service log carry about lexicon.
QString describeLexicon(const LexiconProviders& found, const LexiconRuntime& runtime);

// Finds lexicon and its providers and publishes the catalogue (with them, or with the built-in
// ones only and a note saying why). Never throws; logs one line.
awaitable<void> discoverLexiconProviders(LiveDnsCatalogue& live, process::ProcessRunner& runner,
                                         logging::Logger& log, QString searchPath,
                                         std::chrono::seconds timeout = std::chrono::seconds(60));

// The catalogue once the search at start has ended (at most `limit` later: the built-in one).
awaitable<std::shared_ptr<const DnsCatalogue>>
settledCatalogue(const LiveDnsCatalogue& live,
                 std::chrono::seconds limit = std::chrono::seconds(90));

} // namespace ck::dnsapi
