#include "revocation/RevocationWatch.h"

#include "logging/ItemLog.h"
#include "revocation/RevocationCheck.h"

#include <optional>

namespace ck::revocation {

namespace {

constexpr std::chrono::hours kPassEvery{1};
const QString kRevoked = QStringLiteral("revoked");

// On the store thread: the check's outcome recorded on the item as it is now, unless its
// certificate was replaced meanwhile (then the outcome is about an old one: nothing is stored).
std::optional<ManagedCertificate> record(store::ItemStore& s, const QString& id,
                                         const QString& thumbprint, const CheckResult& result,
                                         const QDateTime& now) {
    ManagedCertificate current = s.get(id);
    if (current.certificateThumbprint != thumbprint)
        return std::nullopt;
    current.revocationStatus = result.status;
    current.revocationMessage = result.message;
    current.dateRevocationChecked = now;
    if (result.status == kRevoked)
        current.certificateRevoked = true;
    return s.update(std::move(current)); // one store thread: nothing wrote in between
}

} // namespace

bool dueForCheck(const ManagedCertificate& item, const QDateTime& now) {
    if (item.certificatePath.isEmpty() || !item.dateExpiry.isValid() || item.dateExpiry <= now ||
        item.certificateRevoked)
        return false;
    // A certificate that names no responder and no CRL never will: asked again when replaced.
    if (item.revocationStatus == QLatin1String("none"))
        return false;
    return !item.dateRevocationChecked.isValid() ||
           item.dateRevocationChecked.secsTo(now) >=
               std::chrono::duration_cast<std::chrono::seconds>(kCheckEvery).count();
}

RevocationWatch::RevocationWatch(asio::io_context& ioc, store::StoreWorker& store,
                                 process::ProcessRunner& pool, logging::Logger& log,
                                 QString logsDir, const Clock& clock, RevokedHandler onRevoked)
    : m_ioc(ioc), m_store(store), m_pool(pool), m_log(log), m_logsDir(std::move(logsDir)),
      m_clock(clock), m_onRevoked(std::move(onRevoked)), m_timer(ioc) {}

void RevocationWatch::start() {
    asio::co_spawn(m_ioc, loop(), asio::detached);
}

void RevocationWatch::stop() {
    m_stopped = true;
    m_timer.cancel();
}

awaitable<void> RevocationWatch::loop() {
    while (!m_stopped) {
        QString failure;
        try {
            co_await runPass();
        } catch (const std::exception& e) {
            failure = QString::fromUtf8(e.what());
        }
        if (!failure.isEmpty())
            m_log.warning(QStringLiteral("The revocation check failed (%1); the next one, in an "
                                         "hour, tries again")
                              .arg(failure));
        if (m_stopped)
            break;
        m_timer.expires_after(kPassEvery);
        ErrorCode ec;
        co_await m_timer.async_wait(asio::redirect_error(use_awaitable, ec));
    }
}

awaitable<int> RevocationWatch::runPass() {
    auto work = [now = m_clock.now()](store::ItemStore& s) {
        QList<ManagedCertificate> due;
        for (ManagedCertificate& item : s.all())
            if (dueForCheck(item, now))
                due.append(std::move(item));
        return due;
    };
    const QList<ManagedCertificate> due = co_await m_store.run(std::move(work));
    int checked = 0;
    for (const ManagedCertificate& item : due) {
        if (m_stopped)
            break;
        try {
            co_await check(item);
            ++checked;
        } catch (const NotFoundError&) {
            // deleted meanwhile
        }
    }
    co_return checked;
}

awaitable<ManagedCertificate> RevocationWatch::checkNow(QString itemId) {
    auto work = [itemId](store::ItemStore& s) { return s.get(itemId); };
    ManagedCertificate item = co_await m_store.run(std::move(work));
    if (item.certificatePath.isEmpty())
        throw InvalidInputError(
            QStringLiteral("'%1' has no certificate to check yet").arg(item.name));
    co_return co_await check(std::move(item));
}

awaitable<ManagedCertificate> RevocationWatch::check(ManagedCertificate item) {
    const QDateTime now = m_clock.now();
    auto ask = [item, now] { return checkRevocationBlocking(item, now); };
    const CheckResult result = co_await m_pool.offload(std::move(ask));
    auto work = [id = item.id, thumbprint = item.certificateThumbprint, result,
                 now](store::ItemStore& s) { return record(s, id, thumbprint, result, now); };
    const std::optional<ManagedCertificate> stored = co_await m_store.run(std::move(work));
    if (!stored)
        co_return item; // renewed while the CA was asked: the next pass checks the new one

    logging::ItemLog log(m_logsDir, item.id, m_log);
    const QString line = QStringLiteral("Revocation check: %1").arg(result.message);
    if (result.status == kRevoked) {
        log.error(line + QStringLiteral(". Renewing it now."));
        m_onRevoked(*stored);
    } else if (result.status != item.revocationStatus) {
        // Said when it changes, not every day: a log of "still good" lines helps nobody.
        if (result.status == QLatin1String("good"))
            log.info(line);
        else
            log.warning(line);
    }
    co_return *stored;
}

} // namespace ck::revocation
