#include "crypto/Ed25519.h"

#include "crypto/CryptoError.h"
#include "crypto/OpenSslPtr.h"

#include <openssl/pem.h>

namespace ck::crypto {

namespace {
const unsigned char* bytes(const QByteArray& data) {
    return reinterpret_cast<const unsigned char*>(data.constData());
}

EvpPkeyPtr readPrivateKey(const QByteArray& pem) {
    const BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    if (!bio)
        throwOpenSslError("Cannot read the Ed25519 private key");
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_ED25519) {
        takeOpenSslErrors();
        throw CryptoError(std::string("The file is not an unencrypted Ed25519 private key in "
                                      "PEM (PKCS#8) form"));
    }
    return key;
}

QByteArray rawPublicKey(EVP_PKEY* key) {
    QByteArray raw(kEd25519PublicKeySize, '\0');
    size_t length = size_t(raw.size());
    if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &length) !=
            1 ||
        length != size_t(kEd25519PublicKeySize))
        throwOpenSslError("Cannot read the Ed25519 public key");
    return raw;
}
} // namespace

Ed25519KeyPair ed25519Generate() {
    const EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "ED25519", nullptr));
    EVP_PKEY* generated = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &generated) != 1)
        throwOpenSslError("Cannot generate an Ed25519 key");
    const EvpPkeyPtr key(generated);
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throwOpenSslError("Cannot write the Ed25519 key");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return {QByteArray(data, qsizetype(size)), rawPublicKey(key.get())};
}

QByteArray ed25519PublicKey(const QByteArray& privateKeyPem) {
    return rawPublicKey(readPrivateKey(privateKeyPem).get());
}

QByteArray ed25519Sign(const QByteArray& privateKeyPem, const QByteArray& message) {
    const EvpPkeyPtr key = readPrivateKey(privateKeyPem);
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    QByteArray signature(kEd25519SignatureSize, '\0');
    size_t length = size_t(signature.size());
    // Ed25519 is a one-shot scheme: no digest is named, the whole message is signed at once.
    if (!ctx ||
        EVP_DigestSignInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, key.get(), nullptr) !=
            1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       bytes(message), size_t(message.size())) != 1)
        throwOpenSslError("Cannot sign with the Ed25519 key");
    signature.truncate(qsizetype(length));
    return signature;
}

bool ed25519Verify(const QByteArray& publicKey, const QByteArray& message,
                   const QByteArray& signature) {
    if (publicKey.size() != kEd25519PublicKeySize || signature.size() != kEd25519SignatureSize)
        return false;
    const EvpPkeyPtr key(EVP_PKEY_new_raw_public_key_ex(
        nullptr, "ED25519", nullptr, bytes(publicKey), size_t(publicKey.size())));
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    const bool ok = key && ctx &&
                    EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr,
                                            key.get(), nullptr) == 1 &&
                    EVP_DigestVerify(ctx.get(), bytes(signature), size_t(signature.size()),
                                     bytes(message), size_t(message.size())) == 1;
    takeOpenSslErrors(); // a bad signature is an answer, not an error to carry forward
    return ok;
}

} // namespace ck::crypto
