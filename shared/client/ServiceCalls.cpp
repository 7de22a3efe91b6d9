// ApiClient's calls on the service as a whole: its version and diagnostics, the edition, backup
// packages, the settings, CAs, ACME accounts and stored credentials.

#include "client/ApiCalls.h"
#include "model/JsonReader.h"

namespace ck {

using namespace api_calls;

namespace {
const QString kLicense = QStringLiteral("/api/license");
const QString kSettings = QStringLiteral("/api/settings");
} // namespace

QJsonObject ServiceVersion::toJson() const {
    return {{"product", product}, {"version", version}, {"apiVersion", apiVersion}};
}

ServiceVersion ServiceVersion::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    ServiceVersion v;
    JsonReader r(o, errors);
    r.require({"product", "version", "apiVersion"});
    r.read("product", v.product);
    r.read("version", v.version);
    r.read("apiVersion", v.apiVersion);
    return v;
}

void ApiClient::appVersion(QObject* context, OnSuccess<ServiceVersion> ok, OnFailure fail) {
    send("GET", QStringLiteral("/api/system/appversion"), {}, std::nullopt, context,
         decoding(&ServiceVersion::fromJson, std::move(ok), fail), fail);
}

void ApiClient::diagnostics(QObject* context, OnSuccess<ServiceDiagnostics> ok, OnFailure fail) {
    send("GET", QStringLiteral("/api/system/diagnostics"), {}, std::nullopt, context,
         decoding(&ServiceDiagnostics::fromJson, std::move(ok), fail), fail);
}

// --- The edition ---

void ApiClient::license(QObject* context, OnSuccess<LicenseInfo> ok, OnFailure fail) {
    send("GET", kLicense, {}, std::nullopt, context,
         decoding(&LicenseInfo::fromJson, std::move(ok), fail), fail);
}

void ApiClient::activateLicense(const QString& key, QObject* context, OnSuccess<LicenseInfo> ok,
                                OnFailure fail) {
    send("POST", kLicense + QStringLiteral("/activate"), {}, QJsonObject{{"key", key}}, context,
         decoding(&LicenseInfo::fromJson, std::move(ok), fail), fail);
}

void ApiClient::deactivateLicense(QObject* context, OnSuccess<LicenseInfo> ok, OnFailure fail) {
    send("POST", kLicense + QStringLiteral("/deactivate"), {}, QJsonObject{}, context,
         decoding(&LicenseInfo::fromJson, std::move(ok), fail), fail);
}

// --- Backup packages ---

void ApiClient::exportBackup(const QString& passphrase, QObject* context,
                             OnSuccess<BackupExport> ok, OnFailure fail,
                             const CallOptions& options) {
    send("POST", QStringLiteral("/api/system/export"), {}, QJsonObject{{"passphrase", passphrase}},
         context, decoding(&BackupExport::fromJson, std::move(ok), fail), fail, options);
}

void ApiClient::importBackup(const QByteArray& package, const QString& passphrase,
                             bool replaceExisting, bool preview, QObject* context,
                             OnSuccess<BackupImport> ok, OnFailure fail,
                             const CallOptions& options) {
    const QJsonObject body{{"package", QString::fromLatin1(package)},
                           {"passphrase", passphrase},
                           {"existing", replaceExisting ? "replace" : "skip"},
                           {"preview", preview}};
    send("POST", QStringLiteral("/api/system/import"), {}, body, context,
         decoding(&BackupImport::fromJson, std::move(ok), fail), fail, options);
}

// --- Settings ---

void ApiClient::settings(QObject* context, OnSuccess<Preferences> ok, OnFailure fail) {
    send("GET", kSettings, {}, std::nullopt, context,
         decoding(preferencesFromJson, std::move(ok), fail), fail);
}

void ApiClient::updateSettings(const Preferences& preferences, QObject* context,
                               OnSuccess<Preferences> ok, OnFailure fail) {
    send("PUT", kSettings, {}, toJson(preferences), context,
         decoding(preferencesFromJson, std::move(ok), fail), fail);
}

void ApiClient::testNotification(const QString& channel, QObject* context, OnSuccess<QString> ok,
                                 OnFailure fail) {
    // {"ok": true, "message": what was sent}
    const auto sent = [](const QJsonObject& body, QList<FieldError>* errors) {
        QString message;
        JsonReader r(body, errors);
        r.require({"message"});
        r.read("message", message);
        return message;
    };
    send("POST", kSettings + QStringLiteral("/notifications/test"), {},
         QJsonObject{{"channel", channel}}, context, decoding(sent, std::move(ok), fail), fail);
}

