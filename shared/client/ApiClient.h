#pragma once
// The client of the Certkeeper service API, used by the app and the CLI. Asynchronous: each call
// takes a context object (the callbacks never run after it is destroyed), a success callback
// with the decoded answer and a failure callback with the service's own error. Network failures
// become ApiError{Kind::Connection} with an explanation from ConnectionDiagnosis; when the
// service has moved to another port, the client follows it once and says so (serverMoved).

#include "ApiError.h"
#include "client/ApiToken.h"
#include "config/ServersConfig.h"
#include "model/ActionStep.h"
#include "model/Adoption.h"
#include "model/ApiResults.h"
#include "model/CertificateAuthority.h"
#include "model/DeploymentTaskTypes.h"
#include "model/DnsProviderTypes.h"
#include "model/ItemList.h"
#include "model/License.h"
#include "model/LogEntry.h"
#include "model/ManagedCertificate.h"
#include "model/Preferences.h"
#include "model/ServiceDiagnostics.h"
#include "model/TaskRunResult.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QUrlQuery>

#include <any>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace ck {

namespace api_calls {
struct Revalidated;
}

template <typename T> using OnSuccess = std::function<void(const T&)>;
using OnFailure = std::function<void(const ApiError&)>;

// How one call is made. A call that may take long (Test, Preview, running tasks, backup
// packages, bulk import) passes its own timeout; the others use the client's.
struct CallOptions {
    std::optional<std::chrono::milliseconds> timeout; // nothing: the client's timeout
};

// GET /api/system/appversion
struct ServiceVersion {
    QString product;
    QString version;
    int apiVersion = 0;
    QJsonObject toJson() const;
    static ServiceVersion fromJson(const QJsonObject& o, QList<FieldError>* errors);
};

