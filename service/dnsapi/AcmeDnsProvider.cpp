#include "dnsapi/AcmeDnsProvider.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ck::dnsapi {

namespace {
const QString kDefaultApi = QStringLiteral("https://auth.acme-dns.io");

bool hasLineBreak(const QString& s) {
    return s.contains(u'\r') || s.contains(u'\n');
}
} // namespace

AcmeDnsProvider::AcmeDnsProvider(process::ProcessRunner& runner, AcmeDnsSettings settings,
                                 HttpDnsOptions options)
    : HttpDnsProvider(runner, *findDnsProviderType(QStringLiteral("acme-dns")), std::move(options)),
      m_settings(std::move(settings)) {
    m_api = apiBaseUrl(m_settings.apiUrl, kDefaultApi, QStringLiteral("apiUrl"));
    for (QString* s : {&m_settings.username, &m_settings.password, &m_settings.subdomain,
                       &m_settings.fulldomain})
        *s = s->trimmed();
    if (hasLineBreak(m_settings.username) || hasLineBreak(m_settings.password))
        throw InvalidInputError(QStringLiteral("The acme-dns user and key cannot hold line breaks"),
                                QStringLiteral("password"));
    const bool registered = !m_settings.username.isEmpty();
    if (registered && (m_settings.password.isEmpty() || m_settings.subdomain.isEmpty() ||
                       m_settings.fulldomain.isEmpty()))
        throw InvalidInputError(
            QStringLiteral("The acme-dns registration is incomplete: it needs the user, key, "
                           "subdomain and full domain the server returned (or none of them, "
                           "and Test registers anew)"),
            QStringLiteral("password"));
    checkCommonOptions(this->options());
}

QString AcmeDnsProvider::endpoint() const {
    return m_api.toString();
}

QString AcmeDnsProvider::credentialScope() const {
    return QStringLiteral("An acme-dns registration may only set the TXT values of %1; it cannot "
                          "touch any zone of yours.")
        .arg(m_settings.fulldomain);
}

QString AcmeDnsProvider::cnameAdvice() const {
    return QStringLiteral("create, in your DNS, a CNAME record _acme-challenge.<name> pointing to "
                          "%1. for each name you issue for (a wildcard *.example.com uses "
                          "_acme-challenge.example.com, like example.com)")
        .arg(m_settings.fulldomain);
}

QString AcmeDnsProvider::providerText(const net::OutgoingHttpResult& answer) const {
    // {"error": "forbidden"}, {"error": "bad_txt"}, ...
    const QString error =
        QJsonDocument::fromJson(answer.body).object().value("error").toString().trimmed();
    return error.isEmpty() ? HttpDnsProvider::providerText(answer) : error.left(300);
}

QString AcmeDnsProvider::adviceFor(const net::OutgoingHttpResult& answer,
                                   const QString& zone) const {
    if (answer.status == 401)
        return QStringLiteral("; acme-dns did not accept the user and key, or this machine's "
                              "address is not in the registration's allowed networks: check "
                              "the credential, or remove its user and key and press Test to "
                              "register anew (then change the CNAME records to the new name)");
    return HttpDnsProvider::adviceFor(answer, zone);
}

net::OutgoingHttp AcmeDnsProvider::request(const QString& path) const {
    return jsonRequest(QStringLiteral("POST"), m_api.toString() + path);
}

awaitable<QStringList> AcmeDnsProvider::zones() {
    co_return m_settings.fulldomain.isEmpty() ? QStringList() : QStringList{m_settings.fulldomain};
}

awaitable<QString> AcmeDnsProvider::zoneFor(const QString&) {
    if (m_settings.username.isEmpty())
        throw InvalidInputError(
            QStringLiteral("%1: the acme-dns credential is not registered yet: press Test on it "
                           "(certkeeper-cli credential test ID) to register it, then create the "
                           "CNAME record it shows")
                .arg(title()),
            QStringLiteral("requestConfig.challenges"));
    co_return absolute(m_settings.fulldomain);
}

