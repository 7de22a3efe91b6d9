#include "dnsapi/LexiconCatalogue.h"

#include "DomainError.h"
#include "model/DnsProviderSpec.h"

#include <boost/asio/this_coro.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>

namespace ck::dnsapi {

namespace {
using namespace std::chrono_literals;

// lexicon modules that are not providers of their own: "auto" picks another provider from the
// zone's name servers (its options are every other provider's), "zeit" is Vercel's old name.
const QStringList kNotProviders{QStringLiteral("auto"), QStringLiteral("zeit")};

// Words of an option name that make it a secret; "key" not when an id, a file or a flag
// follows ("auth_key_id", "auth_key_file", "auth_key_is_global").
bool secretWord(const QStringList& words, qsizetype i) {
    static const QStringList secret{"token",      "secret", "password", "passwd", "psw", "pass",
                                    "passphrase", "2fa",    "otp",      "info",   "key", "apikey"};
    static const QStringList notAfterKey{"id", "file", "is", "name"};
    if (!secret.contains(words[i]))
        return false;
    if (words[i] == QLatin1String("key") && i + 1 < words.size())
        return !notAfterKey.contains(words[i + 1]);
    // googleclouddns' auth_service_account_info is the service account's key in JSON.
    if (words[i] == QLatin1String("info"))
        return words.contains(QStringLiteral("account"));
    return true;
}

QString capitalized(QString text) {
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

// "Gandi" from the module's first docstring line when it says so plainly, else from the name.
QString displayName(const QString& name, const QString& doc) {
    static const QRegularExpression patterns[] = {
        QRegularExpression(QStringLiteral("^(?:module )?provider (?:module )?for (.+?)\\.?$"),
                           QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(QStringLiteral("^Lexicon (.+?) Provider$")),
        QRegularExpression(QStringLiteral("^Implements? the (.+?) provider\\.?$")),
        QRegularExpression(QStringLiteral("^(\\S+) provider implementation$")),
    };
    for (const auto& pattern : patterns) {
        const auto match = pattern.match(doc.trimmed());
        if (match.hasMatch()) {
            QString found = match.captured(1);
            found = found.section(QStringLiteral(" ("), 0, 0).trimmed();
            if (!found.isEmpty() && !found.startsWith(QLatin1String("a ")) && found.size() < 40)
                return capitalized(found);
        }
    }
    return capitalized(name);
}

// "auth_api_key" -> "API key": the form's label.
QString fieldTitle(const QString& option) {
    static const QStringList upper{"api", "id", "ip", "dns", "url", "uri", "pdns", "ib", "2fa"};
    QStringList words = option.split(u'_', Qt::SkipEmptyParts);
    if (words.size() > 1 && words.first() == QLatin1String("auth"))
        words.removeFirst();
    for (QString& w : words)
        if (upper.contains(w))
            w = w.toUpper();
    return capitalized(words.join(u' '));
}

CredentialField optionField(const QString& provider, const QJsonObject& o, bool only) {
    CredentialField f;
    f.name = o.value("name").toString();
    f.title = fieldTitle(f.name);
    f.secret = isSecretOption(f.name);
    f.required = only; // lexicon's options declare no "required"; a lone one surely is
    f.defaultValue = o.value("default").toString();
    QString help = capitalized(o.value("help").toString().trimmed());
    if (!help.isEmpty() && !help.endsWith(u'.'))
        help += u'.';
    QStringList choices;
    for (const auto& c : o.value("choices").toArray())
        choices << c.toString();
    if (!choices.isEmpty())
        help += QStringLiteral(" One of: %1.").arg(choices.join(QStringLiteral(", ")));
    if (o.value("isFlag").toBool())
        help += QStringLiteral(" A switch: yes to turn it on, empty to leave it off.");
    help += QStringLiteral(" (lexicon's %1, given to it as %2.)")
                .arg(o.value("flag").toString(), lexiconVariable(provider, f.name));
    f.help = help.trimmed();
    return f;
}

DnsProviderType providerType(const QString& name, const QJsonObject& p, const QString& version) {
    using namespace dnsspec;
    DnsProviderType t;
    const QString title = displayName(name, p.value("doc").toString());
    t.id = QLatin1String(kLexiconPrefix) + name;
    t.title = QStringLiteral("%1 (via lexicon)").arg(title);
    t.description =
        QStringLiteral("Through lexicon %1's %2 provider, run as a program of its own with the "
                       "credential in its environment: the TXT value is added and exactly that "
                       "value is removed afterwards.")
            .arg(version, name);
    t.credentialType = t.id;
    t.credentialTitle = QStringLiteral("%1 credential (lexicon)").arg(title);
    const QJsonArray options = p.value("options").toArray();
    bool hasZone = false;
    for (const auto& v : options) {
        t.credentialFields.append(optionField(name, v.toObject(), options.size() == 1));
        hasZone = hasZone || t.credentialFields.last().name == QLatin1String("zone");
    }
    if (!hasZone)
        t.credentialFields.append(
            field("zone", "Zone", false,
                  "The zone this credential changes, e.g. example.com: Test lists its TXT "
                  "records, and a request whose rule names no zone uses it. Empty: found with "
                  "SOA queries."));
    t.credentialFields.append(field(
        "dnsServer", "DNS server to check", false,
        "host or host:port of a server authoritative for the zone, asked for the zone and until "
        "it serves the new record; empty: the system's resolver finds the zone and its name "
        "servers are asked."));
    t.credentialHelp =
        QStringLiteral("The %1 account's API credential, in the options lexicon's %2 provider "
                       "takes (see its help on each field and lexicon's documentation). The "
                       "values reach lexicon only in its environment, never on a command line.")
            .arg(title, name);
    t.credentialUrl = QStringLiteral("https://dns-lexicon.readthedocs.io/en/latest/");
    t.parameters = apiParameters(0);
    t.parameters[0].description = QStringLiteral(
        "The zone to change, e.g. example.com; empty: the credential's zone, else found with SOA "
        "queries");
    t.parameters.append(seconds("timeoutSeconds", "Time limit per lexicon run (seconds)", 120, 3600,
                                "A lexicon run still going then is stopped"));
    t.parameters.last().minimum = 5;
    t.nativeProvider = nativeTwinOf(name);
    return t;
}

QString absolutePathIn(const QString& searchPath, const QString& program) {
    for (const QString& dir : searchPath.split(u':', Qt::SkipEmptyParts)) {
        const QFileInfo candidate(QDir(dir), program);
        if (candidate.isFile() && candidate.isExecutable())
            return candidate.absoluteFilePath();
    }
    return {};
}
} // namespace

QString lexiconProviderName(const QString& id) {
    return id.startsWith(QLatin1String(kLexiconPrefix))
               ? id.mid(qsizetype(sizeof kLexiconPrefix - 1))
               : QString();
}

bool isSecretOption(const QString& name) {
    const QStringList words = name.toLower().split(u'_', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < words.size(); ++i)
        if (secretWord(words, i))
            return true;
    return false;
}

QString nativeTwinOf(const QString& name) {
    static const QStringList twins{"powerdns",       "cloudflare",   "route53", "azure",
                                   "googleclouddns", "digitalocean", "hetzner"};
    return twins.contains(name) ? name : QString();
}

QString lexiconVariable(const QString& provider, const QString& option) {
    // lexicon's EnvironmentConfigSource: "lexicon:<provider>:<option>", ':' -> '_', upper case.
    return QStringLiteral("LEXICON_%1_%2").arg(provider, option).toUpper();
}

LexiconRuntime findLexiconRuntime(const QString& searchPath) {
    LexiconRuntime r;
    r.lexicon = absolutePathIn(searchPath, QStringLiteral("lexicon"));
    if (r.lexicon.isEmpty()) {
        r.problem = QStringLiteral("lexicon is not installed (no lexicon program in the "
                                   "service's PATH): install Debian's lexicon package for about "
                                   "70 more DNS providers, then restart the service");
        return r;
    }
    QFile file(r.lexicon);
    QString line;
    if (file.open(QIODevice::ReadOnly))
        line = QString::fromUtf8(file.readLine(4096)).trimmed();
    if (!line.startsWith(QLatin1String("#!"))) {
        r.problem = QStringLiteral("%1 has no #! line naming its Python interpreter, so its "
                                   "providers cannot be used; reinstall lexicon")
                        .arg(r.lexicon);
        return r;
    }
    QStringList words =
        line.mid(2).split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    if (words.isEmpty() || !QFileInfo(words.first()).isExecutable()) {
        r.problem = QStringLiteral("The interpreter on the #! line of %1 (%2) cannot be run; "
                                   "reinstall lexicon")
                        .arg(r.lexicon, words.value(0));
        return r;
    }
    r.interpreter = words.takeFirst();
    r.arguments = words;
    return r;
}

process::ProcessSpec bridgeSpec(const LexiconRuntime& runtime, const QStringList& arguments,
                                QList<QPair<QString, QString>> environment,
                                std::chrono::milliseconds timeout) {
    process::ProcessSpec spec;
    spec.program = runtime.interpreter;
    spec.arguments = runtime.arguments;
    spec.arguments << QStringLiteral("-") << arguments;
    spec.input = lexiconBridgeScript();
    spec.environment = std::move(environment);
    // No .pyc files next to the service's data, and output as it comes.
    spec.environment.append({QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1")});
    spec.environment.append({QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1")});
    spec.timeout = timeout;
    return spec;
}

LexiconProviders lexiconProvidersFromJson(const QByteArray& json) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject() || !doc.object().value("providers").isArray())
        throw UpstreamError(
            QStringLiteral("lexicon's list of providers cannot be read (%1)")
                .arg(doc.isNull() ? error.errorString() : QStringLiteral("no providers in it")));
    LexiconProviders found;
    found.version = doc.object().value("lexiconVersion").toString();
    for (const auto& v : doc.object().value("providers").toArray()) {
        const QJsonObject p = v.toObject();
        const QString name = p.value("name").toString();
        static const QRegularExpression plain(QStringLiteral("^[a-z0-9_]+$"));
        if (!plain.match(name).hasMatch())
            continue; // not a name lexicon could be asked for
        if (kNotProviders.contains(name)) {
            found.left << name;
            continue;
        }
        if (!p.value("available").toBool(true) || p.contains("error")) {
            found.unusable << name;
            continue;
        }
        found.providers.append(providerType(name, p, found.version));
        if (!found.providers.last().nativeProvider.isEmpty())
            ++found.nativeTwins;
    }
    std::sort(found.providers.begin(), found.providers.end(),
              [](const DnsProviderType& a, const DnsProviderType& b) {
                  return a.title.compare(b.title, Qt::CaseInsensitive) < 0;
              });
    return found;
}

QString describeLexicon(const LexiconProviders& found, const LexiconRuntime& runtime) {
    QString text = QStringLiteral("lexicon %1 (%2, run with %3): %4 DNS providers, %5 of them "
                                  "offered beside the built-in ones")
                       .arg(found.version, runtime.lexicon, runtime.interpreter)
                       .arg(found.providers.size())
                       .arg(found.providers.size() - found.nativeTwins);
    if (found.nativeTwins > 0)
        text += QStringLiteral(" (%1 have a built-in twin, used instead unless named by id)")
                    .arg(found.nativeTwins);
    if (!found.unusable.isEmpty())
        text += QStringLiteral("; %1 need Python modules that are not installed: %2")
                    .arg(found.unusable.size())
                    .arg(found.unusable.join(QStringLiteral(", ")));
    return text;
}

namespace {
struct Listing {
    std::shared_ptr<const DnsCatalogue> catalogue; // null when none could be read
    QString note;
};

// What the bridge's `catalogue` run left in `file`.
Listing readListing(const process::ProcessResult& result, const QString& file,
                    const LexiconRuntime& runtime, std::chrono::milliseconds timeout) {
    Listing listing;
    QFile out(file);
    if (!result.ok() || !out.open(QIODevice::ReadOnly)) {
        listing.note = QStringLiteral("lexicon's providers could not be listed: %1 %2")
                           .arg(runtime.interpreter, result.summary(timeout));
        if (const QString tail = result.tail(5); !tail.isEmpty())
            listing.note += QStringLiteral("; its last output: ") + tail.simplified();
        return listing;
    }
    try {
        const LexiconProviders found = lexiconProvidersFromJson(out.readAll());
        listing.catalogue = std::make_shared<const DnsCatalogue>(found.providers);
        listing.note = describeLexicon(found, runtime);
    } catch (const DomainError& e) {
        listing.note = e.message();
    }
    return listing;
}
} // namespace

awaitable<void> discoverLexiconProviders(LiveDnsCatalogue& live, process::ProcessRunner& runner,
                                         logging::Logger& log, QString searchPath,
                                         std::chrono::seconds timeout) {
    const LexiconRuntime runtime = findLexiconRuntime(searchPath);
    if (!runtime.ok()) {
        log.info(runtime.problem);
        live.publish(nullptr, runtime.problem);
        co_return;
    }
    // The list is longer than the service keeps of a program's output: it goes into a file.
    QTemporaryDir dir;
    const QString file = dir.filePath(QString::fromLatin1("catalogue.json"));
    const QStringList arguments{QString::fromLatin1("catalogue"), file};
    const process::ProcessSpec spec = bridgeSpec(runtime, arguments, {}, timeout);
    const auto started = std::chrono::steady_clock::now();
    const process::ProcessResult result = co_await runner.run(spec);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    Listing listing = readListing(result, file, runtime, spec.timeout);
    if (listing.catalogue)
        log.info(listing.note + QString::fromLatin1("; listed in %1 ms").arg(took.count()));
    else
        log.warning(listing.note);
    live.publish(std::move(listing.catalogue), listing.note);
}

awaitable<std::shared_ptr<const DnsCatalogue>> settledCatalogue(const LiveDnsCatalogue& live,
                                                                std::chrono::seconds limit) {
    // Polled: the search ends once, within seconds of the start; a wait is rare and short.
    const auto deadline = std::chrono::steady_clock::now() + limit;
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor);
    while (!live.complete() && std::chrono::steady_clock::now() < deadline) {
        timer.expires_after(25ms);
        co_await timer.async_wait(use_awaitable);
    }
    co_return live.current();
}

} // namespace ck::dnsapi