class ApiClient : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::seconds kDefaultTimeout{15};

    // `dataDir` is where servers.json was read; the diagnosis looks there for the service's
    // fault record and for a port the service moved to.
    ApiClient(ServerEntry server, QString dataDir, QObject* parent = nullptr);
    ~ApiClient() override;

    const ServerEntry& server() const { return m_server; }
    void setServer(const ServerEntry& server);
    QString dataDir() const { return m_dataDir; }
    // The timeout of calls that do not pass their own (CallOptions).
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    void appVersion(QObject* context, OnSuccess<ServiceVersion> ok, OnFailure fail);
    void diagnostics(QObject* context, OnSuccess<ServiceDiagnostics> ok, OnFailure fail);
    // The list and its summary are read again and again (polling, many windows): the client
    // remembers each answer with its ETag and asks with If-None-Match, so that when nothing
    // changed the service answers 304 and the remembered answer comes back marked `unchanged`.
    void listItems(const ListQuery& query, QObject* context, OnSuccess<ItemPage> ok,
                   OnFailure fail);
    void summary(QObject* context, OnSuccess<ItemSummary> ok, OnFailure fail);
    void getItem(const QString& id, QObject* context, OnSuccess<ManagedCertificate> ok,
                 OnFailure fail);
    // Both answer with the item as stored (new id, or version + 1). Fields this version does not
    // know (the item's `extra`, from a newer service) are sent back as they came.
    void createItem(const ManagedCertificate& item, QObject* context,
                    OnSuccess<ManagedCertificate> ok, OnFailure fail);
    void updateItem(const ManagedCertificate& item, QObject* context,
                    OnSuccess<ManagedCertificate> ok, OnFailure fail);
    // Succeeds with the id that was deleted.
    void deleteItem(const QString& id, QObject* context, OnSuccess<QString> ok, OnFailure fail);

    // Starts a request now (202); the item's status and log show how it goes.
    void requestCertificate(const QString& id, QObject* context, OnSuccess<RequestStarted> ok,
                            OnFailure fail);
    // RFC 5280 reason code; answers with the item marked revoked.
    void revokeCertificate(const QString& id, int reason, QObject* context,
                           OnSuccess<ManagedCertificate> ok, OnFailure fail);
    // The newest `limit` entries of the item's log, oldest first.
    void itemLog(const QString& id, int limit, QObject* context, OnSuccess<QList<LogEntry>> ok,
                 OnFailure fail);

    void certificateAuthorities(QObject* context, OnSuccess<QList<CertificateAuthority>> ok,
                                OnFailure fail);
    void accounts(QObject* context, OnSuccess<QList<AcmeAccount>> ok, OnFailure fail);
    void registerAccount(const AccountRegistrationRequest& request, QObject* context,
                         OnSuccess<AcmeAccount> ok, OnFailure fail);

    // --- Editions, backup packages, bulk import, credentials and account upkeep ---
    void license(QObject* context, OnSuccess<LicenseInfo> ok, OnFailure fail);
    // The key is checked by the service; a refused key fails with its own explanation.
    void activateLicense(const QString& key, QObject* context, OnSuccess<LicenseInfo> ok,
                         OnFailure fail);
    void deactivateLicense(QObject* context, OnSuccess<LicenseInfo> ok, OnFailure fail);
    void exportBackup(const QString& passphrase, QObject* context, OnSuccess<BackupExport> ok,
                      OnFailure fail, const CallOptions& options = {});
    // With `preview`, says what the import would do and does nothing.
    void importBackup(const QByteArray& package, const QString& passphrase, bool replaceExisting,
                      bool preview, QObject* context, OnSuccess<BackupImport> ok, OnFailure fail,
                      const CallOptions& options = {});
    // Many new items at once, each checked on its own: one result for each, in order. With
    // `dryRun`, says which would be created and creates none.
    void createItems(const QList<ManagedCertificate>& items, bool dryRun, QObject* context,
                     OnSuccess<BatchCreateResult> ok, OnFailure fail,
                     const CallOptions& options = {});
    // Certificates of certbot, lego or acme.sh: what adopting them would create (`apply` false,
    // nothing changes) or what it created, one row per lineage.
    void adoptCertificates(const AdoptionRequest& request, bool apply, QObject* context,
                           OnSuccess<AdoptionPlan> ok, OnFailure fail,
                           const CallOptions& options = {});
    // The stored credentials (no secrets).
    void credentialList(QObject* context, OnSuccess<QList<StoredCredential>> ok, OnFailure fail);
    // Answers with the stored credential (no secrets).
    void addCredential(const QString& type, const QString& title, const QJsonObject& values,
                       QObject* context, OnSuccess<StoredCredential> ok, OnFailure fail);
    void removeCredential(const QString& id, QObject* context, OnSuccess<QString> ok,
                          OnFailure fail);
    // A new key for the account (empty algorithm: the same kind as now).
    void rolloverAccount(const QString& id, const QString& keyAlgorithm, QObject* context,
                         OnSuccess<AcmeAccount> ok, OnFailure fail);
    void removeAccount(const QString& id, QObject* context, OnSuccess<QString> ok, OnFailure fail);
    // Renewal settings and notifications (GET/PUT /api/settings); the answer is the settings as
    // saved.
    void settings(QObject* context, OnSuccess<Preferences> ok, OnFailure fail);
    void updateSettings(const Preferences& preferences, QObject* context, OnSuccess<Preferences> ok,
                        OnFailure fail);
    // Sends a test message through the saved settings: `channel` is "email" or "webhook".
    // Succeeds with what was sent; fails with the mail server's or webhook's own words.
    void testNotification(const QString& channel, QObject* context, OnSuccess<QString> ok,
                          OnFailure fail);
    // Starts renewals now: the listed ids, or every due certificate when `ids` is empty.
    void renewItems(const QStringList& ids, QObject* context, OnSuccess<RenewalsStarted> ok,
                    OnFailure fail);
    // Deployment tasks. The catalogue of task types (to build task forms from):
    void deploymentTaskTypes(QObject* context, OnSuccess<QList<TaskTypeSpec>> ok, OnFailure fail);
    // Runs the item's tasks now, without a request: every post-request task, or the one task
    // `taskId` names. Answers when they have run (give the call a long timeout).
    void deploy(const QString& id, const QString& taskId, QObject* context,
                OnSuccess<QList<TaskRunResult>> ok, OnFailure fail,
                const CallOptions& options = {});

    // --- Main window (issue 5): live events ---
    // Opens GET /api/events (optionally ?itemId=) as a stream: the token, Accept
    // text/event-stream, Last-Event-ID when resuming, and no transfer timeout (a quiet stream is
    // not a failure; the service sends a comment every 15 s). The caller reads and owns the reply
    // (EventStream does).
    QNetworkReply* openEventStream(const QString& itemId, const QByteArray& lastEventId);

