#include "SseClient.h"

#include <limits>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <QJsonDocument>

namespace ck::test {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

struct SseClient::Impl {
    boost::asio::io_context ioc;
    beast::tcp_stream stream{ioc};
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    // The parser keeps a reference to its chunk callback, so it lives here.
    std::function<std::uint64_t(std::uint64_t, beast::string_view, beast::error_code&)> onChunk;
};

const QJsonObject SseEvent::json() const {
    return QJsonDocument::fromJson(QByteArray::fromStdString(data)).object();
}

SseClient::SseClient(int port, std::string token)
    : d(std::make_unique<Impl>()), m_port(port), m_token(std::move(token)) {}

SseClient::~SseClient() = default;

int SseClient::open(const std::string& target, const std::string& lastEventId) {
    try {
        d->stream.expires_after(std::chrono::seconds(10));
        d->stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                        static_cast<unsigned short>(m_port)));
        http::request<http::empty_body> req{http::verb::get, target, 11};
        req.set(http::field::host, "127.0.0.1:" + std::to_string(m_port));
        req.set(http::field::accept, "text/event-stream");
        if (!m_token.empty())
            req.set(http::field::authorization, "Bearer " + m_token);
        if (!lastEventId.empty())
            req.set("Last-Event-ID", lastEventId);
        http::write(d->stream, req);
        d->parser.body_limit(std::numeric_limits<std::uint64_t>::max()); // a stream has no end
        d->onChunk = [this](std::uint64_t, beast::string_view body,
                            beast::error_code&) -> std::uint64_t {
            m_pending.append(body.data(), body.size());
            return body.size(); // consumed here, so the parser keeps no copy
        };
        d->parser.on_chunk_body(d->onChunk);
        http::read_header(d->stream, d->buffer, d->parser);
        const int status = int(d->parser.get().result_int());
        if (status != 200) {
            http::read(d->stream, d->buffer, d->parser);
            m_body = d->parser.get().body();
        }
        return status;
    } catch (const std::exception& e) {
        m_body = e.what();
        return 0;
    }
}

std::string SseClient::header(const std::string& name) const {
    const auto& fields = d->parser.get();
    const auto it = fields.find(name);
    return it == fields.end() ? std::string() : std::string(it->value());
}

void SseClient::parse() {
    size_t end;
    while ((end = m_pending.find("\n\n")) != std::string::npos) {
        const std::string frame = m_pending.substr(0, end);
        m_pending.erase(0, end + 2);
        SseEvent event;
        bool hasField = false;
        size_t start = 0;
        while (start <= frame.size()) {
            const size_t lineEnd = std::min(frame.find('\n', start), frame.size());
            const std::string line = frame.substr(start, lineEnd - start);
            start = lineEnd + 1;
            if (line.empty() || line[0] == ':')
                continue;
            const size_t colon = line.find(':');
            const std::string field = line.substr(0, colon);
            std::string value = colon == std::string::npos ? std::string() : line.substr(colon + 1);
            if (!value.empty() && value[0] == ' ')
                value.erase(0, 1);
            if (field == "id")
                event.id = value;
            else if (field == "event")
                event.type = value;
            else if (field == "data")
                event.data += (event.data.empty() ? "" : "\n") + value;
            else
                continue;
            hasField = true;
        }
        if (hasField && !event.type.empty())
            m_events.push_back(std::move(event));
    }
}

const std::vector<SseEvent>&
SseClient::readUntil(const std::function<bool(const std::vector<SseEvent>&)>& done,
                     std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!m_closed && !done(m_events)) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::milliseconds(0))
            break;
        d->stream.expires_after(left);
        beast::error_code ec;
        http::read_some(d->stream, d->buffer, d->parser, ec);
        if (ec == beast::error::timeout)
            break;
        if (ec || d->parser.is_done())
            m_closed = true;
        parse();
    }
    return m_events;
}

void SseClient::close() {
    beast::error_code ignored;
    d->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    d->stream.socket().close(ignored);
    m_closed = true;
}

std::vector<SseEvent> ofType(const std::vector<SseEvent>& events, const std::string& type) {
    std::vector<SseEvent> out;
    for (const auto& e : events)
        if (e.type == type)
            out.push_back(e);
    return out;
}

} // namespace ck::test
