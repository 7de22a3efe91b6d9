// certkeeper-cli's certificate-authority commands: request (waiting and showing each step),
// revoke, log (and log --follow, LogFollower.h), and ACME accounts.

#include "cli/Cli.h"
#include "cli/CliFormat.h"
#include "cli/ExitCodes.h"
#include "cli/LogFollower.h"
#include "cli/TextTable.h"
#include "client/BlockingCall.h"

#include <QJsonArray>
#include <QThread>

namespace ck::cli {

namespace {
constexpr int kPollMs = 25; // loopback: cheap, and a user is watching

bool finished(RequestState s) {
    return s != RequestState::Queued && s != RequestState::Running;
}
} // namespace

QString logLine(const LogEntry& e) {
    return QStringLiteral("%1 [%2] %3")
        .arg(e.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz")), e.level, e.message);
}

int Cli::request(const Invocation& in) {
    const QString id = in.arg(0);
    // Entries already in the log belong to earlier requests: show only what comes after them.
    const auto before = waitFor<QList<LogEntry>>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->itemLog(id, 1, ctx, ok, failed); });
    if (!before)
        return fail(before.error);
    const QDateTime seenUntil = before->isEmpty() ? QDateTime() : before->last().time;
    const auto started = waitFor<RequestStarted>([&](QObject* ctx, auto ok, auto failed) {
        m_client->requestCertificate(id, ctx, ok, failed);
    });
    if (!started)
        return fail(started.error);

    int shown = 0;
    for (;;) {
        const auto item = waitFor<ManagedCertificate>(
            [&](QObject* ctx, auto ok, auto failed) { m_client->getItem(id, ctx, ok, failed); });
        if (!item)
            return fail(item.error);
        const auto entries = waitFor<QList<LogEntry>>([&](QObject* ctx, auto ok, auto failed) {
            m_client->itemLog(id, 1000, ctx, ok, failed);
        });
        if (!entries)
            return fail(entries.error);
        QList<LogEntry> fresh;
        for (const auto& e : *entries)
            if (!seenUntil.isValid() || e.time > seenUntil)
                fresh.append(e);
        if (!m_globals.json)
            for (; shown < fresh.size(); ++shown)
                m_out << logLine(fresh[shown]) << '\n';
        m_out.flush();
        if (finished(item->lastRenewalStatus)) {
            if (m_globals.json)
                printJson(toJson(*item));
            if (item->lastRenewalStatus == RequestState::Success) {
                if (!m_globals.json)
                    m_out << "Issued: " << item->certificateFullChainPath << " (expires "
                          << item->dateExpiry.toLocalTime().toString(Qt::ISODate) << ")\n";
                return Success;
            }
            m_err << "certkeeper-cli: the request failed: " << item->renewalFailureMessage << '\n';
            return RequestFailed;
        }
        QThread::msleep(kPollMs); // nothing else to do meanwhile
    }
}

int Cli::revoke(const Invocation& in) {
    const QString id = in.arg(0);
    bool numeric = false;
    const int code = in.value("reason").toInt(&numeric);
    if (!numeric)
        return usage(QStringLiteral("--reason takes a number: 0, 1, 3, 4 or 5"));
    const auto item = waitFor<ManagedCertificate>([&](QObject* ctx, auto ok, auto failed) {
        m_client->revokeCertificate(id, code, ctx, ok, failed);
    });
    if (!item)
        return fail(item.error);
    if (m_globals.json)
        printJson(toJson(*item));
    else
        m_out << "Revoked the certificate of “" << item->name << "” (serial "
              << item->certificateSerial << ")\n";
    return Success;
}

int Cli::log(const Invocation& in) {
    const QString id = in.arg(0);
    const int limit = in.value("limit").toInt();
    if (in.isSet("follow")) {
        LogFollower follower(m_client.get(), id, limit, m_globals.json, m_out, m_err,
                             [this](const ApiError& error) { return fail(error); });
        return follower.run();
    }
    const auto entries = waitFor<QList<LogEntry>>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->itemLog(id, limit, ctx, ok, failed); });
    if (!entries)
        return fail(entries.error);
    if (m_globals.json) {
        QJsonArray arr;
        for (const auto& e : *entries)
            arr.append(e.toJson());
        printJson({{"entries", arr}});
        return Success;
    }
    for (const auto& e : *entries)
        m_out << logLine(e) << '\n';
    return Success;
}

int Cli::accountList(const Invocation&) {
    const auto accounts = waitFor<QList<AcmeAccount>>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->accounts(ctx, ok, failed); });
    if (!accounts)
        return fail(accounts.error);
    if (m_globals.json) {
        QJsonArray arr;
        for (const auto& a : *accounts)
            arr.append(a.toJson());
        printJson({{"items", arr}});
        return Success;
    }
    if (accounts->isEmpty()) {
        m_out << "No ACME accounts. Register one with 'certkeeper-cli account add'.\n";
        return Success;
    }
    TextTable table({QStringLiteral("ID"), QStringLiteral("CA"), QStringLiteral("EMAIL"),
                     QStringLiteral("STATUS"), QStringLiteral("KEY")});
    for (const auto& a : *accounts)
        table.addRow(
            {a.id,
             a.certificateAuthorityId + (a.staging ? QStringLiteral(" (staging)") : QString()),
             a.email, a.status, a.keyAlgorithm});
    table.print(m_out);
    return Success;
}

int Cli::accountAdd(const Invocation& in) {
    AccountRegistrationRequest request;
    request.certificateAuthorityId = in.value("ca");
    request.email = in.value("email");
    request.agreeToTerms = in.isSet("agree-tos");
    request.staging = in.isSet("staging");
    request.keyAlgorithm = in.value("key");
    request.eabKeyId = in.value("eab-kid");
    request.eabHmacKey = in.value("eab-hmac");
    const auto created = waitFor<AcmeAccount>([&](QObject* ctx, auto ok, auto failed) {
        m_client->registerAccount(request, ctx, ok, failed);
    });
    if (!created)
        return fail(created.error);
    if (m_globals.json)
        printJson(created->toJson());
    else
        m_out << "Registered " << created->email << " with " << created->certificateAuthorityId
              << " (" << created->accountUrl << ")\n";
    return Success;
}

int Cli::accountRollover(const Invocation& in) {
    const auto account = waitFor<AcmeAccount>([&](QObject* ctx, auto ok, auto failed) {
        m_client->rolloverAccount(in.arg(0), in.value("key"), ctx, ok, failed);
    });
    if (!account)
        return fail(account.error);
    if (m_globals.json)
        printJson(account->toJson());
    else
        m_out << "The account " << account->email << " now signs with a new "
              << account->keyAlgorithm << " key; the old key no longer works.\n";
    return Success;
}

int Cli::accountRemove(const Invocation& in) {
    const QString id = in.arg(0);
    const auto removed = waitFor<QString>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->removeAccount(id, ctx, ok, failed); });
    return reportRemoved(removed, QStringLiteral("Removed the account %1 from this install (it "
                                                 "stays registered with the CA)")
                                      .arg(id));
}

} // namespace ck::cli