// --- CAs and ACME accounts ---

void ApiClient::certificateAuthorities(QObject* context, OnSuccess<QList<CertificateAuthority>> ok,
                                       OnFailure fail) {
    send("GET", kAuthorities, {}, std::nullopt, context,
         decoding(arrayOf("items", &CertificateAuthority::fromJson), std::move(ok), fail), fail);
}

void ApiClient::addCertificateAuthority(const CertificateAuthority& ca, QObject* context,
                                        OnSuccess<CertificateAuthority> ok, OnFailure fail) {
    send("POST", kAuthorities, {}, ca.toJson(), context,
         decoding(&CertificateAuthority::fromJson, std::move(ok), fail), fail);
}

void ApiClient::deleteCertificateAuthority(const QString& id, QObject* context,
                                           OnSuccess<QString> ok, OnFailure fail) {
    send("DELETE", encodedPath(kAuthorities, id), {}, std::nullopt, context,
         answersWith(id, std::move(ok)), std::move(fail));
}

void ApiClient::accounts(QObject* context, OnSuccess<QList<AcmeAccount>> ok, OnFailure fail) {
    send("GET", kAccounts, {}, std::nullopt, context,
         decoding(arrayOf("items", &AcmeAccount::fromJson), std::move(ok), fail), fail);
}

void ApiClient::registerAccount(const AccountRegistrationRequest& request, QObject* context,
                                OnSuccess<AcmeAccount> ok, OnFailure fail) {
    send("POST", kAccounts, {}, request.toJson(), context,
         decoding(&AcmeAccount::fromJson, std::move(ok), fail), fail);
}

void ApiClient::rolloverAccount(const QString& id, const QString& keyAlgorithm, QObject* context,
                                OnSuccess<AcmeAccount> ok, OnFailure fail) {
    QJsonObject body;
    if (!keyAlgorithm.isEmpty())
        body.insert("keyAlgorithm", keyAlgorithm);
    send("POST", encodedPath(kAccounts, id) + QStringLiteral("/rollover"), {}, body, context,
         decoding(&AcmeAccount::fromJson, std::move(ok), fail), fail);
}

void ApiClient::removeAccount(const QString& id, QObject* context, OnSuccess<QString> ok,
                              OnFailure fail) {
    send("DELETE", encodedPath(kAccounts, id), {}, std::nullopt, context,
         answersWith(id, std::move(ok)), std::move(fail));
}

// --- Stored credentials ---

void ApiClient::credentialList(QObject* context, OnSuccess<QList<StoredCredential>> ok,
                               OnFailure fail) {
    send("GET", kCredentials, {}, std::nullopt, context,
         decoding(arrayOf("items", storedCredentialFromJson), std::move(ok), fail), fail);
}

void ApiClient::credentialTypes(QObject* context, OnSuccess<QList<CredentialType>> ok,
                                OnFailure fail) {
    send("GET", kCredentials + QStringLiteral("/types"), {}, std::nullopt, context,
         decoding(arrayOf("items", &CredentialType::fromJson), std::move(ok), fail), fail);
}

void ApiClient::challengeProviders(QObject* context, OnSuccess<QList<DnsProviderType>> ok,
                                   OnFailure fail) {
    send("GET", QStringLiteral("/api/challengeproviders"), {}, std::nullopt, context,
         decoding(arrayOf("items", &DnsProviderType::fromJson), std::move(ok), fail), fail);
}

void ApiClient::addCredential(const QString& type, const QString& title, const QJsonObject& values,
                              QObject* context, OnSuccess<StoredCredential> ok, OnFailure fail) {
    send("POST", kCredentials, {},
         QJsonObject{{"type", type}, {"title", title}, {"values", values}}, context,
         decoding(storedCredentialFromJson, std::move(ok), fail), fail);
}

void ApiClient::testCredential(const QString& id, QObject* context, OnSuccess<CredentialTest> ok,
                               OnFailure fail) {
    send("POST", encodedPath(kCredentials, id) + QStringLiteral("/test"), {}, QJsonObject{},
         context, decoding(&CredentialTest::fromJson, std::move(ok), fail), fail);
}

void ApiClient::removeCredential(const QString& id, QObject* context, OnSuccess<QString> ok,
                                 OnFailure fail) {
    send("DELETE", encodedPath(kCredentials, id), {}, std::nullopt, context,
         answersWith(id, std::move(ok)), std::move(fail));
}

} // namespace ck
