#pragma once
// Adopting certificates another ACME client made (certbot, lego, acme.sh): what to read
// (AdoptionRequest) and what was found or done (AdoptionPlan, one row per lineage). The same
// plan answers POST /api/adoption/plan (nothing created) and /api/adoption/apply.

#include "ApiError.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace ck {

namespace adoption_tools {
inline const QString kCertbot = QStringLiteral("certbot");
inline const QString kLego = QStringLiteral("lego");
inline const QString kAcmeSh = QStringLiteral("acme.sh");
} // namespace adoption_tools
QStringList adoptionToolNames();

struct AdoptionRequest {
    QString tool; // certbot | lego | acme.sh
    QString path; // the tool's folder; empty: its default (/etc/letsencrypt, ./.lego, ~/.acme.sh)
    QStringList lineages; // only these (by name); empty: every lineage found

    QJsonObject toJson() const;
    static AdoptionRequest fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const AdoptionRequest&) const = default;
};

// One deployment the adopted item keeps: the old tool's file, rewritten on every renewal.
struct AdoptionTarget {
    QString format; // an export format (export_formats)
    QString path;
    bool operator==(const AdoptionTarget&) const = default;
};

struct AdoptionRow {
    enum class Status {
        Adoptable, // the plan: it would be adopted
        Adopted,   // apply: a managed certificate was created (itemId)
        Refused    // not adopted; `reason` says why
    };
    QString lineage; // the tool's name for it (certbot's lineage, lego's domain, acme.sh's folder)
    Status status = Status::Refused;
    QString reason; // when refused: why, in words a user can act on
    bool limitReached = false;
    QStringList domains;
    QString keyType;   // ecdsa-p256 ...
    QString server;    // the ACME directory the tool used
    QString caId;      // the Certkeeper CA with that directory; empty when none
    QString account;   // what happens to the account, in words
    QString challenge; // how the names will be proven, in words
    QDateTime expiry;
    QList<AdoptionTarget> targets;
    QStringList notes; // what the user should know (the old tool's timer, a guessed challenge)
    QString itemId;    // when adopted

    QJsonObject toJson() const;
    static AdoptionRow fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const AdoptionRow&) const = default;
};

struct AdoptionPlan {
    QString tool;
    QString path;         // the folder read
    bool applied = false; // false: a plan, nothing was created
    int adopted = 0;      // rows adopted (applied) or adoptable (plan)
    int refused = 0;
    QList<AdoptionRow> rows;

    QJsonObject toJson() const;
    static AdoptionPlan fromJson(const QJsonObject& o, QList<FieldError>* errors);
    bool operator==(const AdoptionPlan&) const = default;
};

QString toString(AdoptionRow::Status s);

} // namespace ck
