// Qt SQL plumbing of the store: named connections, statements that throw InternalError,
// transactions.

#include "store/StoreInternal.h"

#include <algorithm>

#include <QMutex>
#include <QSet>
#include <QUuid>

#include <atomic>

namespace ck::store::detail {

namespace {
QString newConnectionName() {
    static std::atomic<quint64> counter{0};
    return QStringLiteral("certkeeper-store-%1-%2")
        .arg(++counter)
        .arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
}

// Connections whose server went away; the store opens them again before their next statement.
QSet<QString>& lostConnections() {
    static QSet<QString> names;
    return names;
}
QMutex& lostConnectionsMutex() {
    static QMutex mutex;
    return mutex;
}
void noteLost(const QSqlDatabase& db) {
    QMutexLocker lock(&lostConnectionsMutex());
    lostConnections().insert(db.connectionName());
}

// The statement's first words, to say which step failed without quoting bound values.
QString statementName(const QString& sql) {
    const QString simplified = sql.simplified();
    return simplified.left(60) + (simplified.size() > 60 ? QStringLiteral("...") : QString());
}
} // namespace

Connection::Connection(const QString& path, Mode mode) : m_name(newConnectionName()) {
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    m_db.setDatabaseName(path);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs);
    if (mode == Mode::ReadOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    m_db.setConnectOptions(options);
    if (!m_db.open())
        m_openError = m_db.lastError();
}

Connection::Connection(const StoreSettings& settings, const QString& password)
    : m_name(newConnectionName()) {
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
    m_db.setHostName(settings.host);
    m_db.setPort(settings.port);
    m_db.setDatabaseName(settings.database);
    m_db.setUserName(settings.user);
    m_db.setPassword(password);
    QStringList options = settings.options;
    // A server that does not answer must not hold the service's start for libpq's default of
    // forever.
    if (!std::any_of(options.cbegin(), options.cend(), [](const QString& option) {
            return option.startsWith(QLatin1String("connect_timeout="));
        }))
        options.append(QStringLiteral("connect_timeout=10"));
    m_db.setConnectOptions(options.join(u';'));
    if (!m_db.open())
        m_openError = m_db.lastError();
}

bool Connection::reopen() {
    {
        QMutexLocker lock(&lostConnectionsMutex());
        lostConnections().remove(m_name);
    }
    m_db.close();
    if (m_db.open())
        return true;
    m_openError = m_db.lastError();
    noteLost(m_db);
    return false;
}

Connection::~Connection() {
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

bool tryExec(QSqlQuery& query, const QString& sql, const QVariantList& binds, QSqlError* error) {
    query.setForwardOnly(true);
    // Without values the statement runs as it is: PostgreSQL prepares only queries and
    // changes of rows, not BEGIN, SET or CREATE.
    bool ok = binds.isEmpty() ? query.exec(sql) : query.prepare(sql);
    if (ok && !binds.isEmpty()) {
        for (const auto& value : binds)
            query.addBindValue(value);
        ok = query.exec();
    }
    if (!ok && error)
        *error = query.lastError();
    return ok;
}

QSqlQuery exec(const QSqlDatabase& db, const QString& sql, const QVariantList& binds) {
    QSqlQuery query(db);
    QSqlError error;
    if (!tryExec(query, sql, binds, &error))
        throwSqlError(statementName(sql), error, db);
    return query;
}

void throwSqlError(const QString& what, const QSqlError& error, const QSqlDatabase& db) {
    const SqlEngine engine = engineOf(db);
    if (classify(engine, error) == SqlFailure::Unreachable)
        noteLost(db);
    throwSqlError(what, error, engine);
}

bool connectionLost(const QSqlDatabase& db) {
    QMutexLocker lock(&lostConnectionsMutex());
    return lostConnections().contains(db.connectionName());
}

void throwSqlError(const QString& what, const QSqlError& error, SqlEngine engine) {
    switch (classify(engine, error)) {
    case SqlFailure::DiskFull:
        // The transaction was rolled back, nothing is half-written; the user must free space.
        throw StorageFullError::whileSaving(
            QStringLiteral("the change to the managed certificates"),
            error.databaseText().trimmed());
    case SqlFailure::Unreachable:
        throw UnavailableError(QStringLiteral("The database server cannot be reached (%1): %2. "
                                              "Nothing was changed; try again when it is back.")
                                   .arg(what, error.databaseText().trimmed()));
    case SqlFailure::Conflict:
        throw ConflictError(QStringLiteral("Another service changed the same certificates at "
                                           "the same moment (%1); nothing was changed, try again")
                                .arg(what));
    case SqlFailure::Other:
        break;
    }
    throw InternalError(QStringLiteral("The managed-items database failed (%1): %2")
                            .arg(what, error.text().trimmed()));
}

int sqliteCode(const QSqlError& error) {
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? (code & 0xff) : -1;
}

WriteTransaction::WriteTransaction(const QSqlDatabase& db) : m_db(db) {
    exec(m_db, beginWriteSql(engineOf(m_db)));
}

WriteTransaction::~WriteTransaction() {
    if (!m_done) {
        QSqlQuery rollback(m_db);
        rollback.exec(QStringLiteral("ROLLBACK"));
    }
}

void WriteTransaction::commit() {
    exec(m_db, QStringLiteral("COMMIT"));
    m_done = true;
}

QString integrityCheck(const QSqlDatabase& db, QSqlError* error) {
    QSqlQuery query(db);
    QSqlError failure;
    if (!tryExec(query, QStringLiteral("PRAGMA integrity_check"), {}, &failure)) {
        if (error)
            *error = failure;
        return {};
    }
    QStringList lines;
    while (query.next())
        if (lines.size() < 20)
            lines.append(query.value(0).toString());
    if (query.lastError().isValid()) {
        if (error)
            *error = query.lastError();
        return {};
    }
    if (lines.isEmpty()) {
        if (error)
            *error = QSqlError(QStringLiteral("integrity_check returned nothing"), {},
                               QSqlError::StatementError);
        return {};
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace ck::store::detail
