#include "crypto/SelfSigned.h"

#include "crypto/CryptoError.h"
#include "crypto/Digest.h"
#include "crypto/Random.h"
#include "crypto/X509Support.h"

#include <arpa/inet.h>

namespace ck::crypto {

namespace {

constexpr long kBackdateSeconds = 3600; // tolerate a validator whose clock is a little behind

bool isIpLiteral(const QString& text) {
    const QByteArray ascii = text.trimmed().toLatin1();
    unsigned char buffer[16];
    return inet_pton(AF_INET, ascii.constData(), buffer) == 1 ||
           inet_pton(AF_INET6, ascii.constData(), buffer) == 1;
}

// A positive random 128-bit serial (RFC 5280 §4.1.2.2 allows up to 20 octets; the top bit is
// cleared so the DER INTEGER stays positive without a padding byte).
void setRandomSerial(X509* cert) {
    QByteArray bytes = randomBytes(16);
    bytes[0] = static_cast<char>(bytes[0] & 0x7F);
    const BignumPtr value(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.constData()),
                                    static_cast<int>(bytes.size()), nullptr));
    const Asn1IntegerPtr serial(value ? BN_to_ASN1_INTEGER(value.get(), nullptr) : nullptr);
    if (!serial || X509_set_serialNumber(cert, serial.get()) != 1)
        throwOpenSslError("Cannot set the serial number");
}

// Common skeleton: version 3, serial, validity, subject = issuer, public key, SAN.
X509Ptr newCertificate(const PrivateKey& key, const QStringList& dnsNames,
                       const QStringList& ipAddresses, long validSeconds) {
    X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
        throwOpenSslError("Cannot create a certificate");
    setRandomSerial(cert.get());
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), validSeconds))
        throwOpenSslError("Cannot set the validity period");
    bool emptySubject = true;
    const X509NamePtr name = detail::subjectFor(dnsNames, &emptySubject);
    if (X509_set_subject_name(cert.get(), name.get()) != 1 ||
        X509_set_issuer_name(cert.get(), name.get()) != 1 ||
        X509_set_pubkey(cert.get(), key.native()) != 1)
        throwOpenSslError("Cannot fill in the certificate");
    const GeneralNamesPtr names = detail::subjectAltNames(dnsNames, ipAddresses);
    if (X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), emptySubject ? 1 : 0,
                          X509V3_ADD_DEFAULT) != 1)
        throwOpenSslError("Cannot add the subjectAltName extension");
    return cert;
}

// Adds an extension given in openssl.cnf syntax ("critical,CA:FALSE"), resolved by OpenSSL's
// own parser so we do not hand-encode well-known extensions.
void addConfExtension(X509* cert, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    const X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!extension || X509_add_ext(cert, extension.get(), -1) != 1)
        throwOpenSslError(std::string("Cannot add the extension ") + OBJ_nid2sn(nid));
}

SelfSignedPair finish(PrivateKey key, X509* cert) {
    if (X509_sign(cert, key.native(), EVP_sha256()) <= 0)
        throwOpenSslError("Cannot sign the certificate");
    return {std::move(key), detail::certificateToPem(cert)};
}

} // namespace

SelfSignedPair createTlsAlpnCertificate(const QString& dnsName, const QString& keyAuthorization) {
    PrivateKey key = PrivateKey::generate(KeyType::EcP256);
    const X509Ptr cert = newCertificate(key, {dnsName}, {}, 7L * 24 * 3600);

    // extnValue holds the DER of an OCTET STRING (RFC 8737 §3: "Authorization ::= OCTET STRING
    // (SIZE (32))"), so the extension's own OCTET STRING wraps 04 20 <digest>.
    const QByteArray digest = sha256(keyAuthorization.toUtf8());
    const QByteArray der = QByteArray("\x04\x20", 2) + digest;
    const Asn1ObjectPtr oid(OBJ_txt2obj(detail::kAcmeIdentifierOid, 1));
    const Asn1OctetStringPtr value(ASN1_OCTET_STRING_new());
    if (!oid || !value ||
        ASN1_OCTET_STRING_set(value.get(), reinterpret_cast<const unsigned char*>(der.constData()),
                              static_cast<int>(der.size())) != 1)
        throwOpenSslError("Cannot encode the acmeIdentifier extension");
    const X509ExtensionPtr extension(
        X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 1 /* critical */, value.get()));
    if (!extension || X509_add_ext(cert.get(), extension.get(), -1) != 1)
        throwOpenSslError("Cannot add the acmeIdentifier extension");
    return finish(std::move(key), cert.get());
}

SelfSignedPair createSelfSigned(const QStringList& names, int days) {
    if (days <= 0)
        throw CryptoError(
            std::string("A self-signed certificate needs a validity of at least one day"));
    QStringList dnsNames;
    QStringList ipAddresses;
    for (const QString& name : names)
        (isIpLiteral(name) ? ipAddresses : dnsNames) << name.trimmed();
    PrivateKey key = PrivateKey::generate(KeyType::EcP256);
    const X509Ptr cert = newCertificate(key, dnsNames, ipAddresses, days * 24L * 3600);
    addConfExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    addConfExtension(cert.get(), NID_ext_key_usage, "serverAuth");
    addConfExtension(cert.get(), NID_subject_key_identifier, "hash");
    return finish(std::move(key), cert.get());
}

} // namespace ck::crypto
