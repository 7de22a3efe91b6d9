// Finding the root CA a chain ends in, for exports that include it (pemchain, pemfull): the
// root a CA sent, or the one the system trusts for the chain's last certificate.

#include "crypto/Certificate.h"

#include "crypto/CryptoError.h"
#include "crypto/X509Support.h"

namespace ck::crypto {

namespace {
bool signedItself(X509* cert) {
    const bool issued = X509_check_issued(cert, cert) == X509_V_OK;
    // A key that cannot be decoded leaves an entry in the thread's OpenSSL error queue, and a
    // stale entry there spoils later calls on the thread (a key read next from a file that
    // starts with a certificate cannot give its public half): the answer is "no", nothing more.
    takeOpenSslErrors();
    return issued;
}
} // namespace

bool isSelfSigned(const QByteArray& certPem) {
    try {
        const X509Ptr cert = detail::loadCertificate(certPem);
        return signedItself(cert.get());
    } catch (const CryptoError&) {
        return false;
    }
}

QByteArray findChainRoot(const QList<QByteArray>& chainPem) {
    if (chainPem.isEmpty())
        return {};
    try {
        const X509Ptr last = detail::loadCertificate(chainPem.last());
        if (signedItself(last.get()))
            return detail::certificateToPem(last.get());
        const X509StorePtr store(X509_STORE_new());
        const X509StoreCtxPtr ctx(X509_STORE_CTX_new());
        if (!store || !ctx || X509_STORE_set_default_paths(store.get()) != 1 ||
            X509_STORE_CTX_init(ctx.get(), store.get(), last.get(), nullptr) != 1) {
            takeOpenSslErrors();
            return {};
        }
        X509* issuer = nullptr;
        const int found = X509_STORE_CTX_get1_issuer(&issuer, ctx.get(), last.get());
        takeOpenSslErrors();
        if (found != 1 || !issuer)
            return {};
        const X509Ptr owned(issuer);
        return detail::certificateToPem(owned.get());
    } catch (const CryptoError&) {
        return {};
    }
}

} // namespace ck::crypto
