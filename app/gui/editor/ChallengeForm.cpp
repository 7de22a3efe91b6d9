#include "gui/editor/ChallengeForm.h"

#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"
#include "gui/editor/ParameterForm.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
const QString kHttp = QStringLiteral("http-01");
const QString kDns = QStringLiteral("dns-01");
const QString kTlsAlpn = QStringLiteral("tls-alpn-01");
const QString kRfc2136 = QStringLiteral("rfc2136"); // a rule's default dns-01 provider
const QString kWebroot = QStringLiteral("webroot");
const QString kListener = QStringLiteral("listener");

QLineEdit* makeLine(const char* name, const QString& accessibleName, QWidget* parent) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(QLatin1String(name));
    edit->setAccessibleName(accessibleName);
    return edit;
}
} // namespace

ChallengeForm::ChallengeForm(ServiceCatalog* catalog, QWidget* parent)
    : QWidget(parent), m_catalog(catalog) {
    m_domainMatch = makeLine("domainMatchEdit", tr("Names this rule covers"), this);
    m_domainMatch->setPlaceholderText(
        tr("Empty: every name; or e.g. *.example.com, shop.example.com"));
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("challengeTypeCombo"));
    m_type->setAccessibleName(tr("Challenge type"));
    m_type->addItem(tr("http-01: a file on the web server (port 80)"), kHttp);
    m_type->addItem(tr("dns-01: a TXT record in DNS (needed for wildcards)"), kDns);
    m_type->addItem(tr("tls-alpn-01: a TLS answer on port 443"), kTlsAlpn);

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(createHttpPage());
    m_pages->addWidget(createDnsPage());
    m_pages->addWidget(makeHint(tr("The service answers on its own TLS listener "
                                   "(tlsAlpnChallengeServerPort in serviceconfig.json). Port 443 "
                                   "must reach it from the internet while a request runs."),
                                this));

    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(makeCaption(tr("Appl&ies to:"), m_domainMatch, this), m_domainMatch);
    form->addRow(makeCaption(tr("Challen&ge:"), m_type, this), m_type);
    form->addRow(m_pages);

    const auto notify = [this] {
        if (!m_loading)
            Q_EMIT changed();
    };
    connect(m_domainMatch, &QLineEdit::textEdited, this, notify);
    connect(m_type, &QComboBox::activated, this, [this, notify] {
        updatePages();
        notify();
    });
    connect(m_webrootPath, &QLineEdit::textEdited, this, notify);
    connect(m_listener, &QRadioButton::toggled, this, [this, notify] {
        updatePages();
        notify();
    });
    connect(m_dnsProvider, &QComboBox::activated, this, [this, notify] {
        showProvider();
        notify();
    });
    connect(m_dnsCredential, &QComboBox::activated, this, [this, notify] {
        m_credentialId = m_dnsCredential->currentData().toString();
        notify();
    });
    connect(m_dnsParameters, &ParameterForm::changed, this, notify);
    connect(m_delegatedTo, &QLineEdit::textEdited, this, notify);
    connect(catalog, &ServiceCatalog::loaded, this, &ChallengeForm::fillProviders);
    fillProviders();
    updatePages();
}

QWidget* ChallengeForm::createHttpPage() {
    auto* page = new QWidget(this);
    m_listener =
        new QRadioButton(tr("The service's own listener (p&ort 80 forwarded to it)"), page);
    m_listener->setObjectName(QStringLiteral("listenerRadio"));
    m_webroot = new QRadioButton(tr("A file in the web server's &folder:"), page);
    m_webroot->setObjectName(QStringLiteral("webrootRadio"));
    auto* group = new QButtonGroup(page);
    group->addButton(m_listener);
    group->addButton(m_webroot);
    m_listener->setChecked(true);
    m_webrootPath = makeLine("webrootEdit", tr("Webroot folder"), page);
    m_webrootPath->setPlaceholderText(QStringLiteral("/var/www/html"));
    auto* browse = new QPushButton(tr("&Browse…"), page);
    browse->setObjectName(QStringLiteral("webrootBrowseButton"));
    browse->setAccessibleName(tr("Choose the webroot folder"));
    browse->setAutoDefault(false);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Webroot folder"), m_webrootPath->text());
        if (!dir.isEmpty()) {
            m_webrootPath->setText(dir);
            m_webroot->setChecked(true);
            Q_EMIT changed();
        }
    });
    connect(m_webroot, &QRadioButton::toggled, browse, &QWidget::setEnabled);
    browse->setEnabled(false);
    auto* path = new QHBoxLayout;
    path->addWidget(m_webrootPath, 1);
    path->addWidget(browse);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_listener);
    layout->addWidget(m_webroot);
    layout->addLayout(path);
    layout->addWidget(makeHint(tr("The service writes .well-known/acme-challenge/<token> there "
                                  "and removes it afterwards."),
                               page));
    layout->addStretch();
    return page;
}

