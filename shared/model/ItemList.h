#pragma once
// Paging and summary shapes of GET /api/managedcertificates and /summary, shared by the service
// (which produces them) and the client (which reads them).

#include "model/ManagedCertificate.h"

#include <QMap>
#include <QUrlQuery>

namespace ck {

struct ListQuery {
    static constexpr int kDefaultLimit = 100;
    static constexpr int kMaxLimit = 1000;

    QString search;               // matched against name and every domain, case-insensitively
    std::optional<Health> health; // "status" in the query string
    int offset = 0;
    int limit = kDefaultLimit;

    QUrlQuery toUrlQuery() const;
    // Strict: unknown status names and bad numbers are field errors, not silently ignored.
    static ListQuery fromUrlQuery(const QUrlQuery& q, QList<FieldError>* errors);
};

struct ItemPage {
    QList<ManagedCertificate> items;
    int total = 0; // matching items in all pages
    int offset = 0;
    int limit = 0;
    // The service said this page has not changed since the client last read it (HTTP 304): the
    // items are those of then. Never sent; set by the API client.
    bool unchanged = false;

    QJsonObject toJson() const;
    static ItemPage fromJson(const QJsonObject& o, QList<FieldError>* errors);
};

struct ItemSummary {
    int total = 0;
    int totalDomains = 0;
    QMap<Health, int> byHealth;
    bool unchanged = false; // as ItemPage::unchanged

    QJsonObject toJson() const;
    static ItemSummary fromJson(const QJsonObject& o);
};

} // namespace ck
