// What an ACME CA answers, as the client reads it: the directory, orders, authorizations,
// problem documents (RFC 8555 §6.7), renewal information (RFC 9773), Retry-After, and a
// certificate download with its Link headers naming alternate chains. A CA may be hostile,
// broken, or not a CA at all. The input is an answer: header lines ("Link: ...", "Retry-After:
// ..."), an empty line, then the body, which every reader is given in turn.
//
// Invariants: a problem becomes one sentence that says which step failed; every alternate chain
// is a link the answer carried, resolved against the CA; the preferred chain is always one the
// CA offered; a usable directory names its three required resources.

#include "acme/AcmeProtocol.h"
#include "acme/AcmeSession.h"
#include "crypto/Certificate.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

ck::acme::HttpReply replyFrom(const QByteArray& input) {
    ck::acme::HttpReply reply;
    reply.status = 200;
    const qsizetype split = input.indexOf("\n\n");
    const QByteArray head = split < 0 ? QByteArray() : input.left(split);
    reply.body = (split < 0 ? input : input.mid(split + 2)).toStdString();
    for (const QByteArray& line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        // HttpsClient keeps header names in lower case and values without surrounding space.
        reply.headers.emplace(line.left(colon).trimmed().toLower().toStdString(),
                              line.mid(colon + 1).trimmed().toStdString());
    }
    return reply;
}

void checkProblem(const ck::acme::HttpReply& reply, const QJsonObject& body) {
    const QString step = QStringLiteral("finalize the order");
    ck::acme::AcmeError e = ck::acme::AcmeError::fromProblem(step, 400, body);
    e.retryAfter = ck::acme::AcmeSession::retryAfter(reply);
    const QString message = e.userMessage();
    if (!message.startsWith(QStringLiteral("Could not finalize the order")) || e.detail.isEmpty())
        std::abort();
    if (e.shortType().contains(u':'))
        std::abort();
    (void)ck::acme::refusedBecauseOfReplaces(e);
}

void checkChains(const ck::acme::HttpReply& reply, const QUrl& certificateUrl) {
    const std::vector<std::string> links = reply.headerValues("link");
    const QList<QUrl> alternates = ck::acme::alternateChainLinks(links, certificateUrl);
    qsizetype offered = 0;
    for (const auto& link : links)
        offered += std::count(link.begin(), link.end(), '<');
    if (alternates.size() > offered)
        std::abort(); // a link the answer did not carry
    for (const QUrl& url : alternates)
        if (url.isRelative())
            std::abort(); // every request goes to an absolute address

    // The alternates' bodies are the primary's blocks in reverse: different chains to choose
    // among, each made of what the CA sent.
    ck::acme::CertificateChains chains;
    chains.primary = QByteArray::fromStdString(reply.body);
    const QList<QByteArray> blocks = ck::crypto::splitPemChain(chains.primary);
    for (const QByteArray& block : blocks)
        if (!block.startsWith("-----BEGIN CERTIFICATE-----") || !block.endsWith('\n'))
            std::abort();
    for (qsizetype i = blocks.size() - 1; i >= 0 && chains.alternates.size() < alternates.size();
         --i)
        chains.alternates.append(blocks[i]);
    for (const QString& issuer : {QString(), QStringLiteral("ISRG Root X1"), QStringLiteral("E")}) {
        const QByteArray chosen = ck::acme::choosePreferredChain(chains, issuer);
        if (chosen != chains.primary && !chains.alternates.contains(chosen))
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const ck::acme::HttpReply reply = replyFrom(input);
    const QJsonObject body = ck::acme::AcmeSession::jsonBody(reply);
    const QUrl at(QStringLiteral("https://ca.example/acme/order/1"));

    const ck::acme::Directory d = ck::acme::directoryFromJson(body);
    if (d.usable() && (d.newNonce.isEmpty() || d.newAccount.isEmpty() || d.newOrder.isEmpty()))
        std::abort();
    (void)ck::acme::profileRefusal(d, QStringLiteral("tlsserver"));

    const ck::acme::Order order = ck::acme::orderFromJson(at, body);
    if (order.url != at)
        std::abort();
    const ck::acme::Authorization authz = ck::acme::authorizationFromJson(at, body);
    if (authz.url != at)
        std::abort();
    for (const char* type : {"http-01", "dns-01", "tls-alpn-01"})
        if (const auto* c = authz.find(QLatin1String(type)); c && c->type != QLatin1String(type))
            std::abort();
    (void)authz.displayName();

    if (const auto window = ck::acme::renewalWindowFromJson(body))
        if (!window->start.isValid() || !window->end.isValid() || window->end < window->start)
            std::abort();

    checkProblem(reply, body);
    for (const auto& c : authz.challenges)
        if (!c.error.isEmpty())
            checkProblem(reply, c.error);
    checkChains(reply, QUrl(QStringLiteral("https://ca.example/acme/cert/abc")));
    return 0;
}