// The DNS page is built from the service's description of its providers (GET
// /api/challengeproviders): the provider, the stored credential it takes, and its parameters.
// A provider the service adds appears here without a change to this form.
QWidget* ChallengeForm::createDnsPage() {
    auto* page = new QWidget(this);
    m_dnsProvider = new QComboBox(page);
    m_dnsProvider->setObjectName(QStringLiteral("dnsProviderCombo"));
    m_dnsProvider->setAccessibleName(tr("DNS provider"));
    m_dnsProviderHint = makeHint(QString(), page);
    m_dnsProviderHint->setObjectName(QStringLiteral("dnsProviderHint"));
    m_dnsProviderHint->setOpenExternalLinks(true);
    m_dnsProblem = new ErrorLabel(QStringLiteral("dnsProvidersProblem"),
                                  tr("Problem with the DNS providers"), page);

    m_dnsCredential = new QComboBox(page);
    m_dnsCredential->setObjectName(QStringLiteral("dnsCredentialCombo"));
    m_dnsCredential->setAccessibleName(tr("Stored credential"));
    m_dnsCredentialCaption = makeCaption(tr("Crede&ntial:"), m_dnsCredential, page);
    m_dnsCredentialHint = makeHint(QString(), page);
    m_dnsCredentialHint->setObjectName(QStringLiteral("dnsCredentialHint"));
    m_dnsCredentialHint->setOpenExternalLinks(true);
    m_dnsParameters = new ParameterForm(m_catalog, page);
    m_dnsParameters->setObjectName(QStringLiteral("dnsParameters"));
    m_delegatedTo = makeLine("delegatedToEdit", tr("Challenge delegated to"), page);
    m_delegatedTo->setPlaceholderText(QStringLiteral("_acme-challenge.auth.example.net"));
    auto* delegationHint = makeHint(
        tr("Optional. When _acme-challenge.<name> is a CNAME to a name in another zone (so that "
           "no token for the main zone is kept here), write that name: the record is placed "
           "there by the provider and credential above. Left empty, a CNAME found when the "
           "request runs is followed all the same."),
        page);

    auto* layout = new QFormLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addRow(makeCaption(tr("&DNS provider:"), m_dnsProvider, page), m_dnsProvider);
    layout->addRow(m_dnsProblem);
    layout->addRow(m_dnsProviderHint);
    layout->addRow(m_dnsCredentialCaption, m_dnsCredential);
    layout->addRow(m_dnsCredentialHint);
    layout->addRow(m_dnsParameters);
    layout->addRow(makeCaption(tr("CNAME lead&s to:"), m_delegatedTo, page), m_delegatedTo);
    layout->addRow(delegationHint);
    return page;
}

const DnsProviderType* ChallengeForm::provider() const {
    return m_catalog->dnsProvider(m_dnsProvider->currentData().toString());
}

void ChallengeForm::fillProviders() {
    const QString current = m_provider;
    m_dnsProvider->clear();
    // A provider reached through lexicon that a built-in one also covers is left out (the
    // built-in one is offered), unless this rule already names it.
    for (const DnsProviderType& p : m_catalog->dnsProviders())
        if (p.nativeProvider.isEmpty() || p.id == current)
            m_dnsProvider->addItem(p.title, p.id);
    int index = m_dnsProvider->findData(current);
    if (index < 0 && !current.isEmpty()) { // kept as it is, and saved as it is
        m_dnsProvider->addItem(m_catalog->dnsProvidersProblem().isEmpty()
                                   ? tr("%1 (not offered by this service)").arg(current)
                                   : current,
                               current);
        index = m_dnsProvider->count() - 1;
    }
    m_dnsProvider->setCurrentIndex(std::max(index, 0));
    m_dnsProblem->showMessages(m_catalog->dnsProvidersProblem().isEmpty()
                                   ? QStringList{}
                                   : QStringList{m_catalog->dnsProvidersProblem()},
                               m_dnsProvider);
    showProvider();
}

void ChallengeForm::showProvider() {
    const QString id = m_dnsProvider->currentData().toString();
    const DnsProviderType* p = provider();
    const bool changed = id != m_provider;
    m_provider = id;
    m_dnsProviderHint->setText(p ? p->description : QString());
    m_dnsProviderHint->setVisible(p && !p->description.isEmpty());
    // The parameters belong to the provider: the rule's when it is the provider loaded, else the
    // new provider's defaults. A description that arrives late keeps what is on screen.
    if (changed || !m_parametersBuilt || (p && !m_parametersDescribed)) {
        QJsonObject values;
        if (!changed && m_parametersBuilt)
            values = m_dnsParameters->values();
        else if (id == m_rule.provider)
            values = m_rule.parameters;
        m_dnsParameters->build(p ? p->parameters : QList<TaskParameterSpec>{}, values);
        m_parametersBuilt = true;
        m_parametersDescribed = p != nullptr;
    }
    fillCredentials();
}

