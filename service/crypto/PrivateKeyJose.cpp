// PrivateKey's JOSE side: the public JWK (RFC 7517/7518 §6), its thumbprint (RFC 7638) and JWS
// signatures (RFC 7518 §3.3 RS256, §3.4 ES256/ES384).

#include "crypto/PrivateKey.h"

#include "crypto/CryptoError.h"
#include "crypto/Jwk.h"
#include "crypto/OpenSslPtr.h"

#include <openssl/core_names.h>

namespace ck::crypto {

namespace {

BignumPtr bignumParam(EVP_PKEY* key, const char* name) {
    BIGNUM* value = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &value) != 1 || !value)
        throwOpenSslError(std::string("Cannot read the key parameter ") + name);
    return BignumPtr(value);
}

// Big-endian bytes: minimal when width is 0 (RSA members are Base64urlUInt, RFC 7518 §2),
// left-padded to `width` otherwise (EC coordinates and signature halves are fixed-size).
QByteArray bignumBytes(const BIGNUM* value, int width = 0) {
    const int size = width > 0 ? width : BN_num_bytes(value);
    QByteArray out(size, Qt::Uninitialized);
    const int written =
        width > 0 ? BN_bn2binpad(value, reinterpret_cast<unsigned char*>(out.data()), width)
                  : BN_bn2bin(value, reinterpret_cast<unsigned char*>(out.data()));
    if (written != size)
        throwOpenSslError("A key value does not fit its field");
    return out;
}

QString b64u(const QByteArray& bytes) {
    return QString::fromLatin1(base64UrlEncode(bytes));
}

// The size in bytes of one EC coordinate and of each half of an ECDSA signature.
int ecFieldBytes(KeyType type) {
    return type == KeyType::EcP384 ? 48 : 32;
}

const char* digestFor(KeyType type) {
    return type == KeyType::EcP384 ? "SHA384" : "SHA256";
}

// OpenSSL produces ECDSA signatures as DER SEQUENCE{r, s}; JWS wants r||s, each left-padded to
// the field size (RFC 7518 §3.4).
QByteArray ecdsaDerToJose(const QByteArray& der, int fieldBytes) {
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.constData());
    const EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
    if (!sig)
        throwOpenSslError("Cannot decode the ECDSA signature");
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    return bignumBytes(r, fieldBytes) + bignumBytes(s, fieldBytes);
}

} // namespace

QJsonObject PrivateKey::publicJwk() const {
    EVP_PKEY* key = checked();
    if (isRsa(m_type)) {
        return QJsonObject{
            {QStringLiteral("e"), b64u(bignumBytes(bignumParam(key, OSSL_PKEY_PARAM_RSA_E).get()))},
            {QStringLiteral("kty"), QStringLiteral("RSA")},
            {QStringLiteral("n"), b64u(bignumBytes(bignumParam(key, OSSL_PKEY_PARAM_RSA_N).get()))},
        };
    }
    const int width = ecFieldBytes(m_type);
    return QJsonObject{
        {QStringLiteral("crv"),
         m_type == KeyType::EcP384 ? QStringLiteral("P-384") : QStringLiteral("P-256")},
        {QStringLiteral("kty"), QStringLiteral("EC")},
        {QStringLiteral("x"),
         b64u(bignumBytes(bignumParam(key, OSSL_PKEY_PARAM_EC_PUB_X).get(), width))},
        {QStringLiteral("y"),
         b64u(bignumBytes(bignumParam(key, OSSL_PKEY_PARAM_EC_PUB_Y).get(), width))},
    };
}

QString PrivateKey::jwkThumbprint() const {
    return crypto::jwkThumbprint(publicJwk());
}

QString PrivateKey::jwsAlgorithm() const {
    checked();
    if (isRsa(m_type))
        return QStringLiteral("RS256");
    return m_type == KeyType::EcP384 ? QStringLiteral("ES384") : QStringLiteral("ES256");
}

QByteArray PrivateKey::sign(const QByteArray& data) const {
    EVP_PKEY* key = checked();
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    // RSA keys sign with PKCS#1 v1.5 padding, OpenSSL's default and what RS256 means.
    if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, digestFor(m_type), nullptr, nullptr, key,
                                      nullptr) != 1)
        throwOpenSslError("Cannot start a signature");
    const auto* in = reinterpret_cast<const unsigned char*>(data.constData());
    size_t length = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &length, in, static_cast<size_t>(data.size())) != 1)
        throwOpenSslError("Cannot size the signature");
    QByteArray signature(static_cast<qsizetype>(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, in,
                       static_cast<size_t>(data.size())) != 1)
        throwOpenSslError("Cannot sign");
    signature.truncate(static_cast<qsizetype>(length));
    return isRsa(m_type) ? signature : ecdsaDerToJose(signature, ecFieldBytes(m_type));
}

} // namespace ck::crypto
