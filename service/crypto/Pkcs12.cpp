#include "crypto/Pkcs12.h"

#include "crypto/CryptoError.h"
#include "crypto/X509Support.h"

namespace ck::crypto {

QByteArray createPkcs12(const PrivateKey& key, const QByteArray& leafPem,
                        const QList<QByteArray>& chainPem, const QString& password,
                        const QString& friendlyName) {
    if (key.isNull())
        throw CryptoError(std::string("Cannot create a PKCS#12 file without a key"));
    const X509Ptr leaf = detail::loadCertificate(leafPem);
    if (X509_check_private_key(leaf.get(), key.native()) != 1)
        throwOpenSslError("The certificate does not belong to the private key");
    const X509StackPtr chain = detail::loadCertificateStack(chainPem);

    // OpenSSL converts the UTF-8 password to BMPString for the MAC key (RFC 7292 appendix B.1)
    // and uses the UTF-8 bytes for PBKDF2. "" (not nullptr) keeps the empty-password file
    // readable by tools that pass "" as OpenSSL's own pkcs12 command does.
    const QByteArray pass = password.toUtf8();
    const QByteArray name = friendlyName.toUtf8();
    const Pkcs12Ptr p12(PKCS12_create(pass.constData(), name.isEmpty() ? nullptr : name.constData(),
                                      key.native(), leaf.get(), chain.get(), NID_aes_256_cbc,
                                      NID_aes_256_cbc, PKCS12_DEFAULT_ITER, PKCS12_DEFAULT_ITER,
                                      0));
    if (!p12)
        throwOpenSslError("Cannot create the PKCS#12 file");
    // PKCS12_create already adds a MAC with the library default; redo it with SHA-256 named
    // explicitly so the algorithm does not depend on the OpenSSL build.
    if (PKCS12_set_mac(p12.get(), pass.constData(), static_cast<int>(pass.size()), nullptr, 0,
                       PKCS12_DEFAULT_ITER, EVP_sha256()) != 1)
        throwOpenSslError("Cannot protect the PKCS#12 file");

    unsigned char* der = nullptr;
    const int length = i2d_PKCS12(p12.get(), &der);
    if (length <= 0)
        throwOpenSslError("Cannot encode the PKCS#12 file");
    QByteArray out(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    return out;
}

} // namespace ck::crypto
