#include "crypto/CsrReader.h"

#include "crypto/CryptoError.h"
#include "crypto/KeyType.h"
#include "crypto/OpenSslPtr.h"
#include "crypto/X509Support.h"

#include <openssl/pem.h>

#include <arpa/inet.h>

#include <optional>

namespace ck::crypto {

namespace {
QByteArray publicKeyDerOf(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(key, &der);
    if (length <= 0)
        throwOpenSslError("Cannot encode the CSR's public key");
    QByteArray out(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    return out;
}

QString ipText(const ASN1_OCTET_STRING* address) {
    const int length = ASN1_STRING_length(address);
    char text[INET6_ADDRSTRLEN] = {};
    const int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
    if (family == 0 || !inet_ntop(family, ASN1_STRING_get0_data(address), text, sizeof text))
        return {};
    return QString::fromLatin1(text);
}

void readRequestedNames(X509_REQ* req, CsrInfo& info) {
    const X509ExtensionStackPtr extensions(X509_REQ_get_extensions(req));
    if (extensions) {
        const GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
            X509V3_get_d2i(extensions.get(), NID_subject_alt_name, nullptr, nullptr)));
        for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
            int type = 0;
            const void* value =
                GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(names.get(), i), &type);
            if (type == GEN_DNS) {
                const auto* ia5 = static_cast<const ASN1_IA5STRING*>(value);
                info.dnsNames << QString::fromLatin1(
                    reinterpret_cast<const char*>(ASN1_STRING_get0_data(ia5)),
                    ASN1_STRING_length(ia5));
            } else if (type == GEN_IPADD) {
                if (const QString ip = ipText(static_cast<const ASN1_OCTET_STRING*>(value));
                    !ip.isEmpty())
                    info.ipAddresses << ip;
            }
        }
    }
    if (!info.dnsNames.isEmpty() || !info.ipAddresses.isEmpty())
        return;
    // No subjectAltName: the CN is the one name (ACME CAs take it as such).
    char cn[256] = {};
    if (X509_NAME_get_text_by_NID(X509_REQ_get_subject_name(req), NID_commonName, cn, sizeof cn) >
        0)
        info.dnsNames << QString::fromUtf8(cn);
}
} // namespace

CsrInfo readCsr(const QByteArray& pem) {
    takeOpenSslErrors();
    const BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    using ReqPtr = X509ReqPtr;
    const ReqPtr req(bio ? PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    takeOpenSslErrors();
    if (!req)
        throw CryptoError(std::string(
            "This is not a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST-----)"));
    EVP_PKEY* key = X509_REQ_get0_pubkey(req.get());
    const bool signed_ = key && X509_REQ_verify(req.get(), key) == 1;
    takeOpenSslErrors();
    if (!signed_)
        throw CryptoError(std::string("The CSR's signature does not verify with the key it "
                                      "carries: it was altered or damaged; make it again"));
    CsrInfo info;
    const std::optional<KeyType> type = detectKeyType(key);
    if (!type)
        throw CryptoError(std::string("The CSR's key is not RSA 2048-4096 or ECDSA P-256/P-384, "
                                      "which ACME CAs issue for"));
    info.keyType = keyTypeName(*type);
    info.publicKeyDer = publicKeyDerOf(key);
    readRequestedNames(req.get(), info);
    if (info.dnsNames.isEmpty() && info.ipAddresses.isEmpty())
        throw CryptoError(std::string("The CSR names no domain: it has no subjectAltName and no "
                                      "common name"));
    unsigned char* der = nullptr;
    const int length = i2d_X509_REQ(req.get(), &der);
    if (length <= 0)
        throwOpenSslError("Cannot encode the CSR");
    info.der = QByteArray(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    return info;
}

bool certificateMatchesPublicKey(const QByteArray& certPem, const QByteArray& publicKeyDer) {
    try {
        const X509Ptr cert = detail::loadCertificate(certPem);
        EVP_PKEY* certKey = X509_get0_pubkey(cert.get());
        return certKey && publicKeyDerOf(certKey) == publicKeyDer;
    } catch (const CryptoError&) {
        return false;
    }
}

} // namespace ck::crypto
