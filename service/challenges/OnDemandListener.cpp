#include "challenges/OnDemandListener.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/v6_only.hpp>

#include <stdexcept>

namespace ck::challenges {

namespace {
std::shared_ptr<tcp::acceptor> openListenSocket(asio::io_context& ioc, const QString& host,
                                                int port, const char* what) {
    ErrorCode ec;
    auto address = asio::ip::make_address(host.toStdString(), ec);
    auto acceptor = std::make_shared<tcp::acceptor>(ioc);
    tcp::endpoint ep(address, static_cast<unsigned short>(port));
    if (!ec)
        acceptor->open(ep.protocol(), ec);
    // "::" is every address, IPv4 included (a CA may validate over either); on a machine
    // without IPv6 it falls back to every IPv4 address.
    if (ec == asio::error::address_family_not_supported && address.is_v6() &&
        address.is_unspecified()) {
        ep = tcp::endpoint(tcp::v4(), static_cast<unsigned short>(port));
        acceptor->open(ep.protocol(), ec);
    }
    if (!ec && ep.address().is_v6())
        acceptor->set_option(asio::ip::v6_only(false), ec);
    if (!ec)
        acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
        acceptor->bind(ep, ec);
    if (!ec)
        acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        std::string why = ec.message();
        if (ec == asio::error::access_denied && port < 1024)
            why += " (ports below 1024 need CAP_NET_BIND_SERVICE: run the system service, or "
                   "choose a higher challenge port in serviceconfig.json and forward the "
                   "standard port to it)";
        throw std::runtime_error(std::string("the ") + what + " listener cannot listen on " +
                                 host.toStdString() + ":" + std::to_string(port) + ": " + why);
    }
    return acceptor;
}

} // namespace

OnDemandListener::OnDemandListener(asio::io_context& ioc, QString host, int port, const char* what,
                                   Serve serve)
    : m_ioc(ioc), m_host(std::move(host)), m_port(port), m_what(what), m_serve(std::move(serve)) {}

OnDemandListener::~OnDemandListener() {
    close();
}

void OnDemandListener::open() {
    if (m_acceptor && m_acceptor->is_open())
        return;
    m_acceptor = openListenSocket(m_ioc, m_host, m_port, m_what);
    asio::co_spawn(m_ioc, acceptLoop(m_acceptor), asio::detached);
}

void OnDemandListener::close() {
    if (!m_acceptor)
        return;
    ErrorCode ignored;
    m_acceptor->close(ignored);
    m_acceptor.reset();
}

awaitable<void> OnDemandListener::acceptLoop(std::shared_ptr<tcp::acceptor> acceptor) {
    // Each loop keeps its own acceptor alive: after a close and reopen, the old loop ends with
    // the old acceptor's cancelled accept.
    for (;;) {
        ErrorCode ec;
        tcp::socket socket =
            co_await acceptor->async_accept(asio::redirect_error(use_awaitable, ec));
        if (ec)
            co_return;
        asio::co_spawn(m_ioc, m_serve(std::move(socket)), asio::detached);
    }
}

} // namespace ck::challenges
