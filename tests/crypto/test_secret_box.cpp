#include "CryptoTestSupport.h"

#include "crypto/CryptoError.h"
#include "crypto/Random.h"
#include "crypto/SecretBox.h"
#include "crypto/SecretFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

#include <openssl/err.h>

#include <sys/stat.h>
#include <unistd.h>

using namespace ck::crypto;
using namespace ck::crypto::test;

namespace {

QByteArray unbase64(const QByteArray& text) {
    return QByteArray::fromBase64(text);
}

// An independent AES-256-GCM decryption of the documented layout: 1 | nonce(12) | ct | tag(16),
// with AAD = version byte + associated data.
std::optional<QByteArray> decryptByHand(const QByteArray& key, const QByteArray& sealed,
                                        const QByteArray& aad) {
    const QByteArray raw = unbase64(sealed);
    const auto* p = reinterpret_cast<const unsigned char*>(raw.constData());
    const QByteArray fullAad = '\x01' + aad;
    const int cipherSize = static_cast<int>(raw.size()) - 29;
    QByteArray tag = raw.right(16);
    QByteArray out(cipherSize, '\0');
    int n = 0;
    const EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    const bool ok =
        raw.at(0) == 1 &&
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                           reinterpret_cast<const unsigned char*>(key.constData()), p + 1) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &n,
                          reinterpret_cast<const unsigned char*>(fullAad.constData()),
                          static_cast<int>(fullAad.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n, p + 13,
                          cipherSize) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &n) == 1;
    ERR_clear_error();
    return ok ? std::optional<QByteArray>(out) : std::nullopt;
}

int modeOf(const QString& path) {
    struct stat info {};
    REQUIRE(::lstat(QFile::encodeName(path).constData(), &info) == 0);
    return static_cast<int>(info.st_mode & 07777);
}

QStringList entries(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System |
                               QDir::NoDotAndDotDot);
}

} // namespace

TEST_CASE("SecretBox seals and opens, with the documented layout", "[secretbox]") {
    const QByteArray key = randomBytes(32);
    const SecretBox box = SecretBox::fromKey(key);
    const QByteArray plaintext =
        GENERATE(QByteArray(), QByteArray("x"), QByteArray("pa\0ss", 5), QByteArray(1000, '\xA5'));
    const QByteArray sealed = box.seal(plaintext, "credential-7");
    CHECK(box.open(sealed, "credential-7") == plaintext);
    CHECK(unbase64(sealed).size() == 1 + 12 + plaintext.size() + 16);
    CHECK(decryptByHand(key, sealed, "credential-7") == plaintext);
    // A fresh nonce every time: the same input never seals to the same text.
    const QByteArray again = box.seal(plaintext, "credential-7");
    CHECK(again != sealed);
    CHECK(unbase64(again).mid(1, 12) != unbase64(sealed).mid(1, 12));
    // The same key in a new box opens it (nothing depends on the instance).
    CHECK(SecretBox::fromKey(key).open(sealed, "credential-7") == plaintext);
}

TEST_CASE("SecretBox::open refuses anything it did not seal", "[secretbox]") {
    const SecretBox box = SecretBox::fromKey(randomBytes(32));
    const QByteArray sealed = box.seal("dns-api-token", "cred-1");
    const QByteArray raw = unbase64(sealed);

    CHECK_FALSE(SecretBox::fromKey(randomBytes(32)).open(sealed, "cred-1"));
    CHECK_FALSE(box.open(sealed, "cred-2"));
    CHECK_FALSE(box.open(sealed, {}));
    for (qsizetype i = 0; i < raw.size(); ++i) { // version, nonce, ciphertext and tag
        QByteArray flipped = raw;
        flipped[i] = static_cast<char>(flipped[i] ^ 0x10);
        CAPTURE(i);
        CHECK_FALSE(box.open(flipped.toBase64(), "cred-1"));
    }
    for (qsizetype length = 0; length < raw.size(); ++length) {
        CAPTURE(length);
        CHECK_FALSE(box.open(raw.left(length).toBase64(), "cred-1"));
    }
    CHECK_FALSE(box.open((raw + 'x').toBase64(), "cred-1"));
    CHECK_FALSE(box.open("", "cred-1"));
    CHECK_FALSE(box.open("!!not base64!!", "cred-1"));
    CHECK_FALSE(box.open(raw, "cred-1")); // the raw bytes, not the base64 text
    CHECK(box.open(sealed, "cred-1") == QByteArray("dns-api-token"));
    CHECK(ERR_peek_error() == 0);

    CHECK_THROWS_WITH(SecretBox::fromKey(randomBytes(16)), Catch::Matchers::Contains("not 16"));
    CHECK_THROWS_AS(SecretBox::fromKey(randomBytes(33)), CryptoError);
    CHECK_THROWS_AS(SecretBox::fromKey({}), CryptoError);
}

TEST_CASE("loadOrCreate makes a 0600 machine key once and reuses it", "[secretbox]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("machine.key"));
    const QByteArray sealed = SecretBox::loadOrCreate(path).seal("secret", "id");
    CHECK(modeOf(path) == 0600);
    const QByteArray key = readFile(path);
    CHECK(key.size() == 32);
    CHECK(entries(dir.path()) == QStringList{QStringLiteral("machine.key")}); // no temporary left

    CHECK(SecretBox::loadOrCreate(path).open(sealed, "id") == QByteArray("secret"));
    CHECK(readFile(path) == key);
    CHECK(decryptByHand(key, sealed, "id") == QByteArray("secret"));
}

