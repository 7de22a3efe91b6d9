#pragma once
// One authorization rule of a certificate: which names it covers (empty: all names no other
// rule covers) and how they are proven to the CA: http-01 by the service's own listener or by
// a file in a webroot folder, dns-01 by one of the service's DNS providers (RFC 2136, a script, a
// DNS host's API: the form is built from the service's description of each), or tls-alpn-01 by
// the service's own TLS listener. The rule is the item's requestConfig.challenges[i]; parameters
// (and fields) this form does not show are kept.

#include "model/DnsProviderTypes.h"
#include "model/ManagedCertificate.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QRadioButton;
class QStackedWidget;
class QLabel;

namespace ck::gui {

class ErrorLabel;
class ParameterForm;
class ServiceCatalog;

class ChallengeForm : public QWidget {
    Q_OBJECT
public:
    ChallengeForm(ServiceCatalog* catalog, QWidget* parent);

    void setRule(const ChallengeConfig& rule);
    ChallengeConfig rule() const;
    // A rule added by the user: http-01 on the service's own listener.
    static ChallengeConfig newRule();
    // One line for the list of rules: "*.example.com: dns-01, PowerDNS (HTTP API) (ns1 key)".
    static QString summary(const ChallengeConfig& rule, const ServiceCatalog& catalog);

Q_SIGNALS:
    void changed();

private:
    QWidget* createHttpPage();
    QWidget* createDnsPage();
    void fillProviders();
    void showProvider();
    void fillCredentials();
    void updatePages();
    const DnsProviderType* provider() const; // the one chosen, if the service described it

    ServiceCatalog* m_catalog;
    ChallengeConfig m_rule; // as loaded: what the form does not show is kept
    bool m_loading = false;
    QLineEdit* m_domainMatch;
    QComboBox* m_type;
    QStackedWidget* m_pages;
    QRadioButton* m_listener;
    QRadioButton* m_webroot;
    QLineEdit* m_webrootPath;
    QComboBox* m_dnsProvider;
    QLabel* m_dnsProviderHint;
    ErrorLabel* m_dnsProblem;
    QLabel* m_dnsCredentialCaption;
    QComboBox* m_dnsCredential;
    QLabel* m_dnsCredentialHint;
    ParameterForm* m_dnsParameters;
    QLineEdit* m_delegatedTo;                       // where a CNAME at _acme-challenge.<name> leads
    QString m_provider = QStringLiteral("rfc2136"); // the dns-01 provider shown
    bool m_parametersBuilt = false;
    bool m_parametersDescribed = false; // built from the provider's description
    QString m_credentialId;
};

} // namespace ck::gui
