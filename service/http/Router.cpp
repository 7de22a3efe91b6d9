#include "http/Router.h"

#include <QJsonDocument>
#include <QUrl>

namespace ck::http {

namespace {
std::vector<std::string> splitPath(std::string_view path) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t end = std::min(path.find('/', start), path.size());
        if (end > start)
            parts.emplace_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

bool isParam(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}
} // namespace

QString RequestContext::param(const std::string& name) const {
    const auto it = params.find(name);
    return it == params.end() ? QString() : it->second;
}

QJsonObject RequestContext::jsonBody() const {
    const auto& body = request.body();
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(QByteArray(body.data(), qsizetype(body.size())), &pe);
    if (pe.error != QJsonParseError::NoError)
        throw ApiError(ApiError::Kind::BadRequest,
                       QStringLiteral("The request body is not valid JSON: %1 at character %2")
                           .arg(pe.errorString())
                           .arg(pe.offset));
    if (!doc.isObject())
        throw ApiError(ApiError::Kind::BadRequest,
                       QStringLiteral("The request body must be a JSON object { ... }"));
    return doc.object();
}

void Router::add(beast::http::verb method, std::string pattern, Handler handler, Access access,
                 size_t maxBodyBytes) {
    m_routes.push_back({method, splitPath(pattern), std::move(handler), {}, access, maxBodyBytes});
    m_largestBodyLimit = std::max(m_largestBodyLimit, maxBodyBytes);
}

void Router::addStream(beast::http::verb method, std::string pattern, StreamHandler handler) {
    m_routes.push_back({method, splitPath(pattern), {}, std::move(handler), Access::Token, 0});
}

Router::Match Router::resolve(beast::http::verb method, std::string_view path) const {
    Match result;
    const auto parts = splitPath(path);
    for (const auto& route : m_routes) {
        if (route.segments.size() != parts.size())
            continue;
        std::map<std::string, QString> params;
        bool matches = true;
        for (size_t i = 0; i < parts.size() && matches; ++i) {
            const auto& seg = route.segments[i];
            if (isParam(seg)) {
                params[seg.substr(1, seg.size() - 2)] =
                    QUrl::fromPercentEncoding(QByteArray::fromStdString(parts[i]));
            } else {
                matches = seg == parts[i];
            }
        }
        if (!matches)
            continue;
        result.pathKnown = true;
        if (route.method == method) {
            if (route.stream)
                result.stream = &route.stream;
            else
                result.handler = &route.handler;
            result.access = route.access;
            result.maxBodyBytes = route.maxBodyBytes;
            result.params = std::move(params);
            return result;
        }
    }
    return result;
}

std::pair<std::string_view, std::string_view> splitTarget(std::string_view target) {
    const auto q = target.find('?');
    if (q == std::string_view::npos)
        return {target, {}};
    return {target.substr(0, q), target.substr(q + 1)};
}

} // namespace ck::http