TEST_CASE("loadOrCreate never replaces something that is not a key", "[secretbox]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("machine.key"));
    using Catch::Matchers::Contains;

    SECTION("wrong size") {
        for (const QByteArray& content : {QByteArray(), QByteArray(31, 'k'), QByteArray(33, 'k')}) {
            writeFile(path, content);
            CHECK_THROWS_WITH(SecretBox::loadOrCreate(path),
                              Contains("is " + std::to_string(content.size()) + " bytes long"));
            CHECK(readFile(path) == content);
        }
    }
    SECTION("a symlink, even to a valid key") {
        const QString real = dir.filePath(QStringLiteral("real.key"));
        writeFile(real, QByteArray(32, 'k'));
        REQUIRE(QFile::link(real, path));
        CHECK_THROWS_WITH(SecretBox::loadOrCreate(path), Contains("symbolic link"));
    }
    SECTION("a directory or a FIFO") {
        REQUIRE(QDir(dir.path()).mkdir(QStringLiteral("machine.key")));
        CHECK_THROWS_WITH(SecretBox::loadOrCreate(path), Contains("not a regular file"));
        const QString fifo = dir.filePath(QStringLiteral("fifo.key"));
        REQUIRE(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        CHECK_THROWS_WITH(SecretBox::loadOrCreate(fifo), Contains("not a regular file"));
    }
    SECTION("a missing directory") {
        CHECK_THROWS_WITH(SecretBox::loadOrCreate(dir.filePath(QStringLiteral("no/machine.key"))),
                          Contains("Cannot create the machine key"));
    }
}

TEST_CASE("writePrivateFile writes 0600 files atomically", "[secretfiles]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("key.pem"));
    const QByteArray binary("\0\x01\xff key\n\0", 9);
    const mode_t oldUmask = ::umask(0); // even a permissive umask leaves group/other out
    QString error;
    const bool written = writePrivateFile(path, binary, &error);
    ::umask(oldUmask);
    REQUIRE(written);
    CHECK(error.isEmpty());
    CHECK(modeOf(path) == 0600);
    CHECK(readFile(path) == binary);

    // Replacing: a reader holding the old file still sees all of the old content (rename, not
    // truncate-and-write), and the new file is 0600 even if the old one was not.
    REQUIRE(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
    QFile old(path);
    REQUIRE(old.open(QIODevice::ReadOnly));
    REQUIRE(writePrivateFile(path, "new", nullptr));
    CHECK(old.readAll() == binary);
    CHECK(readFile(path) == "new");
    CHECK(modeOf(path) == 0600);
    REQUIRE(writePrivateFile(path, {}, nullptr));
    CHECK(readFile(path).isEmpty());

    // A symlink at the path is replaced, its target untouched.
    const QString target = dir.filePath(QStringLiteral("target"));
    const QString link = dir.filePath(QStringLiteral("link.pem"));
    writeFile(target, "target");
    REQUIRE(QFile::link(target, link));
    REQUIRE(writePrivateFile(link, "secret", nullptr));
    CHECK(readFile(target) == "target");
    CHECK_FALSE(QFileInfo(link).isSymLink());
    CHECK(readFile(link) == "secret");
    CHECK(entries(dir.path()) == QStringList{QStringLiteral("key.pem"), QStringLiteral("link.pem"),
                                             QStringLiteral("target")});

    // Failures name the path and leave nothing behind.
    const QString missing = dir.filePath(QStringLiteral("no/such/dir/key.pem"));
    CHECK_FALSE(writePrivateFile(missing, "x", &error));
    CHECK(error.contains(QStringLiteral("no/such/dir/key.pem")));
    CHECK(error.contains(QStringLiteral("No such file or directory")));
    REQUIRE(QDir(dir.path()).mkdir(QStringLiteral("sub")));
    error.clear();
    CHECK_FALSE(writePrivateFile(dir.filePath(QStringLiteral("sub")), "x", &error));
    CHECK(error.contains(QStringLiteral("sub")));
    CHECK(entries(dir.path()).size() == 4);
    CHECK(entries(dir.filePath(QStringLiteral("sub"))).isEmpty());
}

TEST_CASE("createPrivateFile creates once and never replaces", "[secretfiles]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("machine.key"));
    QString error;
    CHECK(createPrivateFile(path, "first", &error) == CreateResult::Created);
    CHECK(modeOf(path) == 0600);
    CHECK(createPrivateFile(path, "second", &error) == CreateResult::AlreadyExists);
    CHECK(error.contains(QStringLiteral("already exists")));
    CHECK(readFile(path) == "first");
    // A dangling symlink counts as existing: nothing is created through it.
    const QString dangling = dir.filePath(QStringLiteral("dangling"));
    REQUIRE(QFile::link(dir.filePath(QStringLiteral("nowhere")), dangling));
    CHECK(createPrivateFile(dangling, "x", nullptr) == CreateResult::AlreadyExists);
    CHECK_FALSE(QFile::exists(dir.filePath(QStringLiteral("nowhere"))));
    CHECK(createPrivateFile(dir.filePath(QStringLiteral("no/machine.key")), "x", &error) ==
          CreateResult::Failed);
    CHECK(error.contains(QStringLiteral("no/machine.key")));
    CHECK(entries(dir.path()) ==
          QStringList{QStringLiteral("dangling"), QStringLiteral("machine.key")});
}
