// Which certificates the revocation watch asks about on a pass.

#include "revocation/RevocationWatch.h"

#include <catch2/catch.hpp>

using namespace ck;

TEST_CASE("revocation watch: a certificate is checked once a day while it is current",
          "[revocation]") {
    const QDateTime now(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);
    ManagedCertificate item;
    item.certificatePath = QStringLiteral("/var/lib/certkeeper/assets/x/cert.pem");
    item.dateStart = now.addDays(-10);
    item.dateExpiry = now.addDays(80);
    CHECK(revocation::dueForCheck(item, now)); // never checked
    item.dateRevocationChecked = now.addSecs(-23 * 3600);
    CHECK_FALSE(revocation::dueForCheck(item, now));
    item.dateRevocationChecked = now.addSecs(-24 * 3600);
    CHECK(revocation::dueForCheck(item, now));

    ManagedCertificate revoked = item;
    revoked.certificateRevoked = true; // known already: it is being replaced
    CHECK_FALSE(revocation::dueForCheck(revoked, now));
    ManagedCertificate expired = item;
    expired.dateExpiry = now.addSecs(-1);
    CHECK_FALSE(revocation::dueForCheck(expired, now));
    ManagedCertificate unnamed = item;
    unnamed.revocationStatus = QStringLiteral("none"); // names no responder and no CRL
    unnamed.dateRevocationChecked = now.addDays(-30);
    CHECK_FALSE(revocation::dueForCheck(unnamed, now));
    ManagedCertificate none;
    none.dateExpiry = now.addDays(10);
    CHECK_FALSE(revocation::dueForCheck(none, now)); // no certificate yet
}
