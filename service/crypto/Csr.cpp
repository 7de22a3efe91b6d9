#include "crypto/Csr.h"

#include "crypto/CryptoError.h"
#include "crypto/X509Support.h"

namespace ck::crypto {

QByteArray createCsrDer(const PrivateKey& key, const QStringList& dnsNames,
                        const QStringList& ipAddresses) {
    EVP_PKEY* pkey = key.native();
    if (!pkey)
        throw CryptoError(std::string("Cannot create a CSR with an empty key"));

    const X509ReqPtr req(X509_REQ_new());
    if (!req || X509_REQ_set_version(req.get(), X509_REQ_VERSION_1) != 1)
        throwOpenSslError("Cannot create a CSR");

    bool emptySubject = true;
    const X509NamePtr subject = detail::subjectFor(dnsNames, &emptySubject);
    if (X509_REQ_set_subject_name(req.get(), subject.get()) != 1 ||
        X509_REQ_set_pubkey(req.get(), pkey) != 1)
        throwOpenSslError("Cannot fill in the CSR");

    const GeneralNamesPtr names = detail::subjectAltNames(dnsNames, ipAddresses);
    X509ExtensionPtr san(X509V3_EXT_i2d(NID_subject_alt_name, emptySubject ? 1 : 0, names.get()));
    const X509ExtensionStackPtr extensions(sk_X509_EXTENSION_new_null());
    if (!san || !extensions || sk_X509_EXTENSION_push(extensions.get(), san.get()) <= 0)
        throwOpenSslError("Cannot encode the subjectAltName extension");
    san.release(); // owned by the stack now
    if (X509_REQ_add_extensions(req.get(), extensions.get()) != 1)
        throwOpenSslError("Cannot add the extension request to the CSR");

    if (X509_REQ_sign(req.get(), pkey, EVP_sha256()) <= 0)
        throwOpenSslError("Cannot sign the CSR");

    unsigned char* der = nullptr;
    const int length = i2d_X509_REQ(req.get(), &der);
    if (length <= 0)
        throwOpenSslError("Cannot encode the CSR");
    QByteArray out(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    return out;
}

} // namespace ck::crypto