void ChallengeForm::fillCredentials() {
    const DnsProviderType* p = provider();
    const bool takesCredential = p && !p->credentialType.isEmpty();
    m_dnsCredentialCaption->setVisible(takesCredential);
    m_dnsCredential->setVisible(takesCredential);
    m_dnsCredentialHint->setVisible(takesCredential);
    m_dnsCredential->clear();
    if (!takesCredential)
        return;
    const auto list = m_catalog->credentialsOfType(p->credentialType);
    m_dnsCredential->addItem(list.isEmpty() ? tr("(no %1 stored)").arg(p->credentialTitle)
                                            : tr("(choose a credential)"),
                             QString());
    for (const auto& c : list)
        m_dnsCredential->addItem(c.title, c.id);
    int index = m_dnsCredential->findData(m_credentialId);
    if (index < 0) {
        m_dnsCredential->addItem(tr("%1 (no longer stored)").arg(m_credentialId), m_credentialId);
        index = m_dnsCredential->count() - 1;
    }
    m_dnsCredential->setCurrentIndex(index);
    QString hint = tr("Store a %1 in Settings › Credentials; it is then offered here.")
                       .arg(p->credentialTitle.toHtmlEscaped());
    if (!p->credentialUrl.isEmpty())
        hint += QStringLiteral(" <a href=\"%1\">%2</a>")
                    .arg(p->credentialUrl.toHtmlEscaped(), tr("How to make one"));
    m_dnsCredentialHint->setText(hint);
    m_dnsCredentialHint->setVisible(list.isEmpty());
}

void ChallengeForm::updatePages() {
    const QString type = m_type->currentData().toString();
    m_pages->setCurrentIndex(type == kDns ? 1 : type == kTlsAlpn ? 2 : 0);
    m_webrootPath->setEnabled(m_webroot->isChecked());
}

void ChallengeForm::setRule(const ChallengeConfig& rule) {
    m_loading = true;
    m_rule = rule;
    m_domainMatch->setText(rule.domainMatch);
    m_type->setCurrentIndex(std::max(m_type->findData(rule.type), 0));
    (rule.provider == kWebroot ? m_webroot : m_listener)->setChecked(true);
    m_webrootPath->setText(rule.webrootPath);
    m_delegatedTo->setText(rule.delegatedTo);
    m_credentialId = rule.credentialId;
    m_provider = rule.type == kDns ? rule.provider : kRfc2136;
    m_parametersBuilt = false;
    fillProviders();
    updatePages();
    m_loading = false;
}

ChallengeConfig ChallengeForm::rule() const {
    ChallengeConfig rule = m_rule;
    const QString type = m_type->currentData().toString();
    rule.type = type;
    rule.domainMatch = m_domainMatch->text().trimmed();
    rule.webrootPath.clear();
    rule.credentialId.clear();
    rule.delegatedTo.clear();
    if (type == kHttp) {
        rule.provider = m_webroot->isChecked() ? kWebroot : kListener;
        if (m_webroot->isChecked())
            rule.webrootPath = m_webrootPath->text().trimmed();
    } else if (type == kDns) {
        rule.provider = m_dnsProvider->currentData().toString();
        const DnsProviderType* p = provider();
        if (!p || !p->credentialType.isEmpty()) // one the service did not describe: as loaded
            rule.credentialId = m_credentialId;
        rule.parameters = m_dnsParameters->values();
        rule.delegatedTo = m_delegatedTo->text().trimmed();
    } else {
        rule.provider = kListener;
    }
    if (rule.provider != m_rule.provider && type != kDns)
        rule.parameters = {}; // they were another provider's
    return rule;
}

ChallengeConfig ChallengeForm::newRule() {
    ChallengeConfig rule; // http-01
    rule.provider = kListener;
    return rule;
}

QString ChallengeForm::summary(const ChallengeConfig& rule, const ServiceCatalog& catalog) {
    const QString match = rule.domainMatch.trimmed();
    const QString who = match.isEmpty() ? tr("Every other name") : match;
    QString how;
    if (rule.type == kHttp) {
        how = rule.provider == kWebroot ? tr("http-01 in %1").arg(rule.webrootPath)
                                        : tr("http-01 on the service's listener");
    } else if (rule.type == kDns) {
        const DnsProviderType* p = catalog.dnsProvider(rule.provider);
        how = tr("dns-01, %1").arg(p ? p->title : rule.provider);
        if (p && !p->credentialType.isEmpty()) {
            QString credential = rule.credentialId;
            for (const auto& c : catalog.credentials())
                if (c.id == credential)
                    credential = c.title;
            how += QStringLiteral(" (%1)").arg(credential.isEmpty() ? tr("no credential chosen")
                                                                    : credential);
        }
        if (!rule.delegatedTo.trimmed().isEmpty())
            how += tr(", delegated to %1").arg(rule.delegatedTo.trimmed());
    } else {
        how = tr("tls-alpn-01 on the service's listener");
    }
    return QStringLiteral("%1: %2").arg(who, how);
}

} // namespace ck::gui
