#include "backup/BackupPackage.h"

#include "base/Clock.h"
#include "crypto/Digest.h"
#include "crypto/Random.h"
#include "crypto/SecretBox.h"

#include <QDateTime>
#include <QJsonDocument>

#include <openssl/crypto.h>

namespace ck::backup {

namespace {
constexpr int kSaltSize = 16;
constexpr int kDerivedSize = 64;

OpenFailure damaged(const QString& why) {
    return {OpenProblem::Damaged,
            QStringLiteral("The backup package is damaged (%1), so nothing was imported. Use "
                           "another copy of it.")
                .arg(why)};
}

QByteArray checkValue(const QByteArray& derived) {
    return crypto::sha256(derived.mid(32)).toBase64();
}

QByteArray digestLine(const QByteArray& body) {
    return "sha256:" + crypto::sha256(body).toHex();
}
} // namespace

QByteArray sealPackage(const QJsonObject& contents, const QByteArray& passphrase,
                       const crypto::ScryptParams& params) {
    const QByteArray salt = crypto::randomBytes(kSaltSize);
    QByteArray derived = crypto::scrypt(passphrase, salt, params, kDerivedSize);
    const QJsonObject header{{"kdf", "scrypt"},
                             {"n", qint64(params.n)},
                             {"r", int(params.r)},
                             {"p", int(params.p)},
                             {"salt", QString::fromLatin1(salt.toBase64())},
                             {"check", QString::fromLatin1(checkValue(derived))},
                             {"compression", "zlib"},
                             {"created", Clock::system().now().toString(Qt::ISODate)}};
    const QByteArray firstLines = QByteArray(kPackageMagic) + ' ' +
                                  QByteArray::number(kPackageVersion) + '\n' +
                                  QJsonDocument(header).toJson(QJsonDocument::Compact);
    const auto box = crypto::SecretBox::fromKey(derived.left(32));
    OPENSSL_cleanse(derived.data(), size_t(derived.size()));
    const QByteArray plain = qCompress(QJsonDocument(contents).toJson(QJsonDocument::Compact), 9);
    const QByteArray body = firstLines + '\n' + box.seal(plain, firstLines) + '\n';
    return body + digestLine(body) + '\n';
}

std::variant<QJsonObject, OpenFailure> openPackage(const QByteArray& package,
                                                   const QByteArray& passphrase) {
    const QByteArray magic = QByteArray(kPackageMagic) + ' ';
    if (!package.startsWith(magic))
        return OpenFailure{OpenProblem::NotAPackage,
                           QStringLiteral("This file is not a Certkeeper backup package (it does "
                                          "not start with %1).")
                               .arg(QLatin1String(kPackageMagic))};
    const QList<QByteArray> lines = package.split('\n');
    bool numeric = false;
    const int version = lines[0].mid(magic.size()).toInt(&numeric);
    if (!numeric)
        return damaged(QStringLiteral("its first line is not complete"));
    if (version > kPackageVersion)
        return OpenFailure{OpenProblem::NewerVersion,
                           QStringLiteral("This backup package was made by a newer Certkeeper "
                                          "(format %1; this one reads format %2). Update "
                                          "Certkeeper, then import it.")
                               .arg(version)
                               .arg(kPackageVersion)};
    // Four lines and the newline after the last: anything else is a cut or joined file.
    if (lines.size() != 5 || !lines[4].isEmpty() || !lines[3].startsWith("sha256:"))
        return damaged(QStringLiteral("it is incomplete; was it cut off while copying?"));
    const QByteArray body = lines[0] + '\n' + lines[1] + '\n' + lines[2] + '\n';
    if (digestLine(body) != lines[3])
        return damaged(QStringLiteral("its checksum does not match its contents"));

    const QJsonObject header = QJsonDocument::fromJson(lines[1]).object();
    crypto::ScryptParams params;
    params.n = quint64(header.value("n").toInteger());
    params.r = quint32(header.value("r").toInt());
    params.p = quint32(header.value("p").toInt());
    const QByteArray salt = QByteArray::fromBase64(header.value("salt").toString().toLatin1());
    if (header.value("kdf").toString() != QLatin1String("scrypt") || !params.withinLimits() ||
        salt.size() < kSaltSize)
        return damaged(QStringLiteral("its key derivation settings are not ones Certkeeper "
                                      "writes"));

    QByteArray derived = crypto::scrypt(passphrase, salt, params, kDerivedSize);
    const QByteArray expected = header.value("check").toString().toLatin1();
    const QByteArray actual = checkValue(derived);
    if (expected.size() != actual.size() ||
        CRYPTO_memcmp(expected.constData(), actual.constData(), size_t(actual.size())) != 0) {
        OPENSSL_cleanse(derived.data(), size_t(derived.size()));
        return OpenFailure{OpenProblem::WrongPassphrase,
                           QStringLiteral("The passphrase does not open this backup package. "
                                          "Enter the passphrase it was exported with; nothing "
                                          "was imported.")};
    }
    const auto box = crypto::SecretBox::fromKey(derived.left(32));
    OPENSSL_cleanse(derived.data(), size_t(derived.size()));
    const QByteArray firstLines = lines[0] + '\n' + lines[1];
    const auto plain = box.open(lines[2], firstLines);
    if (!plain)
        return damaged(QStringLiteral("its encrypted part was changed"));
    const QByteArray json = qUncompress(*plain);
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (json.isEmpty() || error.error != QJsonParseError::NoError || !document.isObject())
        return damaged(QStringLiteral("its contents cannot be read"));
    return document.object();
}

} // namespace ck::backup
