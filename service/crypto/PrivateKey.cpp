// PrivateKey: lifetime, generation and PEM/DER I/O. The JOSE side (JWK, signatures) is in
// PrivateKeyJose.cpp.

#include "crypto/PrivateKey.h"

#include "crypto/CryptoError.h"
#include "crypto/OpenSslPtr.h"
#include "crypto/X509Support.h"

#include <openssl/pem.h>

#include <optional>

namespace ck::crypto {

std::optional<KeyType> detectKeyType(EVP_PKEY* key) {
    if (EVP_PKEY_is_a(key, "RSA")) {
        switch (EVP_PKEY_get_bits(key)) {
        case 2048:
            return KeyType::Rsa2048;
        case 3072:
            return KeyType::Rsa3072;
        case 4096:
            return KeyType::Rsa4096;
        default:
            return std::nullopt;
        }
    }
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[64] = {};
        size_t length = 0;
        if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) != 1) {
            takeOpenSslErrors();
            return std::nullopt;
        }
        const std::string name(group, length);
        if (name == "prime256v1" || name == "P-256" || name == "secp256r1")
            return KeyType::EcP256;
        if (name == "secp384r1" || name == "P-384")
            return KeyType::EcP384;
    }
    return std::nullopt;
}

namespace {

std::string describe(EVP_PKEY* key) {
    const char* name = EVP_PKEY_get0_type_name(key);
    return std::string(name ? name : "unknown") + " " + std::to_string(EVP_PKEY_get_bits(key)) +
           " bits";
}

// PEM callback that refuses to supply a passphrase: the service runs unattended, and OpenSSL's
// default callback would block reading the terminal.
int refusePassphrase(char*, int, int, void*) {
    return -1;
}

// A key file can be damaged so that its private half no longer matches the public half it
// carries (a flipped bit, a hand-edited file): OpenSSL reads it, certificateMatchesKey compares
// only the public half, and every signature made with it fails to verify. Sign a few bytes and
// verify them with the public half: a few milliseconds at most (RSA 4096), where OpenSSL's own
// pairwise check tests both primes (hundreds of milliseconds).
bool halvesMatch(EVP_PKEY* key) {
    static constexpr unsigned char probe[] = "certkeeper key pair check";
    const EvpMdCtxPtr signing(EVP_MD_CTX_new());
    size_t length = 0;
    if (!signing || EVP_DigestSignInit(signing.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(signing.get(), nullptr, &length, probe, sizeof probe) != 1)
        return false;
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    auto* bytes = reinterpret_cast<unsigned char*>(signature.data());
    if (EVP_DigestSign(signing.get(), bytes, &length, probe, sizeof probe) != 1)
        return false;
    const EvpMdCtxPtr verifying(EVP_MD_CTX_new());
    return verifying &&
           EVP_DigestVerifyInit(verifying.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
           EVP_DigestVerify(verifying.get(), bytes, length, probe, sizeof probe) == 1;
}

QByteArray bioContents(BIO* bio) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return QByteArray(data, static_cast<qsizetype>(length));
}

} // namespace

void PrivateKey::Free::operator()(EVP_PKEY* key) const {
    EVP_PKEY_free(key);
}

PrivateKey::PrivateKey() = default;
PrivateKey::~PrivateKey() = default;
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::PrivateKey(EVP_PKEY* key, KeyType type) : m_key(key), m_type(type) {}

EVP_PKEY* PrivateKey::checked() const {
    if (!m_key)
        throw CryptoError(std::string("The private key is empty (null or moved-from)"));
    return m_key.get();
}

KeyType PrivateKey::type() const {
    checked();
    return m_type;
}

PrivateKey PrivateKey::generate(KeyType type) {
    EVP_PKEY* key = nullptr;
    switch (type) {
    case KeyType::Rsa2048:
    case KeyType::Rsa3072:
    case KeyType::Rsa4096: {
        const size_t bits = type == KeyType::Rsa2048   ? 2048
                            : type == KeyType::Rsa3072 ? 3072
                                                       : 4096;
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits);
        break;
    }
    case KeyType::EcP256:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        break;
    case KeyType::EcP384:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
        break;
    }
    if (!key)
        throwOpenSslError("Cannot generate a " + keyTypeName(type).toStdString() + " key");
    return PrivateKey(key, type);
}

PrivateKey PrivateKey::adopt(EVP_PKEY* key) {
    EvpPkeyPtr owned(key);
    if (!owned)
        throw CryptoError(std::string("PrivateKey::adopt: null key"));
    const auto type = detectKeyType(owned.get());
    if (!type)
        throw CryptoError("Unsupported key (" + describe(owned.get()) +
                          "); use RSA 2048/3072/4096 or ECDSA P-256/P-384");
    return PrivateKey(owned.release(), *type);
}

PrivateKey PrivateKey::fromPem(const QByteArray& pem) {
    // Say "encrypted" plainly rather than OpenSSL's "bad password read".
    if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
        pem.contains("Proc-Type: 4,ENCRYPTED"))
        throw CryptoError(
            std::string("The private key is encrypted with a passphrase; decrypt it first "
                        "(openssl pkey -in key.pem -out plain.pem)"));
    // OpenSSL's decoders read the thread's error queue: with an entry some earlier call left
    // there, a key after a certificate block comes back unable to give its public half.
    takeOpenSslErrors();
    const BioPtr bio(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
    if (!bio)
        throwOpenSslError("Cannot read the private key");
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, refusePassphrase, nullptr);
    if (!key)
        throwOpenSslError("No usable private key in the PEM data");
    takeOpenSslErrors(); // skipped non-key blocks can leave harmless entries behind
    PrivateKey adopted = adopt(key);
    if (!halvesMatch(adopted.native())) {
        takeOpenSslErrors();
        throw CryptoError(std::string("The private key is damaged: its private and public parts "
                                      "do not match (check it with openssl pkey -check)"));
    }
    return adopted;
}

QByteArray PrivateKey::toPem() const {
    // BIO_s_secmem clears its buffer when freed, so the only plaintext copy left is the
    // returned QByteArray, which the caller writes straight to a 0600 file.
    const BioPtr bio(BIO_new(BIO_s_secmem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), checked(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throwOpenSslError("Cannot encode the private key as PEM");
    return bioContents(bio.get());
}

QByteArray PrivateKey::publicKeyDer() const {
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(checked(), &der);
    if (length <= 0)
        throwOpenSslError("Cannot encode the public key");
    QByteArray out(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    return out;
}

} // namespace ck::crypto
