// The built-in CAs' facts, in one place: directory URLs (live and staging), whether External
// Account Binding is needed, the website, and the date each was last checked against the CA's own
// documentation. Change a fact here, with the date; nothing else in the code names these URLs.
// The CAs that were built in and ended their ACME service are listed below them, so that what
// still names one is told so instead of failing with "not configured".

#include "model/CertificateAuthority.h"

namespace ck {

namespace {
struct BuiltIn {
    CertificateAuthority ca;
    const char* checked; // yyyy-MM-dd
};

CertificateAuthority builtIn(const char* id, const char* title, const char* directory,
                             const char* staging, bool eab, const char* website) {
    CertificateAuthority ca;
    ca.id = QLatin1String(id);
    ca.title = QString::fromUtf8(title);
    ca.directoryUrl = QLatin1String(directory);
    ca.stagingDirectoryUrl = QLatin1String(staging);
    ca.eabRequired = eab;
    ca.builtIn = true;
    ca.website = QLatin1String(website);
    return ca;
}

const QList<BuiltIn>& table() {
    static const QList<BuiltIn> list = {
        // https://letsencrypt.org/docs/acme-protocol-updates/ and /docs/staging-environment/
        {builtIn("letsencrypt", "Let's Encrypt", "https://acme-v02.api.letsencrypt.org/directory",
                 "https://acme-staging-v02.api.letsencrypt.org/directory", false,
                 "https://letsencrypt.org"),
         "2026-12-07"},
        // https://zerossl.com/documentation/acme/ (EAB credentials from the ZeroSSL account)
        {builtIn("zerossl", "ZeroSSL", "https://acme.zerossl.com/v2/DV90", "", true,
                 "https://zerossl.com"),
         "2026-12-07"},
        // https://cloud.google.com/certificate-manager/docs/public-ca-tutorial (EAB from GCP)
        {builtIn("google", "Google Trust Services", "https://dv.acme-v02.api.pki.goog/directory",
                 "https://dv.acme-v02.test-api.pki.goog/directory", true, "https://pki.goog"),
         "2026-12-07"},
        // https://www.ssl.com/guide/ssl-tls-certificate-issuance-and-revocation-with-acme/
        {builtIn("sslcom", "SSL.com", "https://acme.ssl.com/sslcom-dv-ecc", "", true,
                 "https://www.ssl.com"),
         "2026-12-07"},
    };
    return list;
}

const QList<RetiredCertificateAuthority>& retired() {
    // BuyPass ended its free ACME service (BuyPass Go SSL) in 2025; checked 2026-12-07.
    static const QList<RetiredCertificateAuthority> list = {
        {QStringLiteral("buypass"), QStringLiteral("BuyPass Go SSL"), QStringLiteral("2025")},
    };
    return list;
}
} // namespace

const QList<CertificateAuthority>& builtInCertificateAuthorities() {
    static const QList<CertificateAuthority> list = [] {
        QList<CertificateAuthority> all;
        for (const BuiltIn& entry : table())
            all << entry.ca;
        return all;
    }();
    return list;
}

QString builtInFactsChecked(const QString& id) {
    for (const BuiltIn& entry : table())
        if (entry.ca.id == id)
            return QLatin1String(entry.checked);
    return {};
}

const RetiredCertificateAuthority* retiredCertificateAuthority(const QString& id) {
    for (const RetiredCertificateAuthority& ca : retired())
        if (ca.id == id)
            return &ca;
    return nullptr;
}

QString retiredCertificateAuthorityWarning(const QString& id) {
    const RetiredCertificateAuthority* ca = retiredCertificateAuthority(id);
    if (!ca)
        return {};
    QStringList others;
    for (const BuiltIn& entry : table())
        if (entry.ca.id != QLatin1String(kDefaultCertificateAuthority))
            others << QStringLiteral("%1 (%2)").arg(entry.ca.title, entry.ca.id);
    return QStringLiteral("%1 (%2) ended its ACME service in %3 and is no longer a built-in CA; "
                          "choose Let's Encrypt (letsencrypt) or another built-in CA (%4) for "
                          "this certificate, and register an ACME account there")
        .arg(ca->title, ca->id, ca->ended, others.join(QStringLiteral(", ")));
}

} // namespace ck
