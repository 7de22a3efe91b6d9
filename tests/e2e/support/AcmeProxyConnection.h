#pragma once
// Inside AcmeExtensionProxy: the state its thread shares with the test, and the handling of one
// client connection (forwarding to Pebble, the extensions, the injected faults).

#include "AcmeExtensionProxy.h"

#include <QMap>
#include <QMutex>
#include <QSslCertificate>
#include <QSslKey>

class QSslSocket;

namespace ck::test {

struct AcmeExtensionProxy::Shared {
    struct Fault {
        AcmeFault fault;
        int skip = 0;  // counts down
        int times = 0; // counts down; negative: forever
    };

    mutable QMutex mutex;
    Options options;
    RenewalInfoAnswer answer;
    bool refuseReplaces = false;
    QStringList renewalIds;
    QList<QJsonObject> orders;
    QList<std::shared_ptr<Fault>> faults;
    QList<ProxiedRequest> requests;
    QMap<QString, QString> resourcePaths; // directory key -> path, learnt from Pebble's directory
    // Fixed before the thread starts.
    int upstreamPort = 0;
    QList<QSslCertificate> upstreamRoots;
    QSslCertificate certificate;
    QSslKey key;

    // Whether `path` is the resource `target` names (see AcmeFault::target). Mutex held.
    bool targets(const QString& path, const QString& target) const {
        const QString resource = resourcePaths.value(target);
        return resource.isEmpty() ? path.contains(target) : path == resource;
    }
};

// Serves the client on `client` (encrypted by the caller; taken over, as a child of the
// connection object made under `parent`) until it disconnects.
void serveProxyConnection(QSslSocket* client, std::shared_ptr<AcmeExtensionProxy::Shared> shared,
                          QObject* parent);

} // namespace ck::test