awaitable<void> AcmeDnsProvider::addTxt(const QString& zone, const QString& name,
                                        const QString& value) {
    const QString action = QStringLiteral("set the TXT value for %1").arg(name);
    net::OutgoingHttp update = request(QStringLiteral("/update"));
    update.headers.append(qMakePair(QByteArray("X-Api-User"), m_settings.username.toUtf8()));
    update.headers.append(qMakePair(QByteArray("X-Api-Key"), m_settings.password.toUtf8()));
    setJsonBody(update, {{"subdomain", m_settings.subdomain}, {"txt", value}});
    co_await sendOk(std::move(update), zone, action);
}

awaitable<void> AcmeDnsProvider::removeTxt(const QString&, const QString&, const QString&) {
    // acme-dns has no delete: the value is pushed out by the next two (see the header).
    co_return;
}

QList<challenges::dns::DnsServer> AcmeDnsProvider::checkServers(const QString&) const {
    if (!options().dnsServer.isEmpty())
        return {parseDnsServer(options().dnsServer)};
    return {challenges::dns::DnsServer{m_api.host(), 53, {}}};
}

QString AcmeDnsProvider::checkedName(const QString&) const {
    return absolute(m_settings.fulldomain);
}

awaitable<void> AcmeDnsProvider::registerAccount() {
    const QString action = QStringLiteral("register a new acme-dns account");
    QJsonArray allowed;
    for (const QString& net : m_settings.allowFrom.split(u',', Qt::SkipEmptyParts))
        allowed.append(net.trimmed());
    net::OutgoingHttp post = request(QStringLiteral("/register"));
    if (!allowed.isEmpty())
        setJsonBody(post, {{"allowfrom", allowed}});
    const net::OutgoingHttpResult answer = co_await sendOk(std::move(post), {}, action);
    const QJsonObject o = jsonObject(answer, {}, action);
    m_settings.username = o.value("username").toString();
    m_settings.password = o.value("password").toString();
    m_settings.subdomain = o.value("subdomain").toString();
    m_settings.fulldomain = o.value("fulldomain").toString();
    if (m_settings.username.isEmpty() || m_settings.password.isEmpty() ||
        m_settings.subdomain.isEmpty() || m_settings.fulldomain.isEmpty())
        throw failure(action, {},
                      QStringLiteral("the answer lacks the user, key, subdomain or full domain; "
                                     "is %1 an acme-dns server?")
                          .arg(endpoint()));
}

awaitable<CredentialTest> AcmeDnsProvider::testCredential(const StoredCredential& credential,
                                                          credentials::CredentialStore& store) {
    if (m_settings.username.isEmpty()) {
        co_await registerAccount();
        QJsonObject values = store.values(credential.id);
        values.insert("username", m_settings.username);
        values.insert("password", m_settings.password);
        values.insert("subdomain", m_settings.subdomain);
        values.insert("fulldomain", m_settings.fulldomain);
        store.update(credential.id, values);
        CredentialTest registered;
        registered.ok = true;
        registered.message = QStringLiteral("Registered at %1 as %2 and stored in the credential "
                                            "'%3'. Now %4. %5")
                                 .arg(title(), m_settings.fulldomain, credential.title,
                                      cnameAdvice(), credentialScope());
        registered.cname = m_settings.fulldomain;
        co_return registered;
    }
    net::OutgoingHttp health = request(QStringLiteral("/health"));
    health.method = QStringLiteral("GET");
    co_await sendOk(std::move(health), {}, QStringLiteral("ask the server whether it runs"));
    CredentialTest answers;
    answers.ok = true;
    answers.message = QStringLiteral("%1 answers; the credential is registered as %2 (acme-dns "
                                     "cannot check its key without changing a value: the first "
                                     "request does). Make sure you %3. %4")
                          .arg(title(), m_settings.fulldomain, cnameAdvice(), credentialScope());
    answers.cname = m_settings.fulldomain;
    co_return answers;
}

std::unique_ptr<HttpDnsProvider> makeAcmeDnsProvider(process::ProcessRunner& runner,
                                                     AcmeDnsSettings settings,
                                                     HttpDnsOptions options) {
    return std::make_unique<AcmeDnsProvider>(runner, std::move(settings), std::move(options));
}

} // namespace ck::dnsapi
