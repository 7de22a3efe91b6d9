#include "preview/PreviewBuilder.h"

#include "acme/AcmeRegistry.h"
#include "config/ServiceConfig.h"
#include "credentials/CredentialStore.h"
#include "preview/ChallengePlan.h"

#include "crypto/KeyType.h"

#include <QFileInfo>

namespace ck::preview {

namespace {
namespace categories = step_categories;

QString keyDescription(const QString& algorithm) {
    static const QHash<QString, QString> names{{"rsa2048", "RSA 2048-bit"},
                                               {"rsa3072", "RSA 3072-bit"},
                                               {"rsa4096", "RSA 4096-bit"},
                                               {"ecdsa-p256", "ECDSA P-256"},
                                               {"ecdsa-p384", "ECDSA P-384"}};
    const auto type = crypto::keyTypeFromName(algorithm);
    return type ? names.value(crypto::keyTypeName(*type)) : algorithm;
}

QString codeList(const QStringList& items) {
    QStringList coded;
    for (const auto& i : items)
        coded.append(mdCode(i));
    return coded.join(QStringLiteral(", "));
}

void addFindings(ActionStep& step, const QList<Finding>& findings) {
    for (const auto& f : findings)
        (f.warning ? step.warnings : step.errors).append(f.text());
}
} // namespace

PreviewBuilder::PreviewBuilder(acme::AcmeRegistry& registry,
                               credentials::CredentialStore& credentials,
                               challenges::ChallengeResponders& responders,
                               process::ProcessRunner& runner, const ServiceConfig& config,
                               QString dataDir)
    : m_registry(registry), m_credentials(credentials), m_responders(responders), m_runner(runner),
      m_config(config), m_dataDir(std::move(dataDir)) {}

awaitable<QList<ActionStep>> PreviewBuilder::build(ManagedCertificate item) {
    QList<ActionStep> steps{summary(item)};
    steps.append(co_await validation(item));
    steps.append(co_await tasks(item, true));
    steps.append(request(item));
    steps.append(co_await tasks(item, false));
    co_return steps;
}

ActionStep PreviewBuilder::summary(const ManagedCertificate& item) {
    ActionStep step;
    step.key = QStringLiteral("summary");
    step.category = categories::kSummary;
    const QStringList names = item.domains();
    const QStringList& ips = item.requestConfig.ipIdentifiers;
    const QString first = names.isEmpty() ? ips.value(0) : names.first();
    const qsizetype others = names.size() + ips.size() - 1;
    step.title =
        others > 0
            ? QStringLiteral("Request a certificate for %1 and %2 more").arg(first).arg(others)
            : QStringLiteral("Request a certificate for %1").arg(first);

    const QString caId = item.certificateAuthorityId.isEmpty()
                             ? QString::fromLatin1(kDefaultCertificateAuthority)
                             : item.certificateAuthorityId;
    QStringList lines;
    const auto ca = m_registry.authority(caId);
    if (!ca) {
        lines
            << QStringLiteral("- **Certificate authority:** %1 (not configured)").arg(mdCode(caId));
        step.errors << QStringLiteral("The certificate authority '%1' is not configured. Choose "
                                      "another CA for this certificate, or add it under Settings "
                                      "> Certificate authorities.")
                           .arg(caId);
    } else {
        lines << QStringLiteral("- **Certificate authority:** %1%2, %3")
                     .arg(ca->title, item.useStagingMode ? QStringLiteral(" (staging)") : QString(),
                          mdCode(ca->directoryFor(item.useStagingMode)));
        const auto account = m_registry.accountFor(ca->id, item.useStagingMode);
        if (!account) {
            lines << QStringLiteral("- **ACME account:** none");
            step.errors << QStringLiteral("There is no ACME account for %1%2 yet. Register one "
                                          "in Settings > ACME accounts (or certkeeper-cli "
                                          "account add).")
                               .arg(ca->title,
                                    item.useStagingMode ? QStringLiteral(" (staging)") : QString());
        } else {
            lines << QStringLiteral("- **ACME account:** %1").arg(account->email);
            try {
                m_registry.accountKey(*account); // read only: is it there and whole?
            } catch (const DomainError& e) {
                step.errors << e.message();
            }
        }
        if (item.useStagingMode)
            step.warnings << QStringLiteral("Staging mode: the CA's test environment issues "
                                            "certificates that browsers do not trust. Turn "
                                            "staging off for a certificate to use in production.");
    }
    if (!names.isEmpty())
        lines << QStringLiteral("- **Names:** %1").arg(codeList(names));
    if (!ips.isEmpty())
        lines << QStringLiteral("- **IP addresses:** %1").arg(codeList(ips));
    lines << QStringLiteral("- **Key:** %1, %2")
                 .arg(keyDescription(item.requestConfig.keyAlgorithm),
                      item.requestConfig.reusePrivateKey
                          ? QStringLiteral("the current key reused")
                          : QStringLiteral("a new key for each certificate"));
    lines << QStringLiteral("- **Automatic renewal:** %1")
                 .arg(item.includeInAutoRenew ? QStringLiteral("on") : QStringLiteral("off"));
    step.description = lines.join(u'\n');
    return step;
}

awaitable<ActionStep> PreviewBuilder::validation(const ManagedCertificate& item) {
    ActionStep step;
    step.key = QStringLiteral("validation");
    step.category = categories::kValidation;
    const PlanContext context{m_credentials, m_responders.dnsProviders, m_config,
                              m_responders.dataDir};
    QList<NamePlan> plans = planValidation(item, context);
    for (NamePlan& plan : plans) {
        if (plan.config.type != QLatin1String("dns-01") || plan.isIp || plan.hasErrors())
            continue;
        // No temporary in the co_await's expression: GCC 12 may destroy such a one twice.
        const QString challengeName = challenges::dnsChallengeName(plan.name);
        const challenges::CnameChain chain =
            co_await challenges::followCnamesFor(m_responders, challengeName);
        planDelegation(plan, chain);
    }
    step.title = plans.size() == 1 ? QStringLiteral("Prove control of 1 name")
                                   : QStringLiteral("Prove control of %1 names").arg(plans.size());
    step.description = QStringLiteral(
        "For each name the CA asks for proof of control. Every response is put in place first, "
        "then the CA is asked to check them; everything placed is removed afterwards, whether "
        "the request succeeds or fails. A name the CA validated recently for the same account "
        "may need no new proof.");
    addFindings(step, unusedChallengeEntries(item));
    for (const NamePlan& plan : plans) {
        ActionStep sub;
        sub.key = QStringLiteral("validation.") + plan.name;
        sub.category = categories::kValidation;
        sub.title = QStringLiteral("%1: %2").arg(plan.name, plan.method);
        sub.description = plan.description;
        addFindings(sub, plan.findings);
        step.substeps.append(sub);
    }
    co_return step;
}

ActionStep PreviewBuilder::request(const ManagedCertificate& item) {
    const RequestConfig& rc = item.requestConfig;
    ActionStep step;
    step.key = QStringLiteral("request");
    step.category = categories::kRequest;
    step.title = QStringLiteral("Order, finalize and download the certificate");
    QStringList lines;
    QString order = QStringLiteral("1. An order for the %1 names is placed")
                        .arg(item.domains().size() + rc.ipIdentifiers.size());
    if (!rc.acmeProfile.trimmed().isEmpty())
        order += QStringLiteral(", asking for the CA's %1 profile").arg(mdCode(rc.acmeProfile));
    if (!item.certificatePath.isEmpty())
        order += QStringLiteral(", naming the current certificate (serial %1) as the one it "
                                "replaces where the CA offers renewal information (ARI)")
                     .arg(item.certificateSerial);
    lines << order + u'.';

    const bool reuse = rc.reusePrivateKey && !item.certificateKeyPath.isEmpty() &&
                       QFileInfo::exists(item.certificateKeyPath);
    lines << (reuse ? QStringLiteral("2. When every name is validated, it is finalized with a "
                                     "certificate signing request for the current private key "
                                     "(reused, as configured).")
                    : QStringLiteral("2. When every name is validated, it is finalized with a "
                                     "certificate signing request for a new %1 key.")
                          .arg(keyDescription(rc.keyAlgorithm)));
    if (rc.reusePrivateKey && !reuse)
        step.warnings << QStringLiteral("The private key is to be reused, but there is no current "
                                        "key yet: a new one is made this time.");
    lines << QStringLiteral("3. The certificate is downloaded%1 and checked against the key.")
                 .arg(rc.preferredChain.isEmpty()
                          ? QString()
                          : QStringLiteral(" (preferring the chain issued by %1, else the CA's "
                                           "default chain)")
                                .arg(mdCode(rc.preferredChain)));
    const QString assets =
        QStringLiteral("%1/assets/%2/")
            .arg(m_dataDir, item.id.isEmpty() ? QStringLiteral("<new id>") : item.id);
    QString pfx = QStringLiteral("without a password");
    if (!rc.pfxPasswordCredentialId.isEmpty()) {
        if (const auto credential = m_credentials.find(rc.pfxPasswordCredentialId))
            pfx = QStringLiteral("protected by the password in %1").arg(mdCode(credential->title));
        else
            step.errors << QStringLiteral("The PFX password credential '%1' no longer exists. "
                                          "Choose another, or none.")
                               .arg(rc.pfxPasswordCredentialId);
    }
    lines << QStringLiteral("4. The files are written to %1 under new names, all or none: "
                            "`cert.pem`, `chain.pem`, `fullchain.pem`, `key.pem` (readable by "
                            "the service only) and `certificate.pfx` (%2).")
                 .arg(mdCode(assets), pfx);
    lines << QStringLiteral("5. The renewal window the CA suggests is recorded, where it offers "
                            "one; the next renewal is planned from it or from the lifetime.");
    if (!crypto::keyTypeFromName(rc.keyAlgorithm))
        step.errors << QStringLiteral("'%1' is not a key type. Use rsa2048, rsa3072, rsa4096, "
                                      "ecdsa-p256 or ecdsa-p384.")
                           .arg(rc.keyAlgorithm);
    if (rc.customLifetimeDays > 0)
        step.warnings << QStringLiteral("A lifetime of %1 days is set, but it is not sent to the "
                                        "CA: the certificate gets the CA's usual lifetime.")
                             .arg(rc.customLifetimeDays);
    step.description = lines.join(u'\n');
    return step;
}

} // namespace ck::preview
