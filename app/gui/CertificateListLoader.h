#pragma once
// Loads every page of the certificate list for one search, one page after another, without
// blocking the window: the first rows show as soon as the first page arrives, even with
// thousands of items. The first page is small, so that it comes and shows at once; the rest come
// in larger pages, fewer round trips. A new load abandons the one in progress (its answers are
// dropped).

#include "client/ApiClient.h"

#include <QObject>
#include <QPointer>
#include <QSet>

namespace ck::gui {

class CertificateListLoader : public QObject {
    Q_OBJECT
public:
    static constexpr int kFirstPageSize = 100;
    static constexpr int kPageSize = 500;

    explicit CertificateListLoader(ApiClient* client, QObject* parent = nullptr);

    void setPageSize(int pageSize) { m_firstPageSize = m_pageSize = pageSize; } // tests: small
    void load(const QString& search);
    void cancel();
    bool isLoading() const { return !m_load.isNull(); }

Q_SIGNALS:
    void pageLoaded(const QList<ck::ManagedCertificate>& items, int loadedSoFar, int total);
    // Every page arrived; `ids` are all the items that matched, to drop rows that no longer do.
    void finished(const QSet<QString>& ids);
    void failed(const ck::ApiError& error);

private:
    void fetch(int offset);

    ApiClient* m_client;
    QPointer<QObject> m_load; // context of the load in progress; deleting it abandons the load
    int m_firstPageSize = kFirstPageSize;
    int m_pageSize = kPageSize;
    QString m_search;
    QSet<QString> m_ids;
};

} // namespace ck::gui
