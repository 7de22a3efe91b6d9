#include "crypto/Revocation.h"

#include "crypto/CryptoError.h"
#include "crypto/X509Support.h"

#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace ck::crypto {

namespace {

using OcspRequestPtr = OpenSslPtr<OCSP_REQUEST, OCSP_REQUEST_free>;
using OcspResponsePtr = OpenSslPtr<OCSP_RESPONSE, OCSP_RESPONSE_free>;
using OcspBasicPtr = OpenSslPtr<OCSP_BASICRESP, OCSP_BASICRESP_free>;
using OcspCertIdPtr = OpenSslPtr<OCSP_CERTID, OCSP_CERTID_free>;
using X509CrlPtr = OpenSslPtr<X509_CRL, X509_CRL_free>;

// Clock skew allowed between us and the CA's responder.
constexpr long kSkewSeconds = 300;

QByteArray toDer(int length, unsigned char* der) {
    QByteArray out(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    return out;
}

// The certificate's serial-and-issuer identity, as OCSP names it.
OcspCertIdPtr certificateId(X509* leaf, X509* issuer) {
    OcspCertIdPtr id(OCSP_cert_to_id(EVP_sha1(), leaf, issuer));
    if (!id)
        throwOpenSslError("Cannot name the certificate for OCSP");
    return id;
}

// The reason code of RFC 5280 §5.3.1 by name.
QString reasonName(int code) {
    if (code < 0)
        return {};
    return QString::fromLatin1(OCSP_crl_reason_str(code));
}

QString ocspStatusName(int status) {
    return QString::fromLatin1(OCSP_response_status_str(status));
}

// A store that trusts the issuer itself: the CA's answers are signed by the issuer or by a
// responder certificate the issuer signed, so the chain ends there (no root needed).
X509StorePtr trustingIssuer(X509* issuer) {
    X509StorePtr store(X509_STORE_new());
    if (!store || X509_STORE_add_cert(store.get(), issuer) != 1)
        throwOpenSslError("Cannot prepare to check the CA's signature");
    X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
    return store;
}

X509CrlPtr loadCrl(const QByteArray& data) {
    X509CrlPtr crl;
    if (data.contains("-----BEGIN X509 CRL-----")) {
        const BioPtr bio(BIO_new_mem_buf(data.constData(), int(data.size())));
        if (bio)
            crl.reset(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
    } else {
        const auto* cursor = reinterpret_cast<const unsigned char*>(data.constData());
        crl.reset(d2i_X509_CRL(nullptr, &cursor, long(data.size())));
    }
    if (!crl)
        throwOpenSslError("The CA's revocation list (CRL) cannot be read");
    return crl;
}

} // namespace

QStringList ocspResponderUrls(const QByteArray& leafPem) {
    const X509Ptr leaf = detail::loadCertificate(leafPem);
    QStringList urls;
    STACK_OF(OPENSSL_STRING)* found = X509_get1_ocsp(leaf.get());
    for (int i = 0; i < sk_OPENSSL_STRING_num(found); ++i)
        urls.append(QString::fromUtf8(sk_OPENSSL_STRING_value(found, i)));
    X509_email_free(found); // frees a stack of OPENSSL_STRING, whatever its name says
    return urls;
}

QStringList crlUrls(const QByteArray& leafPem) {
    const X509Ptr leaf = detail::loadCertificate(leafPem);
    QStringList urls;
    auto* points = static_cast<CRL_DIST_POINTS*>(
        X509_get_ext_d2i(leaf.get(), NID_crl_distribution_points, nullptr, nullptr));
    for (int i = 0; i < sk_DIST_POINT_num(points); ++i) {
        const DIST_POINT* point = sk_DIST_POINT_value(points, i);
        if (!point->distpoint || point->distpoint->type != 0) // 0: a full name
            continue;
        const GENERAL_NAMES* names = point->distpoint->name.fullname;
        for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
            const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, j);
            if (name->type != GEN_URI)
                continue;
            const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
            const QString url = QString::fromLatin1(
                reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)), ASN1_STRING_length(uri));
            if (url.startsWith(QLatin1String("http://")) ||
                url.startsWith(QLatin1String("https://")))
                urls.append(url); // LDAP and file names are not fetched
        }
    }
    CRL_DIST_POINTS_free(points);
    return urls;
}

QByteArray ocspRequest(const QByteArray& leafPem, const QByteArray& issuerPem) {
    const X509Ptr leaf = detail::loadCertificate(leafPem);
    const X509Ptr issuer = detail::loadCertificate(issuerPem);
    OcspRequestPtr request(OCSP_REQUEST_new());
    OcspCertIdPtr id = certificateId(leaf.get(), issuer.get());
    if (!request || !OCSP_request_add0_id(request.get(), id.get()))
        throwOpenSslError("Cannot build the OCSP request");
    (void)id.release(); // the request owns it now
    unsigned char* der = nullptr;
    const int length = i2d_OCSP_REQUEST(request.get(), &der);
    if (length <= 0)
        throwOpenSslError("Cannot encode the OCSP request");
    return toDer(length, der);
}

