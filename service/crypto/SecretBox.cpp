#include "crypto/SecretBox.h"

#include "crypto/CryptoError.h"
#include "crypto/OpenSslPtr.h"
#include "crypto/Random.h"
#include "crypto/SecretFiles.h"

#include <QFile>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ck::crypto {

namespace {

constexpr char kVersion = 1;
constexpr int kNonceSize = 12; // the GCM standard nonce (NIST SP 800-38D)
constexpr int kTagSize = 16;

const unsigned char* bytes(const QByteArray& data) {
    return reinterpret_cast<const unsigned char*>(data.constData());
}

unsigned char* bytes(QByteArray& data) {
    return reinterpret_cast<unsigned char*>(data.data());
}

// The AAD covers the version byte as well as the caller's data.
QByteArray additionalData(const QByteArray& associatedData) {
    return kVersion + associatedData;
}

QString errnoText(int code) {
    return QString::fromLocal8Bit(std::strerror(code));
}

// Reads the existing key file, or returns std::nullopt when there is none.
std::optional<QByteArray> readKeyFile(const QString& path) {
    const QByteArray name = QFile::encodeName(path);
    // O_NONBLOCK: opening a FIFO for reading would otherwise block until a writer appears
    // (a hang at start-up instead of the "not a regular file" error below). It does not change
    // reads from a regular file.
    const int fd = ::open(name.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int code = errno;
        if (code == ENOENT)
            return std::nullopt;
        if (code == ELOOP)
            throw CryptoError(
                QStringLiteral("The machine key %1 is a symbolic link; refusing to use it")
                    .arg(path));
        throw CryptoError(
            QStringLiteral("Cannot read the machine key %1: %2").arg(path, errnoText(code)));
    }
    struct stat info {};
    QByteArray key(SecretBox::kKeySize + 1, '\0'); // one spare byte detects an over-long file
    ssize_t total = 0;
    bool ok = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
    while (ok && total < key.size()) {
        const ssize_t n = ::read(fd, key.data() + total, static_cast<size_t>(key.size() - total));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        total += n;
    }
    const int code = errno;
    ::close(fd);
    if (!ok)
        throw CryptoError(QStringLiteral("Cannot read the machine key %1: %2")
                              .arg(path, S_ISREG(info.st_mode)
                                             ? errnoText(code)
                                             : QStringLiteral("not a regular file")));
    if (total != SecretBox::kKeySize) {
        OPENSSL_cleanse(key.data(), static_cast<size_t>(key.size()));
        throw CryptoError(
            QStringLiteral("The machine key %1 is %2 bytes long, not %3; it is damaged or not a "
                           "Certkeeper machine key. Restore it from a backup (stored credentials "
                           "cannot be decrypted without it), or move it away to start with a new "
                           "key and re-enter the credentials.")
                .arg(path)
                .arg(info.st_size)
                .arg(SecretBox::kKeySize));
    }
    key.truncate(SecretBox::kKeySize);
    return key;
}

} // namespace

SecretBox::SecretBox(const QByteArray& key) {
    if (key.size() != kKeySize)
        throw CryptoError(
            QStringLiteral("A SecretBox key is %1 bytes, not %2").arg(kKeySize).arg(key.size()));
    std::memcpy(m_key.data(), key.constData(), m_key.size());
}

SecretBox::~SecretBox() {
    OPENSSL_cleanse(m_key.data(), m_key.size());
}

SecretBox SecretBox::fromKey(const QByteArray& key) {
    return SecretBox(key);
}

