// Revocation answers made by the openssl tool as a CA would: OCSP responses (its responder mode,
// offline) and CRLs (`openssl ca -gencrl`), from a CA database the test writes.

#include "CryptoTestSupport.h"

#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/Revocation.h"

#include <catch2/catch.hpp>

#include <QDateTime>
#include <QTemporaryDir>

using namespace ck::crypto;
using namespace ck::crypto::test;

namespace {

const QByteArray kLeafExtensions = "authorityInfoAccess=OCSP;URI:http://127.0.0.1:9/ocsp\n"
                                   "crlDistributionPoints=URI:ldap://ldap.example/crl,"
                                   "URI:http://127.0.0.1:9/ca.crl\n";

// A CA of the test chain (the intermediate, or another) with its database.
struct TestCa {
    QString dir;
    TestChain chain;

    QString path(const char* name) const { return dir + u'/' + QLatin1String(name); }

    // The leaf good, or revoked (keyCompromise) yesterday.
    void setLeafRevoked(bool revoked) const {
        QByteArray serial = parseCertificate(chain.leafPem).serialHex.toUpper().toLatin1();
        if (serial.size() % 2)
            serial.prepend('0');
        const QByteArray line = revoked ? "R\t301231000000Z\t" +
                                              QDateTime::currentDateTimeUtc()
                                                  .addDays(-1)
                                                  .toString(QStringLiteral("yyMMddHHmmss"))
                                                  .toLatin1() +
                                              "Z,keyCompromise\t" + serial + "\tunknown\t/CN=x\n"
                                        : "V\t301231000000Z\t\t" + serial + "\tunknown\t/CN=x\n";
        writeFile(path("index.txt"), line);
    }

    // The answer of a responder signing with `signer` (a name in dir: "intermediate"...).
    QByteArray ocspAnswer(const char* signer) const {
        writeFile(path("request.der"), ocspRequest(chain.leafPem, chain.intermediatePem));
        const QString cert = dir + u'/' + QLatin1String(signer) + QStringLiteral(".pem");
        const QString key = dir + u'/' + QLatin1String(signer) + QStringLiteral(".key");
        const ProcessResult made =
            runOpenssl({QStringLiteral("ocsp"), QStringLiteral("-index"), path("index.txt"),
                        QStringLiteral("-CA"), path("intermediate.pem"), QStringLiteral("-rsigner"),
                        cert, QStringLiteral("-rkey"), key, QStringLiteral("-reqin"),
                        path("request.der"), QStringLiteral("-respout"), path("response.der"),
                        QStringLiteral("-ndays"), QStringLiteral("1")});
        REQUIRE(made.exitCode == 0);
        return readFile(path("response.der"));
    }

