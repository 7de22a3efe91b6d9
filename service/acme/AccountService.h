#pragma once
// ACME accounts as a user asks for them: register a new one with a CA (with External Account
// Binding where the CA needs it), import one registered elsewhere by its key, and roll an
// account's key over. Checks what was asked, talks to the CA, saves the account in the
// registry and logs it. Throws InvalidInputError naming the field at fault, NotFoundError for
// an unknown account, and acme::AcmeError (an UpstreamError) when the CA refuses.

#include "acme/AcmeRegistry.h"
#include "logging/Logger.h"
#include "model/CertificateAuthority.h"

#include <QString>

#include <optional>

namespace ck::acme {

// POST /api/accounts. An empty keyAlgorithm is ecdsa-p256; the EAB HMAC key is base64url, as
// CAs hand it out.
using AccountRegistration = AccountRegistrationRequest;

struct AccountImport {
    QString caId;
    bool staging = false;
    QString email;
    QByteArray accountKeyPem;
};

class AccountService {
public:
    AccountService(AcmeRegistry& registry, logging::Logger& log)
        : m_registry(registry), m_log(log) {}

    // The parameters are by value: a coroutine keeps its own copies. Callers pass named values,
    // never temporaries that would live across the co_await (GCC PR 100611).
    awaitable<AcmeAccount> registerAccount(AccountRegistration request);
    awaitable<AcmeAccount> importAccount(AccountImport request);
    // Without `keyAlgorithm` the new key is of the account's current algorithm.
    awaitable<AcmeAccount> rolloverKey(QString accountId, std::optional<QString> keyAlgorithm);

private:
    CertificateAuthority authorityFor(const QString& caId) const;

    AcmeRegistry& m_registry;
    logging::Logger& m_log;
};

} // namespace ck::acme