SecretBox SecretBox::loadOrCreate(const QString& machineKeyPath) {
    // Two rounds: if another process creates the key between our read and our create, the
    // second round loads theirs.
    for (int round = 0; round < 2; ++round) {
        if (auto existing = readKeyFile(machineKeyPath)) {
            SecretBox box(*existing);
            OPENSSL_cleanse(existing->data(), static_cast<size_t>(existing->size()));
            return box;
        }
        QByteArray fresh = randomBytes(kKeySize);
        QString error;
        const CreateResult result = createPrivateFile(machineKeyPath, fresh, &error);
        if (result == CreateResult::Created) {
            SecretBox box(fresh);
            OPENSSL_cleanse(fresh.data(), static_cast<size_t>(fresh.size()));
            return box;
        }
        OPENSSL_cleanse(fresh.data(), static_cast<size_t>(fresh.size()));
        if (result == CreateResult::Failed)
            throw CryptoError(QStringLiteral("Cannot create the machine key: %1").arg(error));
    }
    throw CryptoError(
        QStringLiteral("The machine key %1 keeps appearing and vanishing").arg(machineKeyPath));
}

QByteArray SecretBox::seal(const QByteArray& plaintext, const QByteArray& associatedData) const {
    const QByteArray nonce = randomBytes(kNonceSize);
    const QByteArray aad = additionalData(associatedData);
    const EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    int length = 0;
    if (!ctx ||
        EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), m_key.data(), bytes(nonce), nullptr) !=
            1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &length, bytes(aad), static_cast<int>(aad.size())) !=
            1)
        throwOpenSslError("Cannot start encryption");

    QByteArray out = kVersion + nonce;
    const qsizetype header = out.size();
    out.resize(header + plaintext.size() + kTagSize);
    auto* cipher = bytes(out) + header;
    int written = 0;
    if (!plaintext.isEmpty() && EVP_EncryptUpdate(ctx.get(), cipher, &written, bytes(plaintext),
                                                  static_cast<int>(plaintext.size())) != 1)
        throwOpenSslError("Cannot encrypt");
    int finalLength = 0;
    if (EVP_EncryptFinal_ex(ctx.get(), cipher + written, &finalLength) != 1)
        throwOpenSslError("Cannot encrypt");
    unsigned char* tag = cipher + written + finalLength;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, kTagSize),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_CIPHER_CTX_get_params(ctx.get(), params) != 1)
        throwOpenSslError("Cannot read the authentication tag");
    out.truncate(header + written + finalLength + kTagSize);
    return out.toBase64();
}

std::optional<QByteArray> SecretBox::open(const QByteArray& sealed,
                                          const QByteArray& associatedData) const {
    const auto decoded =
        QByteArray::fromBase64Encoding(sealed, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    QByteArray data = decoded.decoded;
    if (data.size() < 1 + kNonceSize + kTagSize || data.at(0) != kVersion)
        return std::nullopt;

    const QByteArray aad = additionalData(associatedData);
    const auto* nonce = bytes(data) + 1;
    const qsizetype cipherSize = data.size() - 1 - kNonceSize - kTagSize;
    const auto* cipher = nonce + kNonceSize;
    auto* tag = bytes(data) + (data.size() - kTagSize);

    const EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    int length = 0;
    if (!ctx ||
        EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), m_key.data(), nonce, nullptr) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &length, bytes(aad), static_cast<int>(aad.size())) !=
            1)
        throwOpenSslError("Cannot start decryption");
    QByteArray plaintext(cipherSize, Qt::Uninitialized);
    int written = 0;
    if (cipherSize > 0 && EVP_DecryptUpdate(ctx.get(), bytes(plaintext), &written, cipher,
                                            static_cast<int>(cipherSize)) != 1)
        throwOpenSslError("Cannot decrypt");
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, kTagSize),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_CIPHER_CTX_set_params(ctx.get(), params) != 1)
        throwOpenSslError("Cannot set the authentication tag");
    int finalLength = 0;
    // The tag check happens here; a mismatch is an expected outcome (tamper, wrong key or AAD),
    // not an error, so the queue is cleared and no exception is thrown.
    if (EVP_DecryptFinal_ex(ctx.get(), bytes(plaintext) + written, &finalLength) != 1) {
        takeOpenSslErrors();
        OPENSSL_cleanse(plaintext.data(), static_cast<size_t>(plaintext.size()));
        return std::nullopt;
    }
    plaintext.truncate(written + finalLength);
    return plaintext;
}

} // namespace ck::crypto
