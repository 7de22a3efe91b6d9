#include "gui/LiveUpdates.h"

#include "gui/CertificateListModel.h"

namespace ck::gui {

LiveUpdates::LiveUpdates(ApiClient* client, CertificateListModel* model, QObject* parent)
    : QObject(parent), m_model(model), m_stream(new EventStream(client, this)) {
    connect(m_stream, &EventStream::connected, this, [this] {
        Q_EMIT liveChanged(true, {});
        Q_EMIT reloadNeeded();
    });
    connect(m_stream, &EventStream::disconnected, this,
            [this](const ApiError& why) { Q_EMIT liveChanged(false, why.detail); });
    // A finished request is told by the item itself: upsert ends its progress.
    connect(m_stream, &EventStream::itemUpdated, this,
            [this](const ManagedCertificate& item) { m_model->upsert({item}); });
    connect(m_stream, &EventStream::itemDeleted, m_model, &CertificateListModel::removeId);
    connect(m_stream, &EventStream::resetRequested, this, &LiveUpdates::reloadNeeded);
    connect(m_stream, &EventStream::progress, this, [this](const RequestProgress& progress) {
        m_model->setProgress(progress);
        Q_EMIT progressed(nameOf(progress.itemId), progress);
    });
    connect(m_stream, &EventStream::logEntry, this,
            [this](const QString& itemId, const LogEntry& entry) {
                Q_EMIT logLine(itemId, nameOf(itemId), entry);
            });
}

QString LiveUpdates::nameOf(const QString& id) const {
    const int row = m_model->rowOfId(id);
    return row >= 0 ? m_model->item(row).name : QString();
}

} // namespace ck::gui
