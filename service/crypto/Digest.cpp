#include "crypto/Digest.h"

#include "crypto/CryptoError.h"
#include "crypto/OpenSslPtr.h"

#include <QString>

#include <openssl/core_names.h>
#include <openssl/params.h>

namespace ck::crypto {

namespace {

const unsigned char* bytes(const QByteArray& data) {
    return reinterpret_cast<const unsigned char*>(data.constData());
}

} // namespace

QByteArray sha256(const QByteArray& data) {
    QByteArray out(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    size_t length = 0;
    if (EVP_Q_digest(nullptr, "SHA256", nullptr, data.constData(), static_cast<size_t>(data.size()),
                     reinterpret_cast<unsigned char*>(out.data()), &length) != 1)
        throwOpenSslError("Cannot compute SHA-256");
    out.truncate(static_cast<qsizetype>(length));
    return out;
}

QByteArray hmacSha256(const QByteArray& key, const QByteArray& data) {
    const EvpMacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac)
        throwOpenSslError("HMAC is not available");
    const EvpMacCtxPtr ctx(EVP_MAC_CTX_new(mac.get()));
    if (!ctx)
        throwOpenSslError("Cannot create an HMAC context");
    char digestName[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digestName, 0),
        OSSL_PARAM_construct_end(),
    };
    // An empty key is legal HMAC, but EVP_MAC_init wants a non-null pointer for it.
    static const unsigned char kEmpty = 0;
    const unsigned char* keyBytes = key.isEmpty() ? &kEmpty : bytes(key);
    if (EVP_MAC_init(ctx.get(), keyBytes, static_cast<size_t>(key.size()), params) != 1 ||
        EVP_MAC_update(ctx.get(), bytes(data), static_cast<size_t>(data.size())) != 1)
        throwOpenSslError("Cannot compute HMAC-SHA256");
    QByteArray out(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    size_t length = 0;
    if (EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length,
                      static_cast<size_t>(out.size())) != 1)
        throwOpenSslError("Cannot compute HMAC-SHA256");
    out.truncate(static_cast<qsizetype>(length));
    return out;
}

QString toUpperHex(const QByteArray& bytes) {
    return QString::fromLatin1(bytes.toHex().toUpper());
}

} // namespace ck::crypto
