#pragma once
// What the files of ApiClient's calls share (not for its users): the routes, and turning an
// answer into its type or into the one failure "the service's answer could not be read".

#include "client/ApiClient.h"
#include "model/StrictDecode.h"

#include <QUrl>

#include <any>

namespace ck::api_calls {

inline const QString kItems = QStringLiteral("/api/managedcertificates");
inline const QString kAuthorities = QStringLiteral("/api/certificateauthorities");
inline const QString kAccounts = QStringLiteral("/api/accounts");
inline const QString kCredentials = QStringLiteral("/api/credentials");

// `base/id`, the id percent-encoded so that an id typed by a user cannot name another route.
inline QString encodedPath(const QString& base, const QString& id) {
    return base + QLatin1Char('/') + QString::fromLatin1(QUrl::toPercentEncoding(id));
}

inline QString itemPath(const QString& id) {
    return encodedPath(kItems, id);
}

inline ApiError unreadableAnswer(const QString& why) {
    return ApiError(ApiError::Kind::Internal,
                    QStringLiteral("The service's answer could not be read (%1). Are the app and "
                                   "the service the same version?")
                        .arg(why));
}

// The answer decoded strictly by `decode` (see decodeStrict) to `ok`; an answer that does not
// decode is a failure.
template <typename Decode>
std::function<void(const QJsonObject&)> decoding(Decode decode, auto ok, OnFailure fail) {
    return [decode, ok = std::move(ok), fail = std::move(fail)](const QJsonObject& body) {
        auto decoded = decodeStrict(body, decode);
        if (decoded.ok())
            ok(decoded.value);
        else
            fail(unreadableAnswer(describeFieldErrors(decoded.errors)));
    };
}

// How a revalidated GET (ApiClient::sendRevalidated) turns a fresh answer into its type, and
// gives a fresh or a remembered one to the caller.
struct Revalidated {
    std::function<std::optional<std::any>(const QJsonObject& body)> decode; // nothing: failed
    std::function<void(const std::any& answer, bool unchanged)> deliver;
};

// For an answer type T with an `unchanged` flag, decoded strictly by `decode`.
template <typename T, typename Decode>
Revalidated revalidated(Decode decode, OnSuccess<T> ok, OnFailure fail) {
    return {[decode, fail](const QJsonObject& body) -> std::optional<std::any> {
                auto decoded = decodeStrict(body, decode);
                if (decoded.ok())
                    return std::any(std::move(decoded.value));
                fail(unreadableAnswer(describeFieldErrors(decoded.errors)));
                return std::nullopt;
            },
            [ok](const std::any& answer, bool unchanged) {
                T value = std::any_cast<const T&>(answer);
                value.unchanged = unchanged;
                ok(value);
            }};
}

// The objects of the answer's array `key`, each decoded strictly by `decode`.
template <typename Decode> auto arrayOf(const char* key, Decode decode) {
    return [key, decode](const QJsonObject& body, QList<FieldError>* errors) {
        return decodeArray(body, QLatin1String(key), decode, errors);
    };
}

// For calls whose answer says nothing but that they succeeded: `ok` gets `id`.
inline std::function<void(const QJsonObject&)> answersWith(const QString& id,
                                                           OnSuccess<QString> ok) {
    return [id, ok = std::move(ok)](const QJsonObject&) { ok(id); };
}

} // namespace ck::api_calls
