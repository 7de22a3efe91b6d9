#include "crypto/X509Support.h"

#include "crypto/CryptoError.h"

#include <QTimeZone>
#include <QUrl>

#include <ctime>

#include <openssl/pem.h>

namespace ck::crypto::detail {

X509Ptr loadCertificate(const QByteArray& pemOrDer) {
    X509Ptr cert;
    if (pemOrDer.contains("-----BEGIN")) {
        const BioPtr bio(BIO_new_mem_buf(pemOrDer.constData(), static_cast<int>(pemOrDer.size())));
        if (bio)
            cert.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    } else {
        const auto* cursor = reinterpret_cast<const unsigned char*>(pemOrDer.constData());
        cert.reset(d2i_X509(nullptr, &cursor, static_cast<long>(pemOrDer.size())));
    }
    if (!cert)
        throwOpenSslError("Not a certificate (PEM or DER)");
    return cert;
}

X509StackPtr loadCertificateStack(const QList<QByteArray>& pems) {
    X509StackPtr stack(sk_X509_new_null());
    if (!stack)
        throwOpenSslError("Cannot allocate a certificate list");
    for (const QByteArray& pem : pems) {
        X509Ptr cert = loadCertificate(pem);
        if (sk_X509_push(stack.get(), cert.get()) <= 0)
            throwOpenSslError("Cannot build a certificate list");
        cert.release(); // now owned by the stack
    }
    return stack;
}

QDateTime asn1TimeToUtc(const ASN1_TIME* time) {
    std::tm tm{};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1)
        throwOpenSslError("Cannot read a certificate date");
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
                     QTime(tm.tm_hour, tm.tm_min, tm.tm_sec), QTimeZone::utc());
}

QByteArray certificateToPem(X509* cert) {
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        throwOpenSslError("Cannot encode the certificate as PEM");
    BUF_MEM* buffer = nullptr;
    BIO_get_mem_ptr(bio.get(), &buffer);
    return QByteArray(buffer->data, static_cast<qsizetype>(buffer->length));
}

QByteArray encodeDnsName(const QString& name) {
    QString host = name.trimmed().toLower();
    QString prefix;
    if (host.startsWith(QLatin1String("*."))) {
        prefix = QStringLiteral("*.");
        host = host.mid(2);
    }
    // QUrl::toAce applies IDNA (UTS #46) to non-ASCII labels and passes ASCII through.
    const QByteArray ace = QUrl::toAce(host);
    if (host.isEmpty() || ace.isEmpty())
        throw CryptoError(QStringLiteral("\"%1\" is not a valid DNS name").arg(name));
    return prefix.toLatin1() + ace;
}

X509NamePtr subjectFor(const QStringList& dnsNames, bool* empty) {
    X509NamePtr subject(X509_NAME_new());
    if (!subject)
        throwOpenSslError("Cannot allocate a subject name");
    *empty = true;
    if (!dnsNames.isEmpty()) {
        const QByteArray cn = encodeDnsName(dnsNames.first());
        if (cn.size() <= 64) { // ub-common-name (RFC 5280 appendix A)
            if (X509_NAME_add_entry_by_NID(subject.get(), NID_commonName, MBSTRING_UTF8,
                                           reinterpret_cast<const unsigned char*>(cn.constData()),
                                           static_cast<int>(cn.size()), -1, 0) != 1)
                throwOpenSslError("Cannot set the subject common name");
            *empty = false;
        }
    }
    return subject;
}

namespace {

void push(GENERAL_NAMES* names, GeneralNamePtr name) {
    if (sk_GENERAL_NAME_push(names, name.get()) <= 0)
        throwOpenSslError("Cannot build the subjectAltName list");
    name.release();
}

} // namespace

GeneralNamesPtr subjectAltNames(const QStringList& dnsNames, const QStringList& ipAddresses) {
    GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
    if (!names)
        throwOpenSslError("Cannot allocate the subjectAltName list");
    for (const QString& dns : dnsNames) {
        const QByteArray encoded = encodeDnsName(dns);
        GeneralNamePtr name(GENERAL_NAME_new());
        Asn1Ia5StringPtr ia5(ASN1_IA5STRING_new());
        if (!name || !ia5 ||
            ASN1_STRING_set(ia5.get(), encoded.constData(), static_cast<int>(encoded.size())) != 1)
            throwOpenSslError("Cannot encode a DNS name");
        GENERAL_NAME_set0_value(name.get(), GEN_DNS, ia5.release());
        push(names.get(), std::move(name));
    }
    for (const QString& ip : ipAddresses) {
        Asn1OctetStringPtr address(a2i_IPADDRESS(ip.trimmed().toLatin1().constData()));
        if (!address) {
            takeOpenSslErrors();
            throw CryptoError(QStringLiteral("\"%1\" is not an IPv4 or IPv6 address").arg(ip));
        }
        GeneralNamePtr name(GENERAL_NAME_new());
        if (!name)
            throwOpenSslError("Cannot encode an IP address");
        GENERAL_NAME_set0_value(name.get(), GEN_IPADD, address.release());
        push(names.get(), std::move(name));
    }
    if (sk_GENERAL_NAME_num(names.get()) == 0)
        throw CryptoError(std::string("A certificate needs at least one DNS name or IP address"));
    return names;
}

} // namespace ck::crypto::detail
