#pragma once
// Editions and licenses. The Community edition manages at most kCommunityItemLimit certificates;
// a license key lifts that. A key is signed offline by the vendor (Ed25519, checked by the
// service) over a LicensePayload; the service answers GET /api/license with a LicenseInfo.
//
// Key text: "CK1." base64url(payload JSON) "." base64url(signature). The signature covers
// "certkeeper-license-v1." followed by the payload part exactly as it appears in the key, so
// nothing needs to be re-encoded to be checked.

#include "ApiError.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace ck {

inline constexpr int kCommunityItemLimit = 5;
// The app reminds the user of the limit from this many items on (Community edition only).
inline constexpr int kCommunityReminderAt = 3;
inline constexpr char kLicenseProduct[] = "certkeeper";
inline constexpr char kLicenseKeyPrefix[] = "CK1.";
inline constexpr char kLicenseSignaturePrefix[] = "certkeeper-license-v1.";

// What a license key says. itemLimit 0 = no limit; an invalid `expires` = never expires.
struct LicensePayload {
    QString product = QString::fromLatin1(kLicenseProduct);
    QString licensee; // the licensee's email address
    QString edition;  // e.g. "professional", "enterprise"
    int itemLimit = 0;
    QDateTime expires;
    QDateTime issued;
    QString keyId; // the vendor's reference for this key

    QJsonObject toJson() const;
    // Strict: every field of the right type; licensee, edition and keyId present.
    static std::optional<LicensePayload> fromJson(const QJsonObject& o, QString* problem);
};

// The install's edition as the service sees it now.
struct LicenseInfo {
    QString edition = QStringLiteral("community"); // "community" or the key's edition
    bool licensed = false;                         // an activated key that has not expired
    QString licensee;
    QDateTime expires;     // of the activated key; invalid = never (or no key)
    QDateTime activatedAt; // when the key was entered here
    QString keyId;
    int itemLimit = kCommunityItemLimit; // 0 = no limit
    int itemsUsed = 0;
    QString installId;
    QString warning; // e.g. an activated key that has expired: Community limits apply again

    // "Community", "Professional", ...
    QString editionTitle() const;
    bool unlimited() const { return itemLimit == 0; }
    // How many more certificates may be added (INT_MAX when unlimited, 0 at or over the limit).
    int remaining() const;
    // The reminder the app shows, or empty: Community edition at kCommunityReminderAt or more.
    QString reminder() const;

    QJsonObject toJson() const;
    // Strict: a field of the wrong type is an error naming it; edition and itemLimit present.
    static LicenseInfo fromJson(const QJsonObject& o, QList<FieldError>* errors);
};

} // namespace ck
