// certkeeper-cli renew: start renewals now, the listed certificates or every due one, and with
// --wait follow them until each has ended.

#include "cli/Cli.h"
#include "cli/ExitCodes.h"
#include "client/BlockingCall.h"

#include <QJsonArray>
#include <QThread>

namespace ck::cli {

namespace {
constexpr int kPollMs = 100;

bool running(RequestState s) {
    return s == RequestState::Queued || s == RequestState::Running;
}
} // namespace

int Cli::renew(const Invocation& in) {
    const QStringList& ids = in.args();
    const bool all = in.isSet("all");
    const bool wait = in.isSet("wait");
    if (all == !ids.isEmpty())
        return usage(QStringLiteral("renew needs --all or the IDs to renew (see 'certkeeper-cli "
                                    "list')"));
    if (const int code = connect(); code != Success)
        return code;
    const auto answer = waitFor<RenewalsStarted>(
        [&](QObject* ctx, auto ok, auto failed) { m_client->renewItems(ids, ctx, ok, failed); });
    if (!answer)
        return fail(answer.error);

    int code = Success;
    const QStringList& queued = answer->queued;
    const auto& skipped = answer->skipped;
    if (m_globals.json && !wait)
        printJson(answer->toJson());
    if (!m_globals.json) {
        if (queued.isEmpty() && skipped.isEmpty())
            m_out << "No certificate is due for renewal\n";
        for (const auto& id : queued)
            m_out << "Renewing " << id << '\n';
    }
    for (const auto& s : skipped) {
        m_err << "certkeeper-cli: not renewing " << s.id << ": " << s.reason << '\n';
        if (!all)
            code = s.reason.startsWith(QLatin1String("no managed")) ? NotFound : Conflict;
    }
    m_out.flush();
    m_err.flush();
    if (!wait)
        return code;

    QJsonArray outcomes;
    for (const auto& id : queued) {
        CallResult<ManagedCertificate> item;
        for (;;) {
            item = waitFor<ManagedCertificate>([&](QObject* ctx, auto ok, auto failed) {
                m_client->getItem(id, ctx, ok, failed);
            });
            if (!item)
                return fail(item.error);
            if (!running(item->lastRenewalStatus))
                break;
            QThread::msleep(kPollMs);
        }
        outcomes.append(toJson(*item));
        if (item->lastRenewalStatus == RequestState::Success) {
            if (!m_globals.json)
                m_out << "Renewed " << item->name << " (" << id << "), expires "
                      << item->dateExpiry.toLocalTime().toString(Qt::ISODate) << '\n';
        } else {
            m_err << "certkeeper-cli: renewing " << item->name << " (" << id
                  << ") failed: " << item->renewalFailureMessage << '\n';
            code = RequestFailed;
        }
    }
    if (m_globals.json)
        printJson({{"items", outcomes}, {"skipped", answer->toJson().value("skipped")}});
    return code;
}

} // namespace ck::cli
