#pragma once
// Realistic managed certificates for tests, benchmarks and screenshots: a mix of names, one to
// six domains, and renewal states spread the way a real fleet is (most OK, some due soon, a few
// failing, waiting for someone, or never issued), with certificates that expire and renew at
// different times over the next three months. The same seed gives the same items.

#include "model/ManagedCertificate.h"

#include <QDateTime>
#include <QList>

namespace ck::test {

QList<ManagedCertificate> sampleItems(int count, const QDateTime& now, quint32 seed = 1);

} // namespace ck::test
