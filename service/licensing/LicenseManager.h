#pragma once
// This install's edition: its id (install.id, made once), the activation record (license.json:
// the key and the install it was activated on) and the item limit that follows. An activated
// key is checked again on every start and at every question (its expiry against the injected
// clock); an expired or unusable one falls back to the Community edition with a warning, and
// the items stay. Used on the network thread only.

#include "DomainError.h"
#include "base/Clock.h"
#include "model/License.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace ck::licensing {

inline constexpr char kInstallIdFile[] = "install.id";
inline constexpr char kLicenseFile[] = "license.json";

// How many of a number of new items fit the edition's limit (ItemAllowance::fit).
struct AllowanceFit {
    int fitting = 0;      // how many of the new items may be added, the first ones first
    bool refused = false; // whether the others are refused: all of them would pass the limit
    QString reason;       // when refused: the limit, how many are used, and how to lift it
};

// How many items the edition allows, copied out of the LicenseManager so that the count and the
// write it guards happen together on the store thread.
struct ItemAllowance {
    int limit = kCommunityItemLimit; // 0 = none
    QString holder;                  // "The Community edition", "Your professional license (...)"
    bool licensed = false;

    // How many of `adding` new items fit next to `itemsUsed`: all of them when the limit
    // allows (or there is none); else the room left, none once the limit is reached or passed
    // (an expired license's items stay), and the rest are refused.
    AllowanceFit fit(int itemsUsed, int adding) const;
    // Throws LimitReachedError with fit's reason when not all `adding` items fit.
    void require(int itemsUsed, int adding) const;
};

class LicenseManager {
public:
    // `publicKey`: the raw Ed25519 key that verifies keys (the built-in one unless a test
    // gives another); `clock`: the time expiry is judged against (UTC now unless a test
    // gives another).
    LicenseManager(QString dataDir, QByteArray publicKey, const Clock& clock = Clock::system());

    // Reads (or creates) install.id and reads license.json. Problems come back as notices;
    // a license.json that cannot be used is left in place, not deleted.
    QStringList load();

    QString installId() const { return m_installId; }
    // The edition now, with `itemsUsed` filled in.
    LicenseInfo info(int itemsUsed) const;
    // The effective limit now: 0 = none.
    int itemLimit() const;
    // The limit now, as a value the store thread can check while it counts and writes.
    ItemAllowance allowance() const;

    // Checks the key and binds it to this install (license.json). Throws InvalidInputError
    // (field "key") naming what is wrong with it, or InternalError when it cannot be saved.
    void activate(const QString& key);
    // Removes the activation; the install returns to the Community edition. Throws
    // NotFoundError when there is none.
    void deactivate();

private:
    struct Activation {
        QString key;
        LicensePayload payload;
        QDateTime activatedAt;
    };
    QString filePath(const char* name) const;
    QDateTime now() const;
    // The activation that is in force now (not expired), if any.
    const Activation* current() const;

    QString m_dataDir;
    QByteArray m_publicKey;
    const Clock* m_clock; // a pointer: the manager is moved in tests
    QString m_installId;
    std::optional<Activation> m_activation;
    QString m_loadProblem; // why license.json is not in force, for the warning
};

} // namespace ck::licensing
