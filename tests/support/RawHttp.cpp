#include "RawHttp.h"

#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace ck::test {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

const QJsonObject RawResponse::json() const {
    return QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
}

RawResponse RawHttp::send(const RawRequest& request, bool withToken) const {
    RawResponse out;
    try {
        boost::asio::io_context ioc;
        beast::tcp_stream stream(ioc);
        stream.expires_after(std::chrono::seconds(30));
        stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                     static_cast<unsigned short>(m_port)));
        http::request<http::string_body> req{http::string_to_verb(request.method), request.target,
                                             11};
        if (!request.headers.count("Host"))
            req.set(http::field::host, "127.0.0.1:" + std::to_string(m_port));
        if (withToken && !request.headers.count("Authorization"))
            req.set(http::field::authorization, "Bearer " + m_token);
        for (const auto& [name, value] : request.headers)
            req.set(name, value);
        req.body() = request.body;
        if (!request.body.empty() || request.method == "POST" || request.method == "PUT")
            req.prepare_payload();
        http::write(stream, req);
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        http::read(stream, buffer, parser);
        const auto& res = parser.get();
        out.status = int(res.result_int());
        for (const auto& field : res) {
            std::string name(field.name_string());
            for (auto& c : name)
                c = char(std::tolower(static_cast<unsigned char>(c)));
            out.headers[name] = std::string(field.value());
        }
        out.body = res.body();
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    return out;
}

RawResponse RawHttp::sendBytes(const std::string& bytes) const {
    RawResponse out;
    try {
        boost::asio::io_context ioc;
        beast::tcp_stream stream(ioc);
        stream.expires_after(std::chrono::seconds(30));
        stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                     static_cast<unsigned short>(m_port)));
        boost::asio::write(stream, boost::asio::buffer(bytes));
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(stream, buffer, res);
        out.status = int(res.result_int());
        out.body = res.body();
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    return out;
}

RawResponse RawHttp::post(const std::string& target, const QJsonObject& body) const {
    return send({"POST",
                 target,
                 {{"Content-Type", "application/json"}},
                 QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString()});
}

RawResponse RawHttp::put(const std::string& target, const QJsonObject& body) const {
    return send({"PUT",
                 target,
                 {{"Content-Type", "application/json"}},
                 QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString()});
}

} // namespace ck::test