Q_SIGNALS:
    // The service moved (port negotiation) and servers.json names its new address; later calls
    // go there. `explanation` is for a status bar.
    void serverMoved(const ck::ServerEntry& now, const QString& explanation);

private:
    struct Call;
    using OnJson = std::function<void(const QJsonObject& body)>;

    // The one place every request is built: URL, token, Accept, Content-Type, timeout and the
    // validator of a conditional GET.
    QNetworkRequest buildRequest(const QString& path, const QUrlQuery& query, const ApiToken& token,
                                 bool hasBody, std::chrono::milliseconds timeout,
                                 const QByteArray& ifNoneMatch = {}) const;
    std::shared_ptr<Call> makeCall(const QByteArray& verb, const QString& path,
                                   const QUrlQuery& query, std::optional<QJsonObject> body,
                                   QObject* context, OnJson ok, OnFailure fail,
                                   const CallOptions& options);
    void send(const QByteArray& verb, const QString& path, const QUrlQuery& query,
              std::optional<QJsonObject> body, QObject* context, OnJson ok, OnFailure fail,
              const CallOptions& options = {});
    // A GET whose answers carry an ETag, remembered for the next read (see listItems).
    void sendRevalidated(const QString& path, const QUrlQuery& query, QObject* context,
                         api_calls::Revalidated handling, OnFailure fail);
    void remember(const QString& url, const QByteArray& etag, std::any answer);
    void start(std::shared_ptr<Call> call);
    void finish(const std::shared_ptr<Call>& call, QNetworkReply* reply);
    // The error to report, or nothing when the call went again to the service's new address.
    std::optional<ApiError> connectionFailure(const std::shared_ptr<Call>& call,
                                              QNetworkReply* reply, int httpStatus);

    ServerEntry m_server;
    QString m_dataDir;
    std::chrono::milliseconds m_timeout = kDefaultTimeout;
    QNetworkAccessManager* m_network;
    // Answers of sendRevalidated by URL, with their ETag; the oldest go first beyond a bound.
    struct Remembered {
        QByteArray etag;
        std::any answer;
    };
    static constexpr int kRememberedAnswers = 64;
    QHash<QString, Remembered> m_remembered;
    QStringList m_rememberedOrder;

    // Preview and Test (POST /api/managedcertificates/{id}/preview and /test).
public:
    // What a request would do, step by step, each step checked without doing it. `edits`: the
    // editor's unsaved version of the item, looked at instead of the stored one; with an empty
    // `id`, a new item that is not saved yet.
    void previewItem(const QString& id, const std::optional<ManagedCertificate>& edits,
                     QObject* context, OnSuccess<QList<ActionStep>> ok, OnFailure fail,
                     const CallOptions& options = {});
    // The checks of the item's configuration (names, challenge responses, CA, account); `edits`
    // as for previewItem. May take tens of seconds: give the call a longer timeout.
    void testItem(const QString& id, const std::optional<ManagedCertificate>& edits,
                  QObject* context, OnSuccess<TestReport> ok, OnFailure fail,
                  const CallOptions& options = {});

private:
    void postToItem(const QString& id, const QString& action,
                    const std::optional<ManagedCertificate>& edits, QObject* context, OnJson ok,
                    OnFailure fail, const CallOptions& options);
    // The certificate editor and the settings (issue 5).
public:
    // The kinds of credential the service stores, with their fields (to build forms from).
    void credentialTypes(QObject* context, OnSuccess<QList<CredentialType>> ok, OnFailure fail);
    // The dns-01 providers the service has, with their credential and parameters (the
    // Authorization tab builds its DNS form from them).
    void challengeProviders(QObject* context, OnSuccess<QList<DnsProviderType>> ok, OnFailure fail);
    void testCredential(const QString& id, QObject* context, OnSuccess<CredentialTest> ok,
                        OnFailure fail);
    void addCertificateAuthority(const CertificateAuthority& ca, QObject* context,
                                 OnSuccess<CertificateAuthority> ok, OnFailure fail);
    // Succeeds with the id that was removed.
    void deleteCertificateAuthority(const QString& id, QObject* context, OnSuccess<QString> ok,
                                    OnFailure fail);
};

} // namespace ck
