#include "cli/LogFollower.h"

#include "cli/CliFormat.h"
#include "cli/ExitCodes.h"
#include "cli/Interrupts.h"

#include <QJsonDocument>
#include <QTimer>

namespace ck::cli {

namespace {
using namespace std::chrono_literals;

// After a reset the service may have written many lines while this client was away.
constexpr int kReloadLimit = 1000;
// A user is watching: reconnect to a restarted service within seconds, not the stream's 30 s.
constexpr auto kFirstRetry = 1s;
constexpr auto kMaxRetry = 5s;

// The live event and the log file carry the same entry in slightly different clothes (the file
// drops blank lines of a multi-line message and may keep trailing spaces): compare the words.
QString keyOf(const LogEntry& entry) {
    QStringList lines;
    for (const QString& line : entry.message.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            lines.append(trimmed);
    }
    return QStringLiteral("%1|%2|%3")
        .arg(entry.time.toMSecsSinceEpoch())
        .arg(entry.level, lines.join(u'\n'));
}
} // namespace

bool PrintedEntries::contains(const LogEntry& entry) const {
    return m_keys.contains(keyOf(entry));
}

void PrintedEntries::add(const LogEntry& entry) {
    if (!m_newest.isValid() || entry.time > m_newest)
        m_newest = entry.time;
    const QString key = keyOf(entry);
    if (m_keys.contains(key))
        return;
    m_keys.insert(key);
    m_order.push_back(key);
    if (m_order.size() > kRemembered) {
        m_keys.remove(m_order.front());
        m_order.pop_front();
    }
}

QList<LogEntry> PrintedEntries::unseenOf(const QList<LogEntry>& tail) const {
    // The file's order is the order lines were written: the last line printed anchors the rest
    // (a time comparison alone could skip a line two threads wrote in the same instant).
    qsizetype anchor = tail.size() - 1;
    while (anchor >= 0 && !contains(tail[anchor]))
        --anchor;
    QList<LogEntry> unseen;
    for (qsizetype i = anchor + 1; i < tail.size(); ++i) {
        const LogEntry& entry = tail[i];
        const bool olderThanPrinted =
            anchor < 0 && m_newest.isValid() && entry.time < m_newest; // before what was shown
        if (!olderThanPrinted && !contains(entry))
            unseen.append(entry);
    }
    return unseen;
}

LogFollower::LogFollower(ApiClient* client, QString itemId, int limit, bool json, QTextStream& out,
                         QTextStream& err, std::function<int(const ApiError&)> fail)
    : m_client(client), m_itemId(std::move(itemId)), m_limit(limit), m_json(json), m_out(out),
      m_err(err), m_fail(std::move(fail)), m_stream(client) {
    m_stream.setItemFilter(m_itemId);
    m_stream.setRetryDelays(kFirstRetry, kMaxRetry);
    connect(&m_stream, &EventStream::connected, this, &LogFollower::onConnected);
    connect(&m_stream, &EventStream::disconnected, this,
            [this](const ApiError& why, std::chrono::milliseconds) { onDisconnected(why); });
    connect(&m_stream, &EventStream::logEntry, this,
            [this](const QString& forItem, const LogEntry& entry) {
                if (forItem == m_itemId)
                    onLogEntry(entry);
            });
    connect(&m_stream, &EventStream::resetRequested, this, &LogFollower::onReset);
    connect(&m_stream, &EventStream::itemDeleted, this, [this](const QString& forItem) {
        if (forItem == m_itemId)
            onDeleted();
    });
}

int LogFollower::run() {
    Interrupts interrupts;
    connect(&interrupts, &Interrupts::interrupted, this, [this] { finish(Success); });
    m_stream.start();
    return m_loop.exec();
}

void LogFollower::onConnected() {
    if (m_outage) {
        m_err << "certkeeper-cli: reconnected\n";
        m_err.flush();
        m_outage = false;
    }
    m_everConnected = true;
    // Back after an outage: the service replays what it still holds only to a client that had
    // seen an event of this item (its Last-Event-ID), so the log file is asked either way.
    if (m_tailShown)
        m_tailStale = true;
    if (m_tailStale && !m_fetching)
        fetchTail();
}

void LogFollower::onDisconnected(const ApiError& why) {
    if (!m_everConnected && !m_diagnosing) {
        // Not even the start worked. The stream's words are terse: an ordinary call says why
        // in full, as every command does (not running, moved to another port, token), and
        // follows a service that moved. If that call works, the stream is retried as usual.
        m_diagnosing = true;
        m_client->itemLog(
            m_itemId, 1, this,
            [this, why](const QList<LogEntry>&) {
                m_diagnosing = false;
                sayConnectionLost(why);
            },
            [this](const ApiError& error) {
                if (!m_finished)
                    finish(m_fail(error));
            });
        return;
    }
    sayConnectionLost(why);
}

void LogFollower::sayConnectionLost(const ApiError& why) {
    if (m_outage || m_finished)
        return; // said once per outage, however many attempts it takes
    m_outage = true;
    m_err << "certkeeper-cli: connection lost, retrying… (" << why.detail << ")\n";
    m_err.flush();
}

void LogFollower::onLogEntry(const LogEntry& entry) {
    if (m_fetching || m_tailStale)
        m_pending.append(entry); // printed after the tail, in order
    else if (!m_printed.contains(entry))
        print(entry);
}

void LogFollower::onReset() {
    // Events were lost (the service restarted, or this client was away too long): the log file
    // still has the lines.
    m_tailStale = true;
    if (!m_fetching && m_stream.isConnected())
        fetchTail();
}

void LogFollower::onDeleted() {
    for (const LogEntry& entry : std::as_const(m_pending))
        if (!m_printed.contains(entry))
            print(entry);
    m_err << "certkeeper-cli: the managed certificate " << m_itemId
          << " was deleted; its log ends here\n";
    finish(NotFound);
}

void LogFollower::fetchTail() {
    m_fetching = true;
    m_tailStale = false; // a reset from now on asks for another fetch
    const int limit = m_tailShown ? kReloadLimit : m_limit;
    m_client->itemLog(
        m_itemId, limit, this, [this](const QList<LogEntry>& tail) { onTail(tail); },
        [this](const ApiError& error) { onTailFailed(error); });
}

void LogFollower::onTail(const QList<LogEntry>& tail) {
    if (m_finished)
        return; // e.g. deleted while the tail was on its way
    m_fetching = false;
    m_tailShown = true;
    for (const LogEntry& entry : m_printed.unseenOf(tail))
        print(entry);
    if (m_tailStale) { // reset meanwhile: what arrived live may come after lines still missing
        if (m_stream.isConnected())
            fetchTail();
        return;
    }
    const QList<LogEntry> pending = std::exchange(m_pending, {});
    for (const LogEntry& entry : pending)
        if (!m_printed.contains(entry))
            print(entry);
}

void LogFollower::onTailFailed(const ApiError& error) {
    if (m_finished)
        return;
    m_fetching = false;
    if (error.kind == ApiError::Kind::NotFound && m_tailShown) {
        onDeleted(); // gone while the stream was away
        return;
    }
    if (error.kind != ApiError::Kind::Connection || !m_tailShown) {
        finish(m_fail(error)); // e.g. no such certificate
        return;
    }
    // The service went away again: the stream notices too, and its next connection fetches.
    m_tailStale = true;
    QTimer::singleShot(kFirstRetry, this, [this] {
        if (m_tailStale && !m_fetching && m_stream.isConnected())
            fetchTail();
    });
}

void LogFollower::print(const LogEntry& entry) {
    if (m_json)
        m_out << QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact) << '\n';
    else
        m_out << logLine(entry) << '\n';
    m_out.flush();
    m_printed.add(entry);
}

void LogFollower::finish(int code) {
    if (m_finished)
        return;
    m_finished = true;
    m_stream.stop();
    m_out.flush();
    m_err.flush();
    m_loop.exit(code);
}

} // namespace ck::cli
