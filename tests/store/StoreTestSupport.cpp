#include "StoreTestSupport.h"

#include "PostgresServer.h"
#include "store/PostgresItemStore.h"

#include <catch2/catch.hpp>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace ck::storetest {

ManagedCertificate makeItem(const QString& name, const QStringList& domains) {
    ManagedCertificate item;
    item.name = name;
    item.comments = QStringLiteral("made by the store tests");
    item.requestConfig.primaryDomain = domains.value(0);
    item.requestConfig.subjectAlternativeNames = domains;
    ChallengeConfig challenge;
    challenge.provider = QStringLiteral("listener");
    item.requestConfig.challenges.append(challenge);
    return item;
}

void setHealth(ManagedCertificate& item, Health health) {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    item.lastRenewalStatus = RequestState::Success;
    item.dateStart = now.addDays(-10);
    item.dateExpiry = now.addDays(80);
    switch (health) {
    case Health::Ok:
        break;
    case Health::Warning:
        item.dateStart = now.addDays(-80);
        item.dateExpiry = now.addDays(10);
        break;
    case Health::Error:
        item.dateStart = now.addDays(-100);
        item.dateExpiry = now.addDays(-1);
        break;
    case Health::AwaitingUser:
        item.lastRenewalStatus = RequestState::Paused;
        break;
    case Health::NotYetIssued:
        item.lastRenewalStatus = RequestState::NotRunning;
        item.dateStart = {};
        item.dateExpiry = {};
        break;
    }
    REQUIRE(item.health(now) == health);
}

ListQuery searchFor(const QString& text) {
    ListQuery query;
    query.search = text;
    return query;
}

ListQuery withHealth(Health health) {
    ListQuery query;
    query.health = health;
    return query;
}

bool onPostgres() {
    return qEnvironmentVariable("CERTKEEPER_TEST_STORE_ENGINE") == QLatin1String("postgresql");
}

namespace {
// One database per test folder, named after the folder.
QString databaseFor(const QString& dir) {
    return QStringLiteral("store_") +
           QString::fromLatin1(
               QCryptographicHash::hash(dir.toUtf8(), QCryptographicHash::Sha1).toHex().left(16));
}
} // namespace

StoreSettings postgresSettingsFor(const QString& dir) {
    static QMap<QString, StoreSettings> made;
    if (const auto it = made.constFind(dir); it != made.constEnd())
        return *it;
    QString error;
    test::PostgresServer* server = test::PostgresServer::shared(error);
    INFO(error.toStdString());
    REQUIRE(server);
    const StoreSettings settings = server->createDatabase(databaseFor(dir), error);
    INFO(error.toStdString());
    REQUIRE(settings.engine == StoreSettings::Engine::Postgres);
    made.insert(dir, settings);
    return settings;
}

std::unique_ptr<store::ItemStore> openStore(const QString& dir) {
    if (!onPostgres())
        return openSqliteStore(dir);
    const StoreSettings settings = postgresSettingsFor(dir);
    QString error;
    const QString password = readPasswordFile(settings.passwordFile, &error);
    INFO(error.toStdString());
    REQUIRE(error.isEmpty());
    return store::PostgresItemStore::open(settings, password);
}

std::unique_ptr<store::SqliteItemStore> openSqliteStore(const QString& dir,
                                                        QList<store::RecoveryEvent>* events) {
    QList<store::RecoveryEvent> ignored;
    return store::SqliteItemStore::open(dir, events ? events : &ignored);
}

bool writeBehindTheStore(const QString& dir, const QString& sql, const QVariantList& binds,
                         QString& error) {
    const QString name = QUuid::createUuid().toString(QUuid::WithoutBraces);
    bool ok = false;
    {
        QSqlDatabase db;
        if (onPostgres()) {
            const StoreSettings settings = postgresSettingsFor(dir);
            db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            db.setHostName(settings.host);
            db.setPort(settings.port);
            db.setDatabaseName(settings.database);
            db.setUserName(settings.user);
            db.setPassword(readPasswordFile(settings.passwordFile, &error));
        } else {
            db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(dbPath(dir));
        }
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            if (binds.isEmpty()) {
                ok = query.exec(sql);
            } else {
                ok = query.prepare(sql);
                for (const QVariant& value : binds)
                    query.addBindValue(value);
                ok = ok && query.exec();
            }
            if (!ok)
                error = query.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

QString dbPath(const QString& dir) {
    return dir + QStringLiteral("/manageditems.db");
}

void overwrite(const QString& path, qint64 offset, qint64 size, char fill) {
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadWrite));
    REQUIRE(file.seek(offset));
    REQUIRE(file.write(QByteArray(size, fill)) == size);
    file.close();
}

