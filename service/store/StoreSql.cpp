// Qt SQL plumbing of the store: named connections, statements that throw InternalError,
// transactions.

#include "store/StoreInternal.h"

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

Connection::~Connection() {
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

bool tryExec(QSqlQuery& query, const QString& sql, const QVariantList& binds, QSqlError* error) {
    query.setForwardOnly(true);
    bool ok = query.prepare(sql);
    if (ok) {
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
        throwSqlError(statementName(sql), error);
    return query;
}

void throwSqlError(const QString& what, const QSqlError& error) {
    // SQLITE_FULL: the transaction was rolled back, the file is intact; the user must free space.
    if (sqliteCode(error) == kSqliteFull)
        throw StorageFullError::whileSaving(
            QStringLiteral("the change to the managed certificates"),
            error.databaseText().trimmed());
    throw InternalError(QStringLiteral("The managed-items database failed (%1): %2")
                            .arg(what, error.text().trimmed()));
}

int sqliteCode(const QSqlError& error) {
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? (code & 0xff) : -1;
}

WriteTransaction::WriteTransaction(const QSqlDatabase& db) : m_db(db) {
    exec(m_db, QStringLiteral("BEGIN IMMEDIATE"));
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
