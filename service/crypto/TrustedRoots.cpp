#include "crypto/TrustedRoots.h"

#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/X509Support.h"

#include <QRegularExpression>

namespace ck::crypto {

namespace {
TrustedRoots refused(const QString& problem) {
    return {{}, problem};
}
} // namespace

TrustedRoots parseTrustedRoots(const QByteArray& text) {
    if (text.trimmed().isEmpty())
        return refused(QStringLiteral("is not a PEM certificate (it is empty)"));
    // Every PEM block's label, so that a key or a request beside the certificates is refused
    // rather than silently skipped.
    static const QRegularExpression begin(QStringLiteral("-----BEGIN ([A-Z0-9 ]+)-----"));
    auto it = begin.globalMatch(QString::fromLatin1(text));
    int certificates = 0;
    while (it.hasNext()) {
        const QString label = it.next().captured(1);
        if (label.contains(QLatin1String("PRIVATE KEY")))
            return refused(QStringLiteral("holds a private key; give a file with the CA's root "
                                          "certificate only"));
        if (label != QLatin1String("CERTIFICATE"))
            return refused(QStringLiteral("holds a %1 block; give a file with PEM certificates "
                                          "only")
                               .arg(label));
        ++certificates;
    }
    const QList<QByteArray> blocks = splitPemChain(text);
    if (certificates == 0 || blocks.size() != certificates)
        return refused(QStringLiteral("is not a PEM certificate (a file with "
                                      "-----BEGIN CERTIFICATE----- blocks)"));
    TrustedRoots roots;
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        try {
            const X509Ptr cert = detail::loadCertificate(blocks[i]);
            roots.pem += detail::certificateToPem(cert.get());
        } catch (const CryptoError&) {
            return refused(QStringLiteral("is not a PEM certificate (certificate %1 of %2 does "
                                          "not parse as X.509)")
                               .arg(i + 1)
                               .arg(blocks.size()));
        }
    }
    return roots;
}

} // namespace ck::crypto
