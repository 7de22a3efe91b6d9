#include "crypto/Kdf.h"

#include "crypto/CryptoError.h"
#include "crypto/OpenSslPtr.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

namespace ck::crypto {

namespace {
using EvpKdfPtr = OpenSslPtr<EVP_KDF, EVP_KDF_free>;
using EvpKdfCtxPtr = OpenSslPtr<EVP_KDF_CTX, EVP_KDF_CTX_free>;

constexpr quint64 kMaxN = quint64(1) << 20;
constexpr quint64 kMaxMemory = quint64(1) << 30;

QByteArray derive(const char* algorithm, OSSL_PARAM* params, int length) {
    const EvpKdfPtr kdf(EVP_KDF_fetch(nullptr, algorithm, nullptr));
    const EvpKdfCtxPtr ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
    QByteArray key(length, '\0');
    if (!ctx || EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(key.data()),
                               size_t(key.size()), params) != 1)
        throwOpenSslError(std::string("Cannot derive a key with ") + algorithm);
    return key;
}

// OSSL_PARAM takes non-const buffers; the KDF only reads them.
void* buffer(const QByteArray& data) {
    return const_cast<char*>(data.constData());
}
} // namespace

bool ScryptParams::withinLimits() const {
    const bool powerOfTwo = n >= 2 && (n & (n - 1)) == 0;
    return powerOfTwo && n <= kMaxN && r >= 1 && r <= 32 && p >= 1 && p <= 16 &&
           memoryBytes() <= kMaxMemory;
}

QByteArray scrypt(const QByteArray& passphrase, const QByteArray& salt, const ScryptParams& params,
                  int length) {
    if (!params.withinLimits())
        throw CryptoError(std::string("The scrypt parameters are outside the accepted bounds"));
    uint64_t n = params.n;
    uint32_t r = params.r;
    uint32_t p = params.p;
    uint64_t maxMemory = params.memoryBytes() + (uint64_t(1) << 20);
    OSSL_PARAM list[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, buffer(passphrase),
                                          size_t(passphrase.size())),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, buffer(salt), size_t(salt.size())),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxMemory),
        OSSL_PARAM_construct_end(),
    };
    return derive("SCRYPT", list, length);
}

QByteArray pbkdf2Sha256(const QByteArray& passphrase, const QByteArray& salt, quint32 iterations,
                        int length) {
    unsigned int iter = iterations;
    char digest[] = "SHA256";
    OSSL_PARAM list[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, buffer(passphrase),
                                          size_t(passphrase.size())),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, buffer(salt), size_t(salt.size())),
        OSSL_PARAM_construct_uint(OSSL_KDF_PARAM_ITER, &iter),
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    return derive("PBKDF2", list, length);
}

} // namespace ck::crypto
