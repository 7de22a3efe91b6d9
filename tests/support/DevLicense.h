#pragma once
// License keys signed with the development key (tests/fixtures/license, for tests only), for
// tests and benchmarks that need more than the Community edition's 5 certificates, and for the
// license tests themselves.

#include "model/License.h"

#include <QDateTime>
#include <QString>

namespace ck::test {

class ServiceProcess;

QString devPrivateKeyPath();

// A key signed with the development key. itemLimit 0 = no limit; an invalid `expires` = never.
QString devLicenseKey(int itemLimit = 0, const QDateTime& expires = {},
                      const QString& edition = QStringLiteral("professional"),
                      const QString& product = QString::fromLatin1(kLicenseProduct));

// Activates an unlimited development license on a running test service through its API (as a
// user would); false, with a warning naming the service's answer, if it refused.
bool activateDevLicense(const ServiceProcess& service, int itemLimit = 0);

} // namespace ck::test
