#include "api/ServiceState.h"

#include "config/DataPaths.h"

#include <QCoreApplication>

#include <boost/version.hpp>
#include <curl/curl.h>
#include <openssl/crypto.h>

namespace ck::api {

namespace {
// The libraries the service does its work with, as they are loaded now (not as built), so that
// a support request says which OpenSSL or libcurl answered.
QStringList libraryVersions() {
    const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
    return {QStringLiteral("Qt %1").arg(QString::fromLatin1(qVersion())),
            QStringLiteral("OpenSSL %1")
                .arg(QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION_STRING))),
            QStringLiteral("libcurl %1").arg(QString::fromLatin1(curl->version)),
            QStringLiteral("Boost %1.%2.%3")
                .arg(BOOST_VERSION / 100000)
                .arg(BOOST_VERSION / 100 % 1000)
                .arg(BOOST_VERSION % 100)};
}
} // namespace

ServiceDiagnostics ServiceState::diagnostics(const QString& integrity, int itemCount) const {
    ServiceDiagnostics d;
    d.product = QStringLiteral("Certkeeper");
    d.version = QStringLiteral(CERTKEEPER_VERSION);
    d.libraries = libraryVersions();
    d.pid = QCoreApplication::applicationPid();
    d.dataDir = dataDir;
    d.systemMode = systemMode;
    d.startedAt = startedAt;
    d.config = config;
    d.bind = bind;
    d.database = {databaseLocation.isEmpty() ? paths::file(dataDir, paths::kDatabase)
                                             : databaseLocation,
                  integrity, itemCount, lastBackup, recovery};
    d.notices = notices;
    d.outgoingProxy = outgoingProxy;
    return d;
}

} // namespace ck::api
