#pragma once
// Helpers for the deployment-task tests: an item with a real certificate chain on disk (made by
// the openssl tool: root -> intermediate -> leaf), a runner with its own process pool and
// credential store, scripts in a temporary folder, an HTTP listener that records what webhooks
// send.

#include "CryptoTestSupport.h"
#include "DnsTestSupport.h"
#include "TestSupport.h" // Catch2 printing of Qt types (tests/unit)
#include "credentials/CredentialStore.h"
#include "deploy/DeploymentRunner.h"
#include "logging/ItemLog.h"
#include "process/ChildProcess.h"

#include <catch2/catch.hpp>

#include <QMap>
#include <QTemporaryDir>

#include <atomic>
#include <mutex>
#include <thread>

namespace ck::test {

// A managed certificate whose files (leaf, chain, full chain, key) exist in `dir`/assets.
struct IssuedItem {
    QTemporaryDir dir;
    QTemporaryDir serviceDir; // stands for the service's data directory, kept apart from `dir`
    crypto::test::TestChain chain;
    ManagedCertificate item;
    IssuedItem();
    QString path(const QString& name) const { return dir.filePath(name); }
    QString dataDir() const { return serviceDir.path(); }
};

// Everything a DeploymentRunner needs, and the item log it writes to.
struct RunnerFixture {
    QTemporaryDir dataDir;
    logging::Logger serviceLog;
    process::ProcessRunner processes{2};
    credentials::CredentialStore credentials;
    deploy::DeploymentRunner runner{processes, credentials, dataDir.path()};
    logging::ItemLog log;

    RunnerFixture();
    // Runs the tasks for `run` to completion.
    QList<TaskRunResult> run(const QList<DeploymentTask>& tasks, const deploy::RunContext& run);
    QString logText() const; // the item log's messages, one per line
};

deploy::RunContext postRequest(const ManagedCertificate& item, bool succeeded = true,
                               const QString& message = {});

DeploymentTask makeTask(const QString& type, const QJsonObject& parameters,
                        const QString& name = {});
QByteArray readAll(const QString& path);
// The subjects ("CN = ...") of the certificates in a PEM file, by the openssl tool, in order.
QStringList certificateSubjects(const QString& pemFile);

// A one-thread HTTP/1.1 server on a loopback port that answers every request with `status` and
// records what it received.
class HttpListener {
public:
    struct Received {
        QByteArray method;
        QByteArray target;
        QMap<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
    };
    explicit HttpListener(int status = 200, QByteArray answer = "ok");
    ~HttpListener();
    HttpListener(const HttpListener&) = delete;
    HttpListener& operator=(const HttpListener&) = delete;
    int port() const { return m_port; }
    QList<Received> received() const;

private:
    void serve();
    void answer(int fd);
    int m_status;
    QByteArray m_answer;
    int m_listenFd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    QList<Received> m_received;
    std::thread m_thread;
};

} // namespace ck::test
