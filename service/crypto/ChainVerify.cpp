// verifyChain: OpenSSL's own path building and checks (X509_verify_cert), configured as a TLS
// client would configure them for a server certificate.

#include "crypto/Certificate.h"

#include "crypto/CryptoError.h"
#include "crypto/X509Support.h"

namespace ck::crypto {

namespace {

VerifyResult failure(const QString& error) {
    return {false, error};
}

QString describeFailure(X509_STORE_CTX* ctx) {
    const int code = X509_STORE_CTX_get_error(ctx);
    QString text = QString::fromUtf8(X509_verify_cert_error_string(code));
    if (X509* at = X509_STORE_CTX_get_current_cert(ctx)) {
        char subject[256] = {};
        X509_NAME_oneline(X509_get_subject_name(at), subject, sizeof subject);
        text += QStringLiteral(" (depth %1: %2)")
                    .arg(X509_STORE_CTX_get_error_depth(ctx))
                    .arg(QString::fromUtf8(subject));
    }
    return text;
}

} // namespace

VerifyResult verifyChain(const QByteArray& leafPem, const QList<QByteArray>& intermediatesPem,
                         const QList<QByteArray>& trustedRootsPem) {
    try {
        const X509Ptr leaf = detail::loadCertificate(leafPem);
        const X509StackPtr untrusted = detail::loadCertificateStack(intermediatesPem);

        const X509StorePtr store(X509_STORE_new());
        if (!store)
            throwOpenSslError("Cannot create a certificate store");
        if (trustedRootsPem.isEmpty()) {
            if (X509_STORE_set_default_paths(store.get()) != 1)
                throwOpenSslError("Cannot load the system trust store");
        }
        for (const QByteArray& rootPem : trustedRootsPem) {
            const X509Ptr root = detail::loadCertificate(rootPem);
            if (X509_STORE_add_cert(store.get(), root.get()) != 1) // takes its own reference
                throwOpenSslError("Cannot add a trusted root");
        }

        const X509StoreCtxPtr ctx(X509_STORE_CTX_new());
        if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), untrusted.get()) != 1 ||
            X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER) != 1)
            throwOpenSslError("Cannot set up certificate verification");
        const int verified = X509_verify_cert(ctx.get());
        takeOpenSslErrors(); // the reason is in the context, not the queue
        if (verified == 1)
            return {true, {}};
        return failure(describeFailure(ctx.get()));
    } catch (const CryptoError& e) {
        return failure(QString::fromUtf8(e.what()));
    }
}

} // namespace ck::crypto
