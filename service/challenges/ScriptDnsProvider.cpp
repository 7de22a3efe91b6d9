#include "challenges/ScriptDnsProvider.h"

#include "challenges/DnsQuery.h"
#include "process/ChildProcess.h"

#include <boost/asio/this_coro.hpp>

namespace ck::challenges {
namespace {
constexpr int outputLinesInErrors = 10;
} // namespace

ScriptDnsProvider::ScriptDnsProvider(process::ProcessRunner& runner, ScriptDnsSettings settings)
    : m_runner(runner), m_settings(std::move(settings)) {
    if (m_settings.presentCommand.isEmpty())
        throw InvalidInputError(QStringLiteral("Name the program that creates the TXT record"),
                                QStringLiteral("presentCommand"));
    if (m_settings.timeout.count() < 1)
        throw InvalidInputError(QStringLiteral("The timeout must be at least 1 s"),
                                QStringLiteral("timeout"));
    if (m_settings.propagationDelaySeconds < 0)
        throw InvalidInputError(QStringLiteral("The propagation delay cannot be negative"),
                                QStringLiteral("propagationDelaySeconds"));
}

QString ScriptDnsProvider::title() const {
    return QStringLiteral("DNS script %1").arg(m_settings.presentCommand.program);
}

awaitable<void> ScriptDnsProvider::runCommand(const ScriptCommand& command, const QString& action,
                                              const DnsTxtRecord& r) {
    process::ProcessSpec spec;
    spec.program = command.program;
    spec.arguments = command.arguments;
    spec.timeout = m_settings.timeout;
    spec.environment = {{QStringLiteral("CERTKEEPER_ACTION"), action},
                        {QStringLiteral("CERTKEEPER_RECORD_NAME"), dns::absoluteName(r.name)},
                        {QStringLiteral("CERTKEEPER_RECORD_VALUE"), r.value},
                        {QStringLiteral("CERTKEEPER_DOMAIN"), r.domain}};
    process::ProcessResult result = co_await m_runner.run(spec);
    if (result.ok())
        co_return;
    QString detail = QStringLiteral("The DNS script %1 (%2) for the TXT record %3 %4")
                         .arg(command.program, action, r.name, result.summary(spec.timeout));
    const QString tail = result.tail(outputLinesInErrors);
    if (!tail.isEmpty())
        detail += QStringLiteral("; its last output:\n") + tail;
    throw UpstreamError(detail);
}

awaitable<void> ScriptDnsProvider::present(const DnsTxtRecord& r) {
    const QString action = QStringLiteral("present");
    co_await runCommand(m_settings.presentCommand, action, r);
}

awaitable<void> ScriptDnsProvider::cleanup(const DnsTxtRecord& r) {
    if (m_settings.cleanupCommand.isEmpty())
        co_return;
    const QString action = QStringLiteral("cleanup");
    co_await runCommand(m_settings.cleanupCommand, action, r);
}

awaitable<void> ScriptDnsProvider::waitForPropagation(const DnsTxtRecord& r,
                                                      std::chrono::seconds timeout) {
    if (m_settings.propagationDelaySeconds > 0) {
        auto executor = co_await asio::this_coro::executor;
        asio::steady_timer timer(executor);
        timer.expires_after(std::chrono::seconds(m_settings.propagationDelaySeconds));
        co_await timer.async_wait(use_awaitable);
    }
    if (m_settings.checkServer.trimmed().isEmpty())
        co_return;
    QList<dns::DnsServer> servers{
        dns::DnsServer{m_settings.checkServer.trimmed(), m_settings.checkPort, {}}};
    co_await dns::waitForTxt(m_runner, servers, r.name, r.value, timeout);
}

} // namespace ck::challenges
