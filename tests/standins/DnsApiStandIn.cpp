#include "DnsApiStandIn.h"

#include "SyncHttp.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

namespace ck::test {

DnsApiStandIn::DnsApiStandIn(QString provider, QJsonObject config)
    : m_provider(std::move(provider)), m_config(std::move(config)) {}

DnsApiStandIn::~DnsApiStandIn() {
    m_process.stop(1000);
}

bool DnsApiStandIn::start(int timeoutMs) {
    const QString config = m_dir.filePath(QStringLiteral("config.json"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(m_config).toJson()) < 0) {
        m_error = QStringLiteral("cannot write ") + config;
        return false;
    }
    file.close();
    const QString script =
        QStringLiteral(CERTKEEPER_STANDINS_DIR "/") + m_provider + QStringLiteral(".py");
    if (!m_process.start(QStringLiteral("/usr/bin/python3"),
                         {QStringLiteral("-B"), script, QStringLiteral("--workdir"), m_dir.path(),
                          QStringLiteral("--config"), config},
                         m_dir.filePath(QStringLiteral("standin.log")))) {
        m_error = QStringLiteral("cannot start /usr/bin/python3: ") + m_process.errorString();
        return false;
    }
    QElapsedTimer timer;
    timer.start();
    QFile ready(m_dir.filePath(QStringLiteral("ready.json")));
    while (timer.elapsed() < timeoutMs && m_process.isRunning()) {
        if (ready.open(QIODevice::ReadOnly)) {
            m_port = QJsonDocument::fromJson(ready.readAll()).object().value("port").toInt();
            return m_port > 0;
        }
        QThread::msleep(30);
    }
    m_error = QStringLiteral("the %1 stand-in did not start within %2 ms; log:\n%3")
                  .arg(m_provider, QString::number(timeoutMs), log());
    return false;
}

QString DnsApiStandIn::origin() const {
    return QStringLiteral("https://127.0.0.1:%1").arg(m_port);
}

QString DnsApiStandIn::caFile() const {
    return m_dir.filePath(QStringLiteral("ca.pem"));
}

QJsonObject DnsApiStandIn::control(const QByteArray& method, const QString& path,
                                   const QJsonObject& body) const {
    const HttpResponse answer = httpRequest(
        method, QUrl(origin() + QStringLiteral("/_standin/") + path),
        body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact),
        caFile());
    if (answer.status != 200)
        throw std::runtime_error("stand-in control " + path.toStdString() + " failed: " +
                                 answer.error.toStdString() + " " + answer.body.toStdString());
    return QJsonDocument::fromJson(answer.body).object();
}

QMap<QString, QStringList> DnsApiStandIn::records() const {
    QMap<QString, QStringList> out;
    const QJsonObject held = control("GET", QStringLiteral("records")).value("records").toObject();
    for (auto it = held.begin(); it != held.end(); ++it) {
        QStringList values;
        for (const QJsonValue v : it.value().toArray())
            values.append(v.toString());
        values.sort();
        out.insert(it.key(), values);
    }
    return out;
}

QStringList DnsApiStandIn::values(const QString& name) const {
    QString key = name.toLower();
    if (!key.endsWith(u'.'))
        key += u'.';
    return records().value(key);
}

void DnsApiStandIn::putValues(const QString& name, const QStringList& values) {
    control("POST", QStringLiteral("records"),
            {{"name", name}, {"values", QJsonArray::fromStringList(values)}});
}

void DnsApiStandIn::addFault(const QJsonObject& fault) {
    control("POST", QStringLiteral("faults"), fault);
}

QStringList DnsApiStandIn::requests() const {
    QStringList out;
    for (const QJsonValue r :
         control("GET", QStringLiteral("requests")).value("requests").toArray()) {
        const QString query = r[QLatin1String("query")].toString();
        out.append(QStringLiteral("%1 %2%3 -> %4")
                       .arg(r[QLatin1String("method")].toString(),
                            r[QLatin1String("path")].toString(),
                            query.isEmpty() ? QString() : u'?' + query,
                            QString::number(r[QLatin1String("status")].toInt())));
    }
    return out;
}

} // namespace ck::test
