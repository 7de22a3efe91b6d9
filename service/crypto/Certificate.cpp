#include "crypto/Certificate.h"

#include "crypto/CryptoError.h"
#include "crypto/Digest.h"
#include "crypto/X509Support.h"

#include <QTimeZone>

#include <arpa/inet.h>
#include <ctime>

namespace ck::crypto {

namespace {

QString serialHex(const ASN1_INTEGER* serial) {
    const BignumPtr value(ASN1_INTEGER_to_BN(serial, nullptr));
    if (!value)
        throwOpenSslError("Cannot read the serial number");
    char* hex = BN_bn2hex(value.get());
    if (!hex)
        throwOpenSslError("Cannot format the serial number");
    QString text = QString::fromLatin1(hex).toLower();
    OPENSSL_free(hex);
    // BN_bn2hex prints whole bytes ("0A1B"); Go's big.Int.Text(16) has no leading zero.
    const bool negative = text.startsWith(u'-');
    QString digits = negative ? text.mid(1) : text;
    while (digits.size() > 1 && digits.startsWith(u'0'))
        digits.remove(0, 1);
    return negative ? u'-' + digits : digits;
}

QString oneLine(const X509_NAME* name) {
    const BioPtr bio(BIO_new(BIO_s_mem()));
    // RFC 2253 order and escaping, but UTF-8 left readable instead of \XX escapes.
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
        throwOpenSslError("Cannot format a distinguished name");
    BUF_MEM* buffer = nullptr;
    BIO_get_mem_ptr(bio.get(), &buffer);
    return QString::fromUtf8(buffer->data, static_cast<qsizetype>(buffer->length));
}

QString commonName(const X509_NAME* name) {
    const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0)
        return {};
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) {
        takeOpenSslErrors();
        return {};
    }
    QString text = QString::fromUtf8(reinterpret_cast<const char*>(utf8), length);
    OPENSSL_free(utf8);
    return text;
}

QString ipText(const ASN1_OCTET_STRING* address) {
    const int length = ASN1_STRING_length(address);
    const unsigned char* bytes = ASN1_STRING_get0_data(address);
    char text[INET6_ADDRSTRLEN] = {};
    const int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
    if (family == 0 || !inet_ntop(family, bytes, text, sizeof text))
        return {};
    return QString::fromLatin1(text);
}

void readSubjectAltNames(X509* cert, CertificateInfo& info) {
    const GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
    if (!names)
        return;
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
        int type = 0;
        const void* value = GENERAL_NAME_get0_value(name, &type);
        if (type == GEN_DNS) {
            const auto* ia5 = static_cast<const ASN1_IA5STRING*>(value);
            info.dnsNames << QString::fromLatin1(
                reinterpret_cast<const char*>(ASN1_STRING_get0_data(ia5)), ASN1_STRING_length(ia5));
        } else if (type == GEN_IPADD) {
            const QString ip = ipText(static_cast<const ASN1_OCTET_STRING*>(value));
            if (!ip.isEmpty())
                info.ipAddresses << ip;
        }
    }
}

QByteArray digestOf(const X509* cert, const EVP_MD* md) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(cert, md, out, &length) != 1)
        throwOpenSslError("Cannot compute the certificate thumbprint");
    return QByteArray(reinterpret_cast<const char*>(out), static_cast<qsizetype>(length));
}

} // namespace

QList<QByteArray> splitPemChain(const QByteArray& pem) {
    static const QByteArray begin = "-----BEGIN CERTIFICATE-----";
    static const QByteArray end = "-----END CERTIFICATE-----";
    QByteArray text = pem;
    text.replace("\r\n", "\n");
    QList<QByteArray> blocks;
    qsizetype from = 0;
    while (true) {
        const qsizetype start = text.indexOf(begin, from);
        if (start < 0)
            break;
        const qsizetype stop = text.indexOf(end, start + begin.size());
        if (stop < 0)
            break; // a truncated last block is not a certificate
        from = stop + end.size();
        blocks << text.mid(start, from - start) + '\n';
    }
    return blocks;
}

CertificateInfo parseCertificate(const QByteArray& pemOrDer) {
    const X509Ptr cert = detail::loadCertificate(pemOrDer);
    CertificateInfo info;
    info.notBefore = detail::asn1TimeToUtc(X509_get0_notBefore(cert.get()));
    info.notAfter = detail::asn1TimeToUtc(X509_get0_notAfter(cert.get()));
    info.serialHex = serialHex(X509_get0_serialNumber(cert.get()));
    info.issuer = oneLine(X509_get_issuer_name(cert.get()));
    info.subject = oneLine(X509_get_subject_name(cert.get()));
    info.issuerCommonName = commonName(X509_get_issuer_name(cert.get()));
    info.subjectCommonName = commonName(X509_get_subject_name(cert.get()));
    readSubjectAltNames(cert.get(), info);
    info.sha256Thumbprint = toUpperHex(digestOf(cert.get(), EVP_sha256()));
    info.sha1Thumbprint = toUpperHex(digestOf(cert.get(), EVP_sha1()));
    return info;
}

QByteArray certificateToDer(const QByteArray& pemOrDer) {
    const X509Ptr cert = detail::loadCertificate(pemOrDer);
    unsigned char* der = nullptr;
    const int length = i2d_X509(cert.get(), &der);
    if (length <= 0)
        throwOpenSslError("Cannot encode the certificate as DER");
    QByteArray out(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    return out;
}

bool certificateMatchesKey(const QByteArray& certPem, const PrivateKey& key) {
    if (key.isNull())
        return false;
    try {
        const X509Ptr cert = detail::loadCertificate(certPem);
        const EVP_PKEY* certKey = X509_get0_pubkey(cert.get());
        const bool match = certKey && EVP_PKEY_eq(certKey, key.native()) == 1;
        takeOpenSslErrors(); // a type mismatch leaves an entry; it just means "no"
        return match;
    } catch (const CryptoError&) {
        return false;
    }
}

} // namespace ck::crypto
