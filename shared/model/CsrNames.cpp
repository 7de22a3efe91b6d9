#include "model/CsrNames.h"

#include <QObject>

#include <optional>

namespace ck {

namespace {
// One DER element (X.690): its tag, and where its content starts and ends.
struct Element {
    unsigned char tag = 0;
    qsizetype start = 0;
    qsizetype end = 0;
};

std::optional<Element> elementAt(const QByteArray& der, qsizetype at, qsizetype limit) {
    if (at + 2 > limit)
        return std::nullopt;
    Element e;
    e.tag = static_cast<unsigned char>(der[at]);
    qsizetype length = static_cast<unsigned char>(der[at + 1]);
    qsizetype pos = at + 2;
    if (length & 0x80) {
        const int bytes = int(length & 0x7f);
        if (bytes == 0 || bytes > 4 || pos + bytes > limit)
            return std::nullopt;
        length = 0;
        for (int i = 0; i < bytes; ++i)
            length = (length << 8) | static_cast<unsigned char>(der[pos + i]);
        pos += bytes;
    }
    if (pos + length > limit)
        return std::nullopt;
    e.start = pos;
    e.end = pos + length;
    return e;
}

// The dNSNames ([2] IA5String) of the SEQUENCE OF GeneralName that follows the
// subjectAltName OID inside the extension (its OCTET STRING's content).
QStringList sanNames(const QByteArray& der) {
    static const QByteArray sanOid("\x06\x03\x55\x1d\x11", 5);
    QStringList names;
    const qsizetype oid = der.indexOf(sanOid);
    if (oid < 0)
        return names;
    qsizetype at = oid + sanOid.size();
    auto element = elementAt(der, at, der.size());
    if (element && element->tag == 0x01) // critical: BOOLEAN
        element = elementAt(der, at = element->end, der.size());
    if (!element || element->tag != 0x04) // extnValue: OCTET STRING
        return names;
    const auto sequence = elementAt(der, element->start, element->end);
    if (!sequence || sequence->tag != 0x30)
        return names;
    for (qsizetype pos = sequence->start; pos < sequence->end;) {
        const auto name = elementAt(der, pos, sequence->end);
        if (!name)
            break;
        if (name->tag == 0x82)
            names << QString::fromLatin1(der.mid(name->start, name->end - name->start));
        pos = name->end;
    }
    return names;
}

QString commonName(const QByteArray& der) {
    static const QByteArray cnOid("\x06\x03\x55\x04\x03", 5);
    const qsizetype oid = der.indexOf(cnOid);
    if (oid < 0)
        return {};
    const auto value = elementAt(der, oid + cnOid.size(), der.size());
    return value ? QString::fromUtf8(der.mid(value->start, value->end - value->start)) : QString();
}
} // namespace

CsrNames csrNamesFromPem(const QByteArray& pem) {
    CsrNames out;
    static const QByteArray begin("-----BEGIN CERTIFICATE REQUEST-----");
    static const QByteArray end("-----END CERTIFICATE REQUEST-----");
    const qsizetype from = pem.indexOf(begin);
    const qsizetype to = pem.indexOf(end);
    if (from < 0 || to < from) {
        out.problem = QObject::tr("This is not a PEM certificate signing request "
                                  "(-----BEGIN CERTIFICATE REQUEST-----)");
        return out;
    }
    const QByteArray der = QByteArray::fromBase64(
        pem.mid(from + begin.size(), to - from - begin.size()).simplified().replace(' ', ""));
    out.dnsNames = sanNames(der);
    if (out.dnsNames.isEmpty())
        if (const QString cn = commonName(der); !cn.isEmpty())
            out.dnsNames << cn;
    if (out.dnsNames.isEmpty())
        out.problem = QObject::tr("The CSR names no domain");
    return out;
}

} // namespace ck
