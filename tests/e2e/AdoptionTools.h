#pragma once
// The other ACME clients whose certificates are adopted, run for real against the fixture's
// Pebble: Debian's certbot (--config-dir in a temporary folder) and lego (--path). Pebble's HTTPS
// root is trusted through REQUESTS_CA_BUNDLE (certbot) and LEGO_CA_CERTIFICATES (lego). Debian
// 12's certbot on Python 3.11 turns any ACME error into "AttributeError: can't set attribute":
// the fixture keeps Pebble's nonce rejection at 0 for these tests.

#include "IssuanceFixture.h"
#include "ManagedProcess.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace ck::test {

inline IssuanceOptions adoptionOptions() {
    IssuanceOptions options = IssuanceOptions::withoutAccount();
    options.pebble.nonceRejectPercent = 0;
    return options;
}

// certbot certonly for `domains` into `configDir` (its work and logs folders beside it):
// --standalone on Pebble's http-01 port, or --webroot into `webroot` when one is given.
inline void runCertbot(const IssuanceFixture& f, const QString& configDir,
                       const QStringList& domains, const QString& webroot = {},
                       const QString& keyType = QStringLiteral("ecdsa")) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("REQUESTS_CA_BUNDLE"), f.pebble->tlsRootFile());
    QStringList args{QStringLiteral("certonly"),
                     QStringLiteral("--non-interactive"),
                     QStringLiteral("--agree-tos"),
                     QStringLiteral("--email"),
                     QStringLiteral("certbot@example.test"),
                     QStringLiteral("--server"),
                     f.pebble->directoryUrl(),
                     QStringLiteral("--config-dir"),
                     configDir,
                     QStringLiteral("--work-dir"),
                     configDir + QStringLiteral("-work"),
                     QStringLiteral("--logs-dir"),
                     configDir + QStringLiteral("-logs"),
                     QStringLiteral("--no-random-sleep-on-renew"),
                     QStringLiteral("--key-type"),
                     keyType};
    if (webroot.isEmpty())
        args << QStringLiteral("--standalone") << QStringLiteral("--http-01-port")
             << QString::number(f.pebble->httpPort());
    else
        args << QStringLiteral("--webroot") << QStringLiteral("-w") << webroot;
    for (const auto& d : domains)
        args << QStringLiteral("-d") << d;
    const ToolResult run =
        runTool(findProgram(QStringLiteral("certbot"), QStringLiteral("/usr/bin/certbot")), args,
                {}, 120000, environment);
    INFO(run.stdOut.toStdString() << run.stdErr.toStdString());
    REQUIRE(run.exitCode == 0);
}

// lego run for `domains` into `path`, answering http-01 itself on Pebble's port.
inline void runLego(const IssuanceFixture& f, const QString& path, const QStringList& domains) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LEGO_CA_CERTIFICATES"), f.pebble->tlsRootFile());
    QStringList args{
        QStringLiteral("--server"),     f.pebble->directoryUrl(),
        QStringLiteral("--path"),       path,
        QStringLiteral("--email"),      QStringLiteral("lego@example.test"),
        QStringLiteral("--accept-tos"), QStringLiteral("--http"),
        QStringLiteral("--http.port"),  QStringLiteral(":%1").arg(f.pebble->httpPort())};
    for (const auto& d : domains)
        args << QStringLiteral("--domains") << d;
    args << QStringLiteral("run");
    const ToolResult run =
        runTool(findProgram(QStringLiteral("lego"), QStringLiteral("/usr/bin/lego")), args, {},
                120000, environment);
    INFO(run.stdOut.toStdString() << run.stdErr.toStdString());
    REQUIRE(run.exitCode == 0);
}

// The SHA-256 thumbprint (uppercase hex) of the first certificate in a PEM file, by openssl.
inline QString thumbprintOf(const QString& pemFile) {
    const ToolResult run =
        runTool(findProgram(QStringLiteral("openssl")),
                {QStringLiteral("x509"), QStringLiteral("-in"), pemFile, QStringLiteral("-noout"),
                 QStringLiteral("-fingerprint"), QStringLiteral("-sha256")});
    return QString::fromUtf8(run.stdOut)
        .section(QLatin1Char('='), 1)
        .trimmed()
        .remove(QLatin1Char(':'));
}

// The public key (DER, by openssl) of a private key file or of a certificate.
inline QByteArray publicKeyOf(const QString& file, bool certificate) {
    const ToolResult run = certificate
                               ? runTool(findProgram(QStringLiteral("openssl")),
                                         {QStringLiteral("x509"), QStringLiteral("-in"), file,
                                          QStringLiteral("-noout"), QStringLiteral("-pubkey")})
                               : runTool(findProgram(QStringLiteral("openssl")),
                                         {QStringLiteral("pkey"), QStringLiteral("-in"), file,
                                          QStringLiteral("-pubout")});
    return run.stdOut;
}

inline int pemBlocks(const QString& file) {
    return int(IssuanceFixture::fileContents(file).count("-----BEGIN CERTIFICATE-----"));
}

} // namespace ck::test
