#pragma once
// One certificate request from start to finish for a managed certificate: find the CA and its
// account, order the names, prove control of each (placing the challenge responses and removing
// every one of them afterwards, on success and on failure), finalize with a new key (or the
// previous one when the item asks to reuse it), download the preferred chain, check it, and write
// the files to assets/ so that either all of them are there or none.

#include "ManagedCertificate.h"
#include "http/Asio.h"

#include <QStringList>

namespace ck {
class ItemLog;
namespace acme {
class AcmeRegistry;
}
namespace challenges {
class Http01Listener;
}

struct IssuedCertificate {
    QDateTime notBefore, notAfter;
    QString serial, issuer, thumbprint;
    QStringList domains;
    QString certPath, chainPath, fullChainPath, keyPath, pfxPath;
    QString orderUrl;
};

class CertificateIssuer {
public:
    CertificateIssuer(acme::AcmeRegistry& registry, challenges::Http01Listener& http01,
                      QString dataDir);

    // Throws acme::AcmeError (CA said no, or could not be reached) or ApiError (our side: no
    // account, files not writable); the message says which step and what to do.
    awaitable<IssuedCertificate> issue(const ManagedCertificate& item, ItemLog& log);

private:
    acme::AcmeRegistry& m_registry;
    challenges::Http01Listener& m_http01;
    QString m_dataDir;
};

} // namespace ck
