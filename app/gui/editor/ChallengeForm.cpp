#include "gui/editor/ChallengeForm.h"

#include "gui/FormSupport.h"
#include "gui/ServiceCatalog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
const QString kHttp = QStringLiteral("http-01");
const QString kDns = QStringLiteral("dns-01");
const QString kTlsAlpn = QStringLiteral("tls-alpn-01");
const QString kRfc2136 = QStringLiteral("rfc2136");
const QString kScript = QStringLiteral("script");
const QString kWebroot = QStringLiteral("webroot");
const QString kListener = QStringLiteral("listener");

// A command as the service runs it ([program, args...], no shell) and as it is typed.
QJsonArray commandFromText(const QString& text) {
    return QJsonArray::fromStringList(QProcess::splitCommand(text));
}

QString commandToText(const QJsonValue& value) {
    QStringList parts;
    for (const auto& v : value.toArray()) {
        QString part = v.toString();
        if (part.contains(u' ') || part.contains(u'"'))
            part = u'"' + part.replace(u'"', QStringLiteral("\"\"\"")) + u'"';
        parts.append(part);
    }
    return parts.join(u' ');
}

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
    for (QLineEdit* e : {m_webrootPath, m_presentCommand, m_cleanupCommand})
        connect(e, &QLineEdit::textEdited, this, notify);
    connect(m_listener, &QRadioButton::toggled, this, [this, notify] {
        updatePages();
        notify();
    });
    connect(m_dnsProvider, &QComboBox::activated, this, [this, notify] {
        updatePages();
        notify();
    });
    connect(m_dnsCredential, &QComboBox::activated, this, [this, notify] {
        m_credentialId = m_dnsCredential->currentData().toString();
        notify();
    });
    connect(m_propagationDelay, &QSpinBox::valueChanged, this, notify);
    connect(catalog, &ServiceCatalog::loaded, this, &ChallengeForm::fillCredentials);
    fillCredentials();
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

QWidget* ChallengeForm::createDnsPage() {
    auto* page = new QWidget(this);
    m_dnsProvider = new QComboBox(page);
    m_dnsProvider->setObjectName(QStringLiteral("dnsProviderCombo"));
    m_dnsProvider->setAccessibleName(tr("DNS provider"));
    m_dnsProvider->addItem(tr("DNS update (RFC 2136) with a TSIG key"), kRfc2136);
    m_dnsProvider->addItem(tr("My script adds and removes the record"), kScript);

    m_dnsPages = new QStackedWidget(page);
    auto* rfc = new QWidget(page);
    m_dnsCredential = new QComboBox(rfc);
    m_dnsCredential->setObjectName(QStringLiteral("dnsCredentialCombo"));
    m_dnsCredential->setAccessibleName(tr("TSIG credential"));
    m_dnsCredentialHint =
        makeHint(tr("Store the TSIG key in Settings › Credentials; it is then offered here."), rfc);
    auto* rfcForm = new QFormLayout(rfc);
    rfcForm->setContentsMargins(0, 0, 0, 0);
    rfcForm->addRow(makeCaption(tr("TSIG &key:"), m_dnsCredential, rfc), m_dnsCredential);
    rfcForm->addRow(m_dnsCredentialHint);
    m_dnsPages->addWidget(rfc);

    auto* script = new QWidget(page);
    m_presentCommand = makeLine("presentCommandEdit", tr("Command that adds the record"), script);
    m_presentCommand->setPlaceholderText(tr("/usr/local/bin/dns-hook add"));
    m_cleanupCommand =
        makeLine("cleanupCommandEdit", tr("Command that removes the record"), script);
    m_cleanupCommand->setPlaceholderText(tr("/usr/local/bin/dns-hook remove"));
    m_propagationDelay = new QSpinBox(script);
    m_propagationDelay->setObjectName(QStringLiteral("propagationDelaySpin"));
    m_propagationDelay->setAccessibleName(tr("Seconds to wait after adding the record"));
    m_propagationDelay->setRange(0, 3600);
    m_propagationDelay->setSuffix(tr(" s"));
    auto* scriptForm = new QFormLayout(script);
    scriptForm->setContentsMargins(0, 0, 0, 0);
    scriptForm->addRow(makeCaption(tr("Add &command:"), m_presentCommand, script),
                       m_presentCommand);
    scriptForm->addRow(makeCaption(tr("Remove c&ommand:"), m_cleanupCommand, script),
                       m_cleanupCommand);
    scriptForm->addRow(makeCaption(tr("Wait a&fter adding:"), m_propagationDelay, script),
                       m_propagationDelay);
    scriptForm->addRow(makeHint(tr("Run without a shell, with CERTKEEPER_RECORD_NAME, "
                                   "CERTKEEPER_RECORD_VALUE and CERTKEEPER_DOMAIN set."),
                                script));
    m_dnsPages->addWidget(script);

    auto* layout = new QFormLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addRow(makeCaption(tr("&DNS provider:"), m_dnsProvider, page), m_dnsProvider);
    layout->addRow(m_dnsPages);
    return page;
}

