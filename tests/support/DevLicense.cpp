#include "DevLicense.h"

#include "RawHttp.h"
#include "ServiceProcess.h"
#include "licensing/LicenseKey.h"

#include <QFile>
#include <QUuid>
#include <QtGlobal>

namespace ck::test {

QString devPrivateKeyPath() {
    return QStringLiteral(CERTKEEPER_DEV_LICENSE_PRIVATE_KEY);
}

QString devLicenseKey(int itemLimit, const QDateTime& expires, const QString& edition,
                      const QString& product) {
    QFile file(devPrivateKeyPath());
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the development license key %s", qPrintable(file.fileName()));
    LicensePayload payload;
    payload.product = product;
    payload.licensee = QStringLiteral("tests@example.com");
    payload.edition = edition;
    payload.itemLimit = itemLimit;
    payload.expires = expires;
    payload.issued = QDateTime::currentDateTimeUtc();
    payload.keyId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    return licensing::signLicenseKey(payload, file.readAll());
}

bool activateDevLicense(const ServiceProcess& service, int itemLimit) {
    const RawHttp http(service.port(), service.token().toStdString());
    const auto response =
        http.post("/api/license/activate", QJsonObject{{"key", devLicenseKey(itemLimit)}});
    if (response.status != 200)
        qWarning("activating the development license: HTTP %d %s", response.status,
                 response.body.c_str());
    return response.status == 200;
}

} // namespace ck::test
