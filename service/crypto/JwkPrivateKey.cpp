#include "crypto/JwkPrivateKey.h"

#include "crypto/Base64Url.h"
#include "crypto/CryptoError.h"
#include "crypto/OpenSslPtr.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <iterator>
#include <vector>

namespace ck::crypto {

namespace {
using ParamBldPtr = OpenSslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using ParamsPtr = OpenSslPtr<OSSL_PARAM, OSSL_PARAM_free>;

QByteArray member(const QJsonObject& jwk, const char* name) {
    const QJsonValue value = jwk.value(QLatin1String(name));
    if (!value.isString())
        throw CryptoError(std::string("The JWK has no \"") + name +
                          "\" member; it is not a private key");
    const auto bytes = base64UrlDecode(value.toString().toLatin1());
    if (!bytes || bytes->isEmpty())
        throw CryptoError(std::string("The JWK's \"") + name + "\" member is not base64url");
    return *bytes;
}

BignumPtr bignum(const QByteArray& bytes) {
    BignumPtr n(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.constData()),
                          int(bytes.size()), nullptr));
    if (!n)
        throwOpenSslError("Cannot read a number of the JWK");
    return n;
}

PrivateKey fromParams(const char* algorithm, OSSL_PARAM_BLD* builder) {
    const ParamsPtr params(OSSL_PARAM_BLD_to_param(builder));
    const EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, algorithm, nullptr));
    EVP_PKEY* key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_KEYPAIR, params.get()) != 1)
        throwOpenSslError("OpenSSL refuses the key of the JWK");
    return PrivateKey::adopt(key);
}

PrivateKey rsaFromJwk(const QJsonObject& jwk) {
    // The CRT members are optional in RFC 7518 but every client writes them, OpenSSL wants them.
    const char* names[] = {"n", "e", "d", "p", "q", "dp", "dq", "qi"};
    const char* params[] = {OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
                            OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
                            OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
                            OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
    std::vector<BignumPtr> numbers;
    const ParamBldPtr builder(OSSL_PARAM_BLD_new());
    for (size_t i = 0; i < std::size(names); ++i) {
        numbers.push_back(bignum(member(jwk, names[i])));
        if (OSSL_PARAM_BLD_push_BN(builder.get(), params[i], numbers.back().get()) != 1)
            throwOpenSslError("Cannot build the RSA key of the JWK");
    }
    return fromParams("RSA", builder.get());
}

PrivateKey ecFromJwk(const QJsonObject& jwk) {
    const QString curve = jwk.value(QLatin1String("crv")).toString();
    const char* group = curve == QLatin1String("P-256")   ? "prime256v1"
                        : curve == QLatin1String("P-384") ? "secp384r1"
                                                          : nullptr;
    if (!group)
        throw CryptoError("The JWK's curve \"" + curve.toStdString() + "\" is not P-256 or P-384");
    const QByteArray x = member(jwk, "x");
    const QByteArray y = member(jwk, "y");
    const BignumPtr d = bignum(member(jwk, "d"));
    // The public point, uncompressed (SEC 1 §2.3.3): 0x04 || x || y.
    const QByteArray point = QByteArray(1, '\x04') + x + y;
    const ParamBldPtr builder(OSSL_PARAM_BLD_new());
    if (OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                         size_t(point.size())) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1)
        throwOpenSslError("Cannot build the EC key of the JWK");
    return fromParams("EC", builder.get());
}
} // namespace

PrivateKey privateKeyFromJwk(const QJsonObject& jwk) {
    const QString kty = jwk.value(QLatin1String("kty")).toString();
    if (kty == QLatin1String("RSA"))
        return rsaFromJwk(jwk);
    if (kty == QLatin1String("EC"))
        return ecFromJwk(jwk);
    throw CryptoError("The JWK's key type \"" + kty.toStdString() + "\" is not RSA or EC");
}

} // namespace ck::crypto