RevocationAnswer readOcspResponse(const QByteArray& responseDer, const QByteArray& leafPem,
                                  const QByteArray& issuerPem, const QDateTime& now) {
    const X509Ptr leaf = detail::loadCertificate(leafPem);
    const X509Ptr issuer = detail::loadCertificate(issuerPem);
    const auto* cursor = reinterpret_cast<const unsigned char*>(responseDer.constData());
    const OcspResponsePtr response(d2i_OCSP_RESPONSE(nullptr, &cursor, long(responseDer.size())));
    if (!response)
        throwOpenSslError("The OCSP responder's answer is not an OCSP response");
    const int responseStatus = OCSP_response_status(response.get());
    if (responseStatus != OCSP_RESPONSE_STATUS_SUCCESSFUL)
        throw CryptoError(QStringLiteral("The OCSP responder refused to answer (%1)")
                              .arg(ocspStatusName(responseStatus)));
    const OcspBasicPtr basic(OCSP_response_get1_basic(response.get()));
    if (!basic)
        throwOpenSslError("The OCSP response has no answer in it");

    const X509StorePtr store = trustingIssuer(issuer.get());
    X509StackPtr issuerOnly(sk_X509_new_null());
    if (!issuerOnly || !sk_X509_push(issuerOnly.get(), issuer.get()))
        throwOpenSslError("Cannot prepare to check the OCSP response");
    X509_up_ref(issuer.get()); // the stack's reference
    if (OCSP_basic_verify(basic.get(), issuerOnly.get(), store.get(), 0) != 1)
        throwOpenSslError("The OCSP response is not signed by the certificate's issuer");

    const OcspCertIdPtr id = certificateId(leaf.get(), issuer.get());
    int status = -1;
    int reason = -1;
    ASN1_GENERALIZEDTIME* revokedAt = nullptr;
    ASN1_GENERALIZEDTIME* thisUpdate = nullptr;
    ASN1_GENERALIZEDTIME* nextUpdate = nullptr;
    if (OCSP_resp_find_status(basic.get(), id.get(), &status, &reason, &revokedAt, &thisUpdate,
                              &nextUpdate) != 1)
        throw CryptoError(std::string("The OCSP response is about another certificate"));
    // OCSP_check_validity compares with the current time; `now` only words the message.
    if (OCSP_check_validity(thisUpdate, nextUpdate, kSkewSeconds, -1) != 1) {
        takeOpenSslErrors();
        throw CryptoError(QStringLiteral("The OCSP response is out of date (checked at %1)")
                              .arg(now.toString(Qt::ISODate)));
    }
    RevocationAnswer answer;
    answer.thisUpdate = detail::asn1TimeToUtc(thisUpdate);
    if (nextUpdate)
        answer.nextUpdate = detail::asn1TimeToUtc(nextUpdate);
    switch (status) {
    case V_OCSP_CERTSTATUS_GOOD:
        answer.status = RevocationAnswer::Status::Good;
        break;
    case V_OCSP_CERTSTATUS_REVOKED:
        answer.status = RevocationAnswer::Status::Revoked;
        answer.revokedAt = detail::asn1TimeToUtc(revokedAt);
        answer.reason = reasonName(reason);
        break;
    default:
        answer.status = RevocationAnswer::Status::Unknown;
    }
    return answer;
}

RevocationAnswer readCrl(const QByteArray& crlData, const QByteArray& leafPem,
                         const QByteArray& issuerPem, const QDateTime& now) {
    const X509Ptr leaf = detail::loadCertificate(leafPem);
    const X509Ptr issuer = detail::loadCertificate(issuerPem);
    const X509CrlPtr crl = loadCrl(crlData);
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_issuer_name(leaf.get())) != 0)
        throw CryptoError(std::string("The revocation list (CRL) is another CA's"));
    EVP_PKEY* issuerKey = X509_get0_pubkey(issuer.get());
    if (!issuerKey || X509_CRL_verify(crl.get(), issuerKey) != 1)
        throwOpenSslError("The revocation list (CRL) is not signed by the certificate's issuer");

    RevocationAnswer answer;
    answer.thisUpdate = detail::asn1TimeToUtc(X509_CRL_get0_lastUpdate(crl.get()));
    if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get()))
        answer.nextUpdate = detail::asn1TimeToUtc(next);
    const QDateTime latest = now.addSecs(kSkewSeconds);
    if (answer.thisUpdate > latest ||
        (answer.nextUpdate.isValid() && answer.nextUpdate.addSecs(kSkewSeconds) < now))
        throw CryptoError(QStringLiteral("The revocation list (CRL) is out of date: issued %1, "
                                         "next update %2")
                              .arg(answer.thisUpdate.toString(Qt::ISODate),
                                   answer.nextUpdate.toString(Qt::ISODate)));

    X509_REVOKED* entry = nullptr;
    if (X509_CRL_get0_by_serial(crl.get(), &entry, X509_get0_serialNumber(leaf.get())) != 1) {
        answer.status = RevocationAnswer::Status::Good;
        return answer;
    }
    answer.status = RevocationAnswer::Status::Revoked;
    answer.revokedAt = detail::asn1TimeToUtc(X509_REVOKED_get0_revocationDate(entry));
    int critical = 0;
    auto* code = static_cast<ASN1_ENUMERATED*>(
        X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, &critical, nullptr));
    if (code) {
        answer.reason = reasonName(int(ASN1_ENUMERATED_get(code)));
        ASN1_ENUMERATED_free(code);
    }
    return answer;
}

QString revocationStatusName(RevocationAnswer::Status status) {
    switch (status) {
    case RevocationAnswer::Status::Good:
        return QStringLiteral("good");
    case RevocationAnswer::Status::Revoked:
        return QStringLiteral("revoked");
    case RevocationAnswer::Status::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace ck::crypto
