// certkeeper-license-sign: the vendor's offline tool for license keys. It makes the vendor's
// Ed25519 key pair once (the private half stays offline; the public half is given to CMake as
// CERTKEEPER_LICENSE_PUBLIC_KEY for a release) and signs keys with it. Tests and benchmarks use
// it with the development key in tests/fixtures/license (for tests only).

#include "crypto/Ed25519.h"
#include "crypto/SecretFiles.h"
#include "licensing/LicenseKey.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTextStream>
#include <QUuid>

#include <exception>

using namespace ck;

namespace {
int failWith(const QString& message) {
    QTextStream(stderr) << "certkeeper-license-sign: " << message << '\n';
    return 2;
}

int generate(const QString& path) {
    if (QFile::exists(path))
        return failWith(QStringLiteral("%1 exists; refusing to replace a signing key").arg(path));
    const auto pair = crypto::ed25519Generate();
    QString error;
    if (!crypto::writePrivateFile(path, pair.privateKeyPem, &error))
        return failWith(error);
    QTextStream(stdout) << "Private key written to " << path << " (0600): keep it offline.\n"
                        << "Public key for -DCERTKEEPER_LICENSE_PUBLIC_KEY=" << '\n'
                        << pair.publicKey.toBase64() << '\n';
    return 0;
}
} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Signs Certkeeper license keys offline and prints the key on standard output.\n"
        "  sign:      --private-key FILE --email ADDRESS --edition NAME [--limit N] "
        "[--expires YYYY-MM-DD]\n"
        "  key pair:  --generate-key-pair FILE"));
    parser.addHelpOption();
    const QCommandLineOption privateKey(QStringLiteral("private-key"),
                                        QStringLiteral("Ed25519 private key (PEM) to sign with."),
                                        QStringLiteral("file"));
    const QCommandLineOption email(QStringLiteral("email"), QStringLiteral("Licensee's email."),
                                   QStringLiteral("address"));
    const QCommandLineOption edition(QStringLiteral("edition"),
                                     QStringLiteral("Edition, e.g. professional."),
                                     QStringLiteral("name"), QStringLiteral("professional"));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   QStringLiteral("Managed certificates allowed; 0 = no limit."),
                                   QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption expires(QStringLiteral("expires"),
                                     QStringLiteral("Last day of validity (UTC); none if absent."),
                                     QStringLiteral("date"));
    const QCommandLineOption product(QStringLiteral("product"),
                                     QStringLiteral("Product the key is for (default certkeeper)."),
                                     QStringLiteral("name"), QLatin1String(kLicenseProduct));
    const QCommandLineOption generateOption(QStringLiteral("generate-key-pair"),
                                            QStringLiteral("Write a new signing key to FILE and "
                                                           "print its public key."),
                                            QStringLiteral("file"));
    parser.addOptions({privateKey, email, edition, limit, expires, product, generateOption});
    parser.process(app);

    if (parser.isSet(generateOption))
        return generate(parser.value(generateOption));
    if (!parser.isSet(privateKey) || !parser.isSet(email))
        return failWith(QStringLiteral("sign needs --private-key FILE and --email ADDRESS"));
    QFile keyFile(parser.value(privateKey));
    if (!keyFile.open(QIODevice::ReadOnly))
        return failWith(
            QStringLiteral("cannot read %1: %2").arg(keyFile.fileName(), keyFile.errorString()));

    LicensePayload payload;
    payload.product = parser.value(product);
    payload.licensee = parser.value(email);
    payload.edition = parser.value(edition);
    bool numeric = false;
    payload.itemLimit = parser.value(limit).toInt(&numeric);
    if (!numeric || payload.itemLimit < 0)
        return failWith(QStringLiteral("--limit takes a number, 0 for no limit"));
    if (parser.isSet(expires)) {
        const QDate day = QDate::fromString(parser.value(expires), Qt::ISODate);
        if (!day.isValid())
            return failWith(QStringLiteral("--expires takes a date as YYYY-MM-DD"));
        payload.expires = QDateTime(day.addDays(1), QTime(0, 0), Qt::UTC);
    }
    payload.issued = QDateTime::currentDateTimeUtc();
    payload.keyId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    try {
        QTextStream(stdout) << licensing::signLicenseKey(payload, keyFile.readAll()) << '\n';
    } catch (const std::exception& e) {
        return failWith(QString::fromUtf8(e.what()));
    }
    return 0;
}