    // A CRL signed with `signer`'s key and certificate.
    QByteArray crl(const char* signer) const {
        writeFile(path("ca.cnf"),
                  "[ca]\ndefault_ca=d\n[d]\ndatabase=" + path("index.txt").toUtf8() +
                      "\ncrlnumber=" + path("crlnumber").toUtf8() +
                      "\ndefault_md=sha256\ndefault_crl_days=1\n");
        writeFile(path("crlnumber"), "01\n");
        const QString cert = dir + u'/' + QLatin1String(signer) + QStringLiteral(".pem");
        const QString key = dir + u'/' + QLatin1String(signer) + QStringLiteral(".key");
        const ProcessResult made =
            runOpenssl({QStringLiteral("ca"), QStringLiteral("-gencrl"), QStringLiteral("-config"),
                        path("ca.cnf"), QStringLiteral("-keyfile"), key, QStringLiteral("-cert"),
                        cert, QStringLiteral("-out"), path("list.crl")});
        INFO(made.output.toStdString());
        REQUIRE(made.exitCode == 0);
        return readFile(path("list.crl"));
    }
};

std::string failureOf(const std::function<void()>& read) {
    try {
        read();
    } catch (const CryptoError& e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST_CASE("revocation: where a certificate says its CA answers", "[revocation]") {
    QTemporaryDir dir;
    const TestChain named = makeChainWithOpenssl(dir.path(), "named.example.test", kLeafExtensions);
    CHECK(ocspResponderUrls(named.leafPem) == QStringList{"http://127.0.0.1:9/ocsp"});
    CHECK(crlUrls(named.leafPem) == QStringList{"http://127.0.0.1:9/ca.crl"}); // not LDAP
    QTemporaryDir other;
    const TestChain silent = makeChainWithOpenssl(other.path(), "silent.example.test");
    CHECK(ocspResponderUrls(silent.leafPem).isEmpty());
    CHECK(crlUrls(silent.leafPem).isEmpty());
    CHECK_THROWS_AS(ocspResponderUrls("not a certificate"), CryptoError);
}

TEST_CASE("revocation: the issuer's OCSP answer, good then revoked with its reason",
          "[revocation]") {
    QTemporaryDir dir;
    const TestCa ca{dir.path(),
                    makeChainWithOpenssl(dir.path(), "ocsp.example.test", kLeafExtensions)};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    ca.setLeafRevoked(false);
    const RevocationAnswer good = readOcspResponse(ca.ocspAnswer("intermediate"), ca.chain.leafPem,
                                                   ca.chain.intermediatePem, now);
    CHECK(good.status == RevocationAnswer::Status::Good);
    CHECK(good.thisUpdate.isValid());
    CHECK(good.nextUpdate > now);

    ca.setLeafRevoked(true);
    const RevocationAnswer revoked = readOcspResponse(
        ca.ocspAnswer("intermediate"), ca.chain.leafPem, ca.chain.intermediatePem, now);
    CHECK(revoked.status == RevocationAnswer::Status::Revoked);
    CHECK(revoked.reason == "keyCompromise");
    CHECK(revoked.revokedAt.date() == now.addDays(-1).date());
}

TEST_CASE("revocation: an OCSP answer not signed by the issuer, or not OCSP, is refused",
          "[revocation]") {
    QTemporaryDir dir;
    const TestCa ca{dir.path(),
                    makeChainWithOpenssl(dir.path(), "forged.example.test", kLeafExtensions)};
    ca.setLeafRevoked(true);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // The root signs: above the issuer, but no responder the issuer delegated to.
    CHECK_THAT(failureOf([&] {
                   (void)readOcspResponse(ca.ocspAnswer("root"), ca.chain.leafPem,
                                          ca.chain.intermediatePem, now);
               }),
               Catch::Matchers::Contains("not signed by the certificate's issuer"));
    // The leaf's own key signs: anyone holding it could.
    CHECK_THAT(failureOf([&] {
                   (void)readOcspResponse(ca.ocspAnswer("leaf"), ca.chain.leafPem,
                                          ca.chain.intermediatePem, now);
               }),
               Catch::Matchers::Contains("not signed by the certificate's issuer"));
    CHECK_THAT(failureOf([&] {
                   (void)readOcspResponse("<html>busy</html>", ca.chain.leafPem,
                                          ca.chain.intermediatePem, now);
               }),
               Catch::Matchers::Contains("not an OCSP response"));
}

TEST_CASE("revocation: a CRL lists the certificate or not; another CA's or a forged one is "
          "refused",
          "[revocation]") {
    QTemporaryDir dir;
    const TestCa ca{dir.path(),
                    makeChainWithOpenssl(dir.path(), "crl.example.test", kLeafExtensions)};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    ca.setLeafRevoked(false);
    CHECK(readCrl(ca.crl("intermediate"), ca.chain.leafPem, ca.chain.intermediatePem, now).status ==
          RevocationAnswer::Status::Good);
    ca.setLeafRevoked(true);
    const QByteArray listed = ca.crl("intermediate");
    const RevocationAnswer revoked =
        readCrl(listed, ca.chain.leafPem, ca.chain.intermediatePem, now);
    CHECK(revoked.status == RevocationAnswer::Status::Revoked);
    CHECK(revoked.reason == "keyCompromise");
    // A list from a week ahead is out of date by then.
    CHECK_THAT(failureOf([&] {
                   (void)readCrl(listed, ca.chain.leafPem, ca.chain.intermediatePem,
                                 now.addDays(7));
               }),
               Catch::Matchers::Contains("out of date"));
    // The root's list: another issuer.
    CHECK_THAT(failureOf([&] {
                   (void)readCrl(ca.crl("root"), ca.chain.leafPem, ca.chain.intermediatePem, now);
               }),
               Catch::Matchers::Contains("another CA's"));
    CHECK_THAT(failureOf([&] {
                   (void)readCrl("garbage", ca.chain.leafPem, ca.chain.intermediatePem, now);
               }),
               Catch::Matchers::Contains("cannot be read"));
}
