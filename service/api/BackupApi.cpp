// POST /api/system/export and /api/system/import: the encrypted backup package (see
// backup/BackupPackage.h). The passphrase only ever travels in a request body over the local
// API; it is never logged. Key derivation (scrypt, deliberately slow) runs off the network
// thread so that other requests are not held up.

#include "acme/AcmeRegistry.h"
#include "api/ApiContext.h"
#include "api/ServiceState.h"
#include "backup/BackupImport.h"
#include "backup/BackupPackage.h"
#include "credentials/CredentialStore.h"
#include "dnsapi/LexiconCatalogue.h"
#include "http/Responses.h"
#include "http/Router.h"
#include "licensing/LicenseManager.h"
#include "logging/Logger.h"
#include "process/ChildProcess.h"
#include "store/StoreWorker.h"

#include "base/Clock.h"
#include "crypto/PrivateKey.h"
#include "model/JsonReader.h"

#include <QSet>

namespace ck::api {

namespace {
// A whole package travels in one request body.
constexpr size_t kImportBodyBytes = 256u * 1024 * 1024;

QString requiredText(const QJsonObject& body, const char* key, const QString& what) {
    const QJsonValue v = body.value(QLatin1String(key));
    if (!v.isString() || v.toString().isEmpty())
        throw MalformedInputError(what, QLatin1String(key));
    return v.toString();
}

QByteArray passphraseFrom(const QJsonObject& body) {
    return requiredText(body, "passphrase",
                        QStringLiteral("Send the backup passphrase in "
                                       "\"passphrase\""))
        .toUtf8();
}

// Everything but the items, gathered on the network thread where the registries live.
void gatherRegistries(const BackupRouteServices& ctx, backup::BackupContents& contents,
                      QStringList& warnings) {
    for (const auto& credential : ctx.credentials.list()) {
        try {
            contents.credentials.append({credential, ctx.credentials.values(credential.id)});
        } catch (const DomainError& e) {
            warnings << e.message();
        }
    }
    for (const auto& ca : ctx.acme.authorities()) {
        if (ca.builtIn)
            continue;
        // The certificates checked when the CA was saved, never the file as it is now: the
        // path may by now name anything, and the package goes to another install.
        backup::PackagedAuthority packed{ca, ca.trustedRootCertificates.toLatin1()};
        if (!ca.trustedRootFile.isEmpty() && packed.trustedRoot.isEmpty())
            warnings << QStringLiteral("The trusted root file %1 of the CA '%2' was not accepted "
                                       "as PEM certificates, so the package has no root for it; "
                                       "save the CA again with a file of certificates")
                            .arg(ca.trustedRootFile, ca.title);
        contents.authorities.append(packed);
    }
    for (const auto& account : ctx.acme.accounts()) {
        try {
            contents.accounts.append({account, ctx.acme.accountKey(account).toPem()});
        } catch (const DomainError& e) {
            warnings << e.message();
        }
    }
}

InvalidInputError refusal(const backup::OpenFailure& failure) {
    const bool passphrase = failure.problem == backup::OpenProblem::WrongPassphrase;
    return InvalidInputError(failure.message,
                             passphrase ? QStringLiteral("passphrase") : QStringLiteral("package"));
}

struct StoredFacts {
    QSet<QString> present; // packaged item ids already stored here
    int count = 0;
};

backup::ExistingIds existingIds(const BackupRouteServices& ctx,
                                const backup::BackupContents& contents,
                                const QSet<QString>& items) {
    backup::ExistingIds ids;
    ids.items = items;
    for (const auto& c : contents.credentials)
        if (ctx.credentials.find(c.credential.id))
            ids.credentials << c.credential.id;
    for (const auto& a : contents.authorities)
        if (ctx.acme.authority(a.ca.id))
            ids.authorities << a.ca.id;
    for (const auto& a : contents.accounts)
        if (ctx.acme.account(a.account.id))
            ids.accounts << a.account.id;
    return ids;
}

awaitable<HttpResponse> exportPackage(const BackupRouteServices& ctx, const QJsonObject& body) {
    const QByteArray passphrase = passphraseFrom(body);
    if (QString::fromUtf8(passphrase).size() < backup::kMinPassphraseLength)
        throw InvalidInputError(QStringLiteral("Choose a passphrase of at least %1 characters: the "
                                               "package holds private keys and credentials")
                                    .arg(backup::kMinPassphraseLength),
                                QStringLiteral("passphrase"));
    auto readItems = [](store::ItemStore& s) { return s.all(); };
    const QList<ManagedCertificate> items = co_await ctx.store.run(std::move(readItems));

    backup::BackupContents contents;
    contents.createdAt = Clock::system().now();
    contents.sourceInstallId = ctx.license.installId();
    contents.productVersion = QStringLiteral(CERTKEEPER_VERSION);
    QStringList warnings;
    for (const auto& item : items)
        contents.items.append(backup::packItem(item, &warnings));
    gatherRegistries(ctx, contents, warnings);

    auto seal = [json = contents.toJson(), passphrase] {
        return backup::sealPackage(json, passphrase);
    };
    const QByteArray package = co_await ctx.processes.offload(std::move(seal));
    ctx.log.info(QStringLiteral("Exported a backup package: %1 managed certificates, %2 "
                                "credentials, %3 custom CAs, %4 accounts")
                     .arg(contents.items.size())
                     .arg(contents.credentials.size())
                     .arg(contents.authorities.size())
                     .arg(contents.accounts.size()));
    for (const auto& w : warnings)
        ctx.log.warning(QStringLiteral("Backup export: %1").arg(w));
    const QString fileName =
        QStringLiteral("certkeeper-backup-%1.ckbackup")
            .arg(contents.createdAt.toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const BackupExport answer{QString::fromLatin1(package), fileName, contents.counts(), warnings};
    co_return http::jsonResponse(beast::http::status::ok, answer.toJson());
}

awaitable<HttpResponse> importPackage(const BackupRouteServices& ctx, const QJsonObject& body) {
    const QByteArray package = requiredText(body, "package",
                                            QStringLiteral("Send the backup package's text in "
                                                           "\"package\""))
                                   .toLatin1();
    const QByteArray passphrase = passphraseFrom(body);
    const QString existing = body.value(QLatin1String("existing")).toString(QStringLiteral("skip"));
    if (existing != QLatin1String("skip") && existing != QLatin1String("replace"))
        throw MalformedInputError(QStringLiteral("\"existing\" is \"skip\" (keep what is here) or "
                                                 "\"replace\" (take the package's copy)"),
                                  QStringLiteral("existing"));
    const bool preview = body.value(QLatin1String("preview")).toBool();

    auto open = [package, passphrase] { return backup::openPackage(package, passphrase); };
    const auto opened = co_await ctx.processes.offload(std::move(open));
    if (const auto* failure = std::get_if<backup::OpenFailure>(&opened))
        throw refusal(*failure);
    QString problem;
    const auto contents = backup::BackupContents::fromJson(std::get<QJsonObject>(opened), &problem);
    if (!contents)
        throw refusal({backup::OpenProblem::Damaged,
                       QStringLiteral("The backup package cannot be used (%1), so nothing was "
                                      "imported.")
                           .arg(problem)});

    QStringList packagedIds;
    for (const auto& p : contents->items)
        packagedIds << p.item.id;
    auto look = [packagedIds](store::ItemStore& s) {
        StoredFacts facts;
        for (const auto& id : packagedIds)
            if (s.contains(id))
                facts.present << id;
        facts.count = s.count();
        return facts;
    };
    const StoredFacts facts = co_await ctx.store.run(std::move(look));
    backup::ImportPlan plan =
        backup::planImport(*contents, existingIds(ctx, *contents, facts.present),
                           existing == QLatin1String("replace"));
    const licensing::ItemAllowance allowance = ctx.license.allowance();
    try {
        allowance.require(facts.count, plan.itemsAdded);
    } catch (const LimitReachedError& e) {
        plan.limitProblem = e.message();
    }
    plan.preview = preview;
    plan.package = {contents->createdAt, contents->productVersion, contents->counts()};
    if (preview)
        co_return http::jsonResponse(beast::http::status::ok, plan.toJson());
    if (!plan.limitProblem.isEmpty())
        throw LimitReachedError(plan.limitProblem);

    co_await dnsapi::settledCatalogue(ctx.state.dnsCatalogue); // lexicon's credential types
    const QList<ManagedCertificate> items =
        backup::restoreAllButItems(*contents, plan, ctx.state.dataDir, ctx.credentials, ctx.acme);
    auto write = [items, allowance, replace = plan.replaceExisting,
                  now = Clock::system().now()](store::ItemStore& s) {
        int added = 0;
        for (const auto& item : items)
            added += s.contains(item.id) ? 0 : 1;
        allowance.require(s.count(), added); // again, now that nothing else can add meanwhile
        return s.restore(items, replace, now);
    };
    const QStringList written = co_await ctx.store.run(std::move(write));
    ctx.log.info(
        QStringLiteral("Imported a backup package: %1 managed certificates written, "
                       "existing entries %2")
            .arg(written.size())
            .arg(plan.replaceExisting ? QStringLiteral("replaced") : QStringLiteral("kept")));
    co_return http::jsonResponse(beast::http::status::ok, plan.toJson());
}
} // namespace

void addBackupRoutes(http::Router& router, BackupRouteServices ctx) {
    router.add(beast::http::verb::post, "/api/system/export",
               [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
                   const QJsonObject body = req.jsonBody();
                   co_return co_await exportPackage(ctx, body);
               });
    router.add(
        beast::http::verb::post, "/api/system/import",
        [ctx](http::RequestContext& req) -> awaitable<HttpResponse> {
            const QJsonObject body = req.jsonBody();
            co_return co_await importPackage(ctx, body);
        },
        http::Access::Token, kImportBodyBytes);
}

} // namespace ck::api
