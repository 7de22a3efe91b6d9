#include "deploy/PresentedCheck.h"

#include "deploy/TaskActions.h"

namespace ck::deploy {

namespace {
constexpr auto kProbeInterval = std::chrono::milliseconds(500);
constexpr auto kProbeTimeout = std::chrono::seconds(5);
} // namespace

QString shortThumbprintOf(const QString& t) {
    return t.isEmpty() ? QStringLiteral("(none)") : t.left(16) + QStringLiteral("...");
}

TlsProbeResult probePresentedBlocking(const PresentedTarget& target) {
    const auto limit = std::min<std::chrono::milliseconds>(kProbeTimeout, target.wait);
    return probeTlsCertificate(target.host, target.port, target.serverName, limit, target.startTls);
}

awaitable<TaskOutcome> waitUntilPresented(process::ProcessRunner& runner,
                                          const PresentedTarget& target, const QString& expected,
                                          const QString& done) {
    const auto deadline = std::chrono::steady_clock::now() + target.wait;
    TlsProbeResult last;
    for (;;) {
        auto probe = [target] { return probePresentedBlocking(target); };
        last = co_await runner.offload(std::move(probe));
        if (last.ok() && last.thumbprint.compare(expected, Qt::CaseInsensitive) == 0)
            co_return TaskOutcome::success(
                QStringLiteral("%1; %2 presents the new certificate (%3)")
                    .arg(done, target.where(), shortThumbprintOf(expected)));
        // A server that does not offer STARTTLS will not start to: no point in waiting.
        if (last.error.contains(QLatin1String("does not offer STARTTLS")))
            break;
        if (std::chrono::steady_clock::now() + kProbeInterval >= deadline)
            break;
        co_await sleepFor(kProbeInterval);
    }
    if (!last.ok())
        co_return TaskOutcome::failure(
            QStringLiteral("%1, but the check could not read the certificate on %2: %3")
                .arg(done, target.where(), last.error));
    co_return TaskOutcome::failure(
        QStringLiteral("%1, but %2 still presents the certificate %3, not the new one %4, after "
                       "%5 s; check that the server reads the files written and that the check "
                       "host, port and name are the ones it serves")
            .arg(done, target.where(), shortThumbprintOf(last.thumbprint),
                 shortThumbprintOf(expected))
            .arg(qint64(target.wait.count())));
}

} // namespace ck::deploy
