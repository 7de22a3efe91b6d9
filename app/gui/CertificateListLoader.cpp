#include "gui/CertificateListLoader.h"

namespace ck::gui {

CertificateListLoader::CertificateListLoader(ApiClient* client, QObject* parent)
    : QObject(parent), m_client(client) {}

void CertificateListLoader::load(const QString& search) {
    cancel();
    m_load = new QObject(this);
    m_search = search;
    m_ids.clear();
    fetch(0);
}

void CertificateListLoader::cancel() {
    delete m_load.data();
}

void CertificateListLoader::fetch(int offset) {
    ListQuery query;
    query.search = m_search;
    query.offset = offset;
    query.limit = offset == 0 ? m_firstPageSize : m_pageSize;
    QObject* load = m_load.data();
    m_client->listItems(
        query, load,
        [this, load, offset](const ItemPage& page) {
            for (const auto& item : page.items)
                m_ids.insert(item.id);
            const int loaded = offset + int(page.items.size());
            Q_EMIT pageLoaded(page.items, loaded, page.total);
            if (m_load != load) // a slot started another load
                return;
            if (page.items.isEmpty() || loaded >= page.total) {
                load->deleteLater();
                m_load.clear();
                Q_EMIT finished(m_ids);
            } else {
                fetch(loaded);
            }
        },
        [this, load](const ApiError& error) {
            load->deleteLater();
            m_load.clear();
            Q_EMIT failed(error);
        });
}

} // namespace ck::gui
