// What a CA answers, read in-process: the choice among the certificate chains a download
// offers (RFC 8555 §7.4.2). The fuzz target acme_answer reads every other kind of answer.

#include "acme/AcmeProtocol.h"
#include "crypto/SelfSigned.h"

#include <catch2/catch.hpp>

using namespace ck;

// Found by fuzzing (tests/fuzz/corpus/acme_answer/crash-garbled-chain.txt): with a preferred
// chain set, a chain whose top certificate did not parse threw out of the choice, so one
// garbled alternate failed an issuance whose primary chain was fine.
TEST_CASE("a garbled chain is passed over when choosing the preferred one", "[acme][hostile]") {
    const QByteArray primary =
        crypto::createSelfSigned({QStringLiteral("primary.example")}, 30).certPem;
    const QByteArray alternate =
        crypto::createSelfSigned({QStringLiteral("alternate.example")}, 30).certPem;
    const QByteArray garbled = "-----BEGIN CERTIFICATE-----\nnot base64 at all\n"
                               "-----END CERTIFICATE-----\n";

    acme::CertificateChains chains{primary, {garbled, alternate}};
    CHECK(acme::choosePreferredChain(chains, QStringLiteral("alternate.example")) == alternate);
    CHECK(acme::choosePreferredChain(chains, QStringLiteral("nobody")) == primary);

    // A garbled primary is the CA's answer all the same; the key check after the download
    // refuses it in words about the certificate.
    chains = {garbled, {alternate}};
    CHECK(acme::choosePreferredChain(chains, QStringLiteral("alternate.example")) == alternate);
    CHECK(acme::choosePreferredChain(chains, QStringLiteral("nobody")) == garbled);
}
