#include "crypto/AriCertificateId.h"

#include "crypto/Base64Url.h"
#include "crypto/CryptoError.h"
#include "crypto/X509Support.h"

namespace ck::crypto {

namespace {
// The content octets of the serial's DER INTEGER: re-encoded with i2d and stripped of tag and
// length, because ASN1_INTEGER keeps the magnitude only and would lose the 0x00 that DER puts
// before a serial whose top bit is set (RFC 9773's own example, serial 0x87654321 -> 00876543 21).
QByteArray serialContentOctets(const ASN1_INTEGER* serial) {
    unsigned char* der = nullptr;
    const int length = i2d_ASN1_INTEGER(serial, &der);
    if (length <= 0 || !der)
        throwOpenSslError("Cannot encode the serial number");
    const unsigned char* content = der;
    long contentLength = 0;
    int tag = 0;
    int tagClass = 0;
    const int flags = ASN1_get_object(&content, &contentLength, &tag, &tagClass, length);
    QByteArray octets;
    if (!(flags & 0x80) && tag == V_ASN1_INTEGER && contentLength > 0)
        octets = QByteArray(reinterpret_cast<const char*>(content),
                            static_cast<qsizetype>(contentLength));
    OPENSSL_free(der);
    if (octets.isEmpty())
        throwOpenSslError("Cannot read the encoded serial number");
    return octets;
}
} // namespace

QString ariCertificateId(const QByteArray& certificatePemOrDer) {
    const X509Ptr cert = detail::loadCertificate(certificatePemOrDer);
    // Reads the cached, already decoded extension; null when there is none or it has no keyid.
    const ASN1_OCTET_STRING* keyId = X509_get0_authority_key_id(cert.get());
    if (!keyId || ASN1_STRING_length(keyId) <= 0)
        throw CryptoError(std::string("The certificate has no Authority Key Identifier key id, "
                                      "so it has no ACME renewal information identifier"));
    const QByteArray keyIdBytes(reinterpret_cast<const char*>(ASN1_STRING_get0_data(keyId)),
                                ASN1_STRING_length(keyId));
    const QByteArray serial = serialContentOctets(X509_get0_serialNumber(cert.get()));
    return QString::fromLatin1(base64UrlEncode(keyIdBytes) + '.' + base64UrlEncode(serial));
}

} // namespace ck::crypto