void ChallengeForm::fillCredentials() {
    m_dnsCredential->clear();
    const auto list = m_catalog->credentialsOfType(kRfc2136);
    m_dnsCredential->addItem(list.isEmpty() ? tr("(no TSIG credential stored)")
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
    m_dnsCredentialHint->setVisible(list.isEmpty());
}

void ChallengeForm::updatePages() {
    const QString type = m_type->currentData().toString();
    m_pages->setCurrentIndex(type == kDns ? 1 : type == kTlsAlpn ? 2 : 0);
    m_webrootPath->setEnabled(m_webroot->isChecked());
    m_dnsPages->setCurrentIndex(m_dnsProvider->currentData().toString() == kScript ? 1 : 0);
}

void ChallengeForm::setRule(const ChallengeConfig& rule) {
    m_loading = true;
    m_rule = rule;
    m_domainMatch->setText(rule.domainMatch);
    m_type->setCurrentIndex(std::max(m_type->findData(rule.type), 0));
    (rule.provider == kWebroot ? m_webroot : m_listener)->setChecked(true);
    m_webrootPath->setText(rule.webrootPath);
    m_dnsProvider->setCurrentIndex(std::max(m_dnsProvider->findData(rule.provider), 0));
    m_credentialId = rule.credentialId;
    fillCredentials();
    m_presentCommand->setText(commandToText(rule.parameters.value("presentCommand")));
    m_cleanupCommand->setText(commandToText(rule.parameters.value("cleanupCommand")));
    m_propagationDelay->setValue(rule.parameters.value("propagationDelaySeconds").toInt());
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
    for (const char* key : {"presentCommand", "cleanupCommand", "propagationDelaySeconds"})
        rule.parameters.remove(QLatin1String(key));
    if (type == kHttp) {
        rule.provider = m_webroot->isChecked() ? kWebroot : kListener;
        if (m_webroot->isChecked())
            rule.webrootPath = m_webrootPath->text().trimmed();
    } else if (type == kDns) {
        rule.provider = m_dnsProvider->currentData().toString();
        if (rule.provider == kRfc2136) {
            rule.credentialId = m_credentialId;
        } else {
            rule.parameters["presentCommand"] = commandFromText(m_presentCommand->text());
            rule.parameters["cleanupCommand"] = commandFromText(m_cleanupCommand->text());
            rule.parameters["propagationDelaySeconds"] = m_propagationDelay->value();
        }
    } else {
        rule.provider = kListener;
    }
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
    if (rule.type == kHttp)
        how = rule.provider == kWebroot ? tr("http-01 in %1").arg(rule.webrootPath)
                                        : tr("http-01 on the service's listener");
    else if (rule.type == kDns && rule.provider == kScript)
        how = tr("dns-01 by script");
    else if (rule.type == kDns) {
        QString credential = rule.credentialId;
        for (const auto& c : catalog.credentials())
            if (c.id == credential)
                credential = c.title;
        how = tr("dns-01 by RFC 2136 (%1)")
                  .arg(credential.isEmpty() ? tr("no credential chosen") : credential);
    } else
        how = tr("tls-alpn-01 on the service's listener");
    return QStringLiteral("%1: %2").arg(who, how);
}

} // namespace ck::gui