namespace {
template <typename F> auto withConnection(const QString& path, F f) {
    const QString name = QUuid::createUuid().toString();
    decltype(f(std::declval<QSqlDatabase&>())) result;
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        REQUIRE(db.open());
        result = f(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}
} // namespace

int rowsIn(const QString& path) {
    return withConnection(path, [](QSqlDatabase& db) {
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("SELECT count(*) FROM manageditem")) || !query.next())
            return -1;
        return query.value(0).toInt();
    });
}

QString integrityOf(const QString& path) {
    return withConnection(path, [](QSqlDatabase& db) {
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("PRAGMA integrity_check")) || !query.next())
            return QStringLiteral("cannot check: ") + query.lastError().text();
        return query.value(0).toString();
    });
}

QStringList filesStartingWith(const QString& dir, const QString& prefix) {
    return QDir(dir).entryList({prefix + QLatin1Char('*')}, QDir::Files | QDir::Hidden);
}

QList<Page> pagesOf(const QString& path, const QString& btree) {
    return withConnection(path, [&](QSqlDatabase& db) {
        QSqlQuery query(db);
        query.prepare(QStringLiteral(
            "SELECT pageno, pagetype, ncell FROM dbstat WHERE name = ? ORDER BY pageno"));
        query.addBindValue(btree);
        REQUIRE(query.exec());
        QList<Page> pages;
        while (query.next())
            pages.append(
                {query.value(0).toLongLong(), query.value(1).toString(), query.value(2).toInt()});
        return pages;
    });
}

int pageSize(const QString& path) {
    return withConnection(path, [](QSqlDatabase& db) {
        QSqlQuery query(db);
        REQUIRE(query.exec(QStringLiteral("PRAGMA page_size")));
        REQUIRE(query.next());
        return query.value(0).toInt();
    });
}

namespace {
// SQLite's variable-length integer at `pos`; advances `pos`.
qint64 readVarint(const QByteArray& data, int& pos) {
    quint64 value = 0;
    for (int i = 0; i < 9; ++i) {
        const auto byte = static_cast<quint8>(data.at(pos++));
        if (i == 8)
            return static_cast<qint64>((value << 8) | byte);
        value = (value << 7) | (byte & 0x7f);
        if ((byte & 0x80) == 0)
            break;
    }
    return static_cast<qint64>(value);
}
} // namespace

QList<qint64> rowidsOnLeaf(const QString& path, qint64 pageNumber) {
    const int size = pageSize(path);
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    REQUIRE(file.seek((pageNumber - 1) * size));
    const QByteArray page = file.read(size);
    REQUIRE(page.size() == size);
    REQUIRE(static_cast<quint8>(page.at(0)) == 0x0d); // a table b-tree leaf
    const int cells = (static_cast<quint8>(page.at(3)) << 8) | static_cast<quint8>(page.at(4));
    QList<qint64> rowids;
    for (int i = 0; i < cells; ++i) {
        int pos = (static_cast<quint8>(page.at(8 + 2 * i)) << 8) |
                  static_cast<quint8>(page.at(9 + 2 * i));
        readVarint(page, pos); // payload size
        rowids.append(readVarint(page, pos));
    }
    return rowids;
}

QMap<qint64, QString> idsByRowid(const QString& path) {
    return withConnection(path, [](QSqlDatabase& db) {
        QSqlQuery query(db);
        REQUIRE(query.exec(QStringLiteral("SELECT rowid, id FROM manageditem")));
        QMap<qint64, QString> ids;
        while (query.next())
            ids.insert(query.value(0).toLongLong(), query.value(1).toString());
        return ids;
    });
}

} // namespace ck::storetest
