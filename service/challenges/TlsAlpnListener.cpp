#include "challenges/TlsAlpnListener.h"

#include "base/Beast.h"

#include "challenges/OnDemandListener.h"
#include "crypto/SelfSigned.h"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <openssl/pem.h>
#include <openssl/ssl.h>

namespace ck::challenges {

namespace {
constexpr unsigned char kAcmeTls1[] = "acme-tls/1";
constexpr unsigned kAcmeTls1Length = sizeof(kAcmeTls1) - 1;

struct CertificateFor {
    crypto::PrivateKey key;
    std::unique_ptr<X509, decltype(&X509_free)> cert{nullptr, &X509_free};
};
} // namespace

struct TlsAlpnListener::Impl {
    asio::ssl::context tls{asio::ssl::context::tls_server};
    std::map<std::string, CertificateFor> certificates; // by lower-case DNS name

    // SNI: present the validation certificate of the name asked for, or refuse the handshake.
    static int onServerName(SSL* ssl, int*, void* arg) {
        auto* self = static_cast<Impl*>(arg);
        const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
        if (!name)
            return SSL_TLSEXT_ERR_ALERT_FATAL;
        std::string key(name);
        for (auto& c : key)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        const auto it = self->certificates.find(key);
        if (it == self->certificates.end())
            return SSL_TLSEXT_ERR_ALERT_FATAL;
        if (SSL_use_certificate(ssl, it->second.cert.get()) != 1 ||
            SSL_use_PrivateKey(ssl, it->second.key.native()) != 1)
            return SSL_TLSEXT_ERR_ALERT_FATAL;
        return SSL_TLSEXT_ERR_OK;
    }

    // ALPN: only acme-tls/1 (RFC 8737 §4: a validator offers exactly that protocol).
    static int onAlpn(SSL*, const unsigned char** out, unsigned char* outLength,
                      const unsigned char* offered, unsigned int offeredLength, void*) {
        for (unsigned i = 0; i < offeredLength;) {
            const unsigned length = offered[i];
            if (i + 1 + length > offeredLength)
                break;
            if (length == kAcmeTls1Length &&
                std::equal(offered + i + 1, offered + i + 1 + length, kAcmeTls1)) {
                *out = offered + i + 1;
                *outLength = static_cast<unsigned char>(length);
                return SSL_TLSEXT_ERR_OK;
            }
            i += 1 + length;
        }
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }

    Impl() {
        SSL_CTX* ctx = tls.native_handle();
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_alpn_select_cb(ctx, &Impl::onAlpn, this);
        // SSL_CTX_set_tlsext_servername_callback/_arg are macros with C casts; these are their
        // expansions.
        int (*serverName)(SSL*, int*, void*) = &Impl::onServerName;
        SSL_CTX_callback_ctrl(ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                              reinterpret_cast<void (*)()>(serverName));
        SSL_CTX_ctrl(ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG, 0, this);
    }
};

TlsAlpnListener::TlsAlpnListener(asio::io_context& ioc, QString host, int port)
    : d(std::make_unique<Impl>()),
      m_listener(ioc, std::move(host), port, "tls-alpn-01",
                 [this](tcp::socket socket) { return serve(std::move(socket)); }) {}

TlsAlpnListener::~TlsAlpnListener() = default;

void TlsAlpnListener::add(const QString& dnsName, const QString& keyAuthorization) {
    m_listener.open();
    crypto::SelfSignedPair pair = crypto::createTlsAlpnCertificate(dnsName, keyAuthorization);
    CertificateFor entry;
    entry.key = std::move(pair.key);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pair.certPem.constData(), int(pair.certPem.size())), &BIO_free);
    entry.cert.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!entry.cert)
        throw std::runtime_error("the tls-alpn-01 certificate could not be read back");
    d->certificates[dnsName.toLower().toStdString()] = std::move(entry);
}

void TlsAlpnListener::remove(const QString& dnsName) {
    d->certificates.erase(dnsName.toLower().toStdString());
    if (d->certificates.empty())
        m_listener.close();
}

awaitable<void> TlsAlpnListener::serve(tcp::socket socket) {
    // The validator only needs the handshake; afterwards the connection is closed.
    asio::ssl::stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), d->tls);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    ErrorCode ec;
    co_await stream.async_handshake(asio::ssl::stream_base::server,
                                    asio::redirect_error(use_awaitable, ec));
    if (!ec)
        co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ec));
}

} // namespace ck::challenges
