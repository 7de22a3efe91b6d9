// Certificates and keys from outside: a CA's chain, the certificate and key files an item's
// paths name (edited or replaced by hand), a backup package's files, a custom CA's trusted root.
// PEM (any number of blocks, text around them) or DER. Certkeeper writes CSRs and PKCS#12 files
// and never reads either, so those are fuzzed through what is read into them: a certificate
// and key that parsed must make a CSR and a PKCS#12 file that read back as what went in.
//
// Invariants: a certificate that parses re-encodes to DER that parses to the same facts and
// re-encodes to the same bytes; a key that parses writes PEM that reads back as the same key;
// the PKCS#12 file opens with its password (a fixed one, or the empty one) and holds the same
// certificate and key; the CSR carries a valid signature of that key.

#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/Csr.h"
#include "crypto/OpenSslPtr.h"
#include "crypto/Pkcs12.h"
#include "crypto/PrivateKey.h"

#include <openssl/err.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

namespace {

using ck::crypto::CertificateInfo;
using ck::crypto::CryptoError;

bool sameFacts(const CertificateInfo& a, const CertificateInfo& b) {
    return a.notBefore == b.notBefore && a.notAfter == b.notAfter && a.serialHex == b.serialHex &&
           a.issuer == b.issuer && a.subject == b.subject &&
           a.issuerCommonName == b.issuerCommonName && a.subjectCommonName == b.subjectCommonName &&
           a.dnsNames == b.dnsNames && a.ipAddresses == b.ipAddresses &&
           a.sha256Thumbprint == b.sha256Thumbprint && a.sha1Thumbprint == b.sha1Thumbprint;
}

std::optional<CertificateInfo> parsed(const QByteArray& pemOrDer) {
    try {
        return ck::crypto::parseCertificate(pemOrDer);
    } catch (const CryptoError&) {
        return std::nullopt;
    }
}

void checkCertificate(const QByteArray& input) {
    const auto info = parsed(input);
    if (!info)
        return;
    const QByteArray der = ck::crypto::certificateToDer(input); // parsed once: must again
    const auto again = parsed(der);
    if (!again || !sameFacts(*info, *again) || ck::crypto::certificateToDer(der) != der)
        std::abort();
}

// PKCS#12 with `password`, opened again by OpenSSL: the same certificate and key, or abort.
void checkPkcs12(const ck::crypto::PrivateKey& key, const QList<QByteArray>& chain,
                 const QString& password) {
    QByteArray p12;
    try {
        p12 = ck::crypto::createPkcs12(key, chain.first(), chain.mid(1), password,
                                       QStringLiteral("fuzz"));
    } catch (const CryptoError&) {
        return; // e.g. a chain certificate OpenSSL will not put in a bag
    }
    const auto* cursor = reinterpret_cast<const unsigned char*>(p12.constData());
    const ck::crypto::Pkcs12Ptr file(d2i_PKCS12(nullptr, &cursor, long(p12.size())));
    EVP_PKEY* openedKey = nullptr;
    X509* openedCert = nullptr;
    STACK_OF(X509)* openedChain = nullptr;
    const QByteArray pass = password.toUtf8();
    if (!file ||
        PKCS12_parse(file.get(), pass.constData(), &openedKey, &openedCert, &openedChain) != 1)
        std::abort();
    const ck::crypto::EvpPkeyPtr ownedKey(openedKey);
    const ck::crypto::X509Ptr ownedCert(openedCert);
    const ck::crypto::X509StackPtr ownedChain(openedChain);
    unsigned char* der = nullptr;
    const int length = i2d_X509(openedCert, &der);
    const QByteArray certDer(reinterpret_cast<const char*>(der), length);
    OPENSSL_free(der);
    if (certDer != ck::crypto::certificateToDer(chain.first()) ||
        EVP_PKEY_eq(openedKey, key.native()) != 1)
        std::abort();
}

void checkCsr(const ck::crypto::PrivateKey& key, const CertificateInfo& info) {
    QByteArray csr;
    try {
        csr = ck::crypto::createCsrDer(key, info.dnsNames, info.ipAddresses);
    } catch (const CryptoError&) {
        return; // names a CA would refuse too (empty, not a DNS name, not an address)
    }
    const auto* cursor = reinterpret_cast<const unsigned char*>(csr.constData());
    const ck::crypto::X509ReqPtr req(d2i_X509_REQ(nullptr, &cursor, long(csr.size())));
    if (!req || X509_REQ_verify(req.get(), key.native()) != 1)
        std::abort();
}

void checkKey(const QByteArray& input) {
    std::optional<ck::crypto::PrivateKey> key;
    try {
        key = ck::crypto::PrivateKey::fromPem(input);
    } catch (const CryptoError&) {
        return;
    }
    const auto reread = ck::crypto::PrivateKey::fromPem(key->toPem());
    if (reread.publicKeyDer() != key->publicKeyDer() ||
        reread.jwkThumbprint() != key->jwkThumbprint())
        std::abort();

    // A certificate and its key in one file, as a user's bundle or an export has them.
    QList<QByteArray> chain;
    for (const QByteArray& block : ck::crypto::splitPemChain(input))
        if (parsed(block))
            chain.append(block);
    if (chain.isEmpty() || !ck::crypto::certificateMatchesKey(chain.first(), *key))
        return;
    checkCsr(*key, *parsed(chain.first()));
    // One password per input (PKCS#12's key derivations are most of a run's time), the empty one
    // and a fixed one in turn.
    checkPkcs12(*key, chain, input.size() % 2 ? QStringLiteral("fuzz-pässword") : QString());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    checkCertificate(input);
    for (const QByteArray& block : ck::crypto::splitPemChain(input)) {
        checkCertificate(block);
        (void)ck::crypto::isSelfSigned(block);
    }
    checkKey(input);
    ERR_clear_error(); // OpenSSL's error queue is per thread: nothing carries to the next input
    return 0;
}
