#include "CryptoTestSupport.h"

#include "crypto/CryptoError.h"
#include "crypto/Csr.h"

#include <catch2/catch.hpp>

#include <openssl/err.h>

using namespace ck::crypto;
using namespace ck::crypto::test;

namespace {

// `openssl req -verify -text` over the DER request: the independent reading of it.
QByteArray opensslText(const QByteArray& der) {
    const ProcessResult result =
        runOpenssl({QStringLiteral("req"), QStringLiteral("-inform"), QStringLiteral("DER"),
                    QStringLiteral("-noout"), QStringLiteral("-text"), QStringLiteral("-verify")},
                   der);
    INFO(result.output.toStdString());
    REQUIRE(result.exitCode == 0);
    REQUIRE(result.output.contains("verify OK"));
    return result.output;
}

X509ReqPtr parseRequest(const QByteArray& der) {
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.constData());
    X509ReqPtr req(d2i_X509_REQ(nullptr, &cursor, static_cast<long>(der.size())));
    REQUIRE(req);
    return req;
}

std::string errorOf(const PrivateKey& key, const QStringList& dns, const QStringList& ips) {
    try {
        (void)createCsrDer(key, dns, ips);
    } catch (const CryptoError& e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST_CASE("a CSR is signed by the key with SHA-256 and requests every name", "[csr]") {
    const KeyType type = GENERATE(KeyType::Rsa2048, KeyType::EcP256, KeyType::EcP384);
    CAPTURE(keyTypeName(type).toStdString());
    const PrivateKey key = PrivateKey::generate(type);

    const QByteArray der =
        createCsrDer(key, {QStringLiteral("example.org"), QStringLiteral("www.example.org")},
                     {QStringLiteral("192.0.2.1"), QStringLiteral("2001:db8::1")});
    const QByteArray text = opensslText(der);
    CHECK(text.contains("Subject: CN = example.org\n"));
    CHECK(text.contains("DNS:example.org, DNS:www.example.org, IP Address:192.0.2.1, "
                        "IP Address:2001:DB8:0:0:0:0:0:1\n"));
    // With a CN in the subject the SAN need not be critical.
    CHECK(text.contains("X509v3 Subject Alternative Name: \n"));
    CHECK(text.contains(isRsa(type) ? "Signature Algorithm: sha256WithRSAEncryption"
                                    : "Signature Algorithm: ecdsa-with-SHA256"));

    // The request carries this key's public half, not some other key's.
    const X509ReqPtr req = parseRequest(der);
    CHECK(EVP_PKEY_eq(X509_REQ_get0_pubkey(req.get()), key.native()) == 1);
    CHECK(X509_REQ_verify(req.get(), X509_REQ_get0_pubkey(req.get())) == 1);
    const PrivateKey other = PrivateKey::generate(type);
    CHECK(EVP_PKEY_eq(X509_REQ_get0_pubkey(req.get()), other.native()) != 1);
    ERR_clear_error();
}

TEST_CASE("CSR names are normalised: trimmed, lowercase, IDNs as A-labels, wildcards kept",
          "[csr]") {
    const PrivateKey key = PrivateKey::generate(KeyType::EcP256);
    const QByteArray text = opensslText(createCsrDer(
        key, {QStringLiteral(" B\u00fccher.Example "), QStringLiteral("*.Example.ORG")},
        {QStringLiteral(" 198.51.100.7 ")}));
    CHECK(text.contains("Subject: CN = xn--bcher-kva.example\n"));
    CHECK(text.contains("DNS:xn--bcher-kva.example, DNS:*.example.org, IP Address:198.51.100.7\n"));
}

TEST_CASE("without a usable CN the subject is empty and the SAN critical", "[csr]") {
    const PrivateKey key = PrivateKey::generate(KeyType::EcP256);

    SECTION("the first name is longer than the 64-character CN limit") {
        const QString longName = QString(60, u'a') + QStringLiteral(".example.org"); // 72
        const QByteArray der = createCsrDer(key, {longName, QStringLiteral("short.example")});
        const QByteArray text = opensslText(der);
        CHECK(text.contains("X509v3 Subject Alternative Name: critical\n"));
        CHECK(text.contains("DNS:" + longName.toLatin1() + ", DNS:short.example\n"));
        CHECK(X509_NAME_entry_count(X509_REQ_get_subject_name(parseRequest(der).get())) == 0);
    }
    SECTION("exactly 64 characters still fits") {
        const QString name = QString(52, u'b') + QStringLiteral(".example.org"); // 64
        const QByteArray text = opensslText(createCsrDer(key, {name}));
        CHECK(text.contains("Subject: CN = " + name.toLatin1() + "\n"));
        CHECK(text.contains("X509v3 Subject Alternative Name: \n"));
    }
    SECTION("only IP addresses (RFC 8738)") {
        const QByteArray der = createCsrDer(key, {}, {QStringLiteral("192.0.2.9")});
        const QByteArray text = opensslText(der);
        CHECK(text.contains("X509v3 Subject Alternative Name: critical\n"));
        CHECK(text.contains("IP Address:192.0.2.9\n"));
        CHECK_FALSE(text.contains("DNS:"));
        CHECK(X509_NAME_entry_count(X509_REQ_get_subject_name(parseRequest(der).get())) == 0);
    }
}

TEST_CASE("bad CSR input is a CryptoError that says what is wrong", "[csr]") {
    const PrivateKey key = PrivateKey::generate(KeyType::EcP256);
    using Catch::Matchers::Contains;

    CHECK_THAT(errorOf(key, {}, {}), Contains("at least one DNS name or IP address"));
    CHECK_THAT(errorOf(PrivateKey(), {QStringLiteral("example.org")}, {}), Contains("empty key"));
    for (const char* ip : {"192.0.2.300", "not-an-ip", "example.org", "", "2001:db8::g"}) {
        CAPTURE(ip);
        CHECK_THAT(errorOf(key, {QStringLiteral("example.org")}, {QLatin1String(ip)}),
                   Contains("is not an IPv4 or IPv6 address"));
    }
    for (const char* dns : {"", "   ", "*."}) {
        CAPTURE(dns);
        CHECK_THAT(errorOf(key, {QLatin1String(dns)}, {}), Contains("is not a valid DNS name"));
    }
    // A bad name later in the list fails the whole request, it is not silently dropped.
    CHECK_THAT(errorOf(key, {QStringLiteral("example.org"), QStringLiteral("*.")}, {}),
               Contains("is not a valid DNS name"));
    // Nothing is left in OpenSSL's error queue to be blamed on a later call.
    CHECK(ERR_peek_error() == 0);
}
