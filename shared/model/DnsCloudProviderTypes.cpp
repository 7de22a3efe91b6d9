// The hosted DNS services with a native provider (service/dnsapi): what each needs from the
// user and where the user makes it. Each takes the fields of endpointFields() too, so a
// sovereign cloud, a regional endpoint or a self-hosted server is a setting, not code.

#include "model/DnsProviderSpec.h"

namespace ck::dnsspec {

namespace {
DnsProviderType hosted(const char* id, const char* title, const char* description) {
    DnsProviderType t;
    t.id = QLatin1String(id);
    t.title = QString::fromUtf8(title);
    t.description = QString::fromUtf8(description);
    t.credentialType = t.id;
    t.listsZones = true;
    return t;
}

QString nameServersOf(const char* provider) {
    return QStringLiteral("the zone's name servers as %1 lists them").arg(QLatin1String(provider));
}

DnsProviderType cloudflare() {
    DnsProviderType t = hosted(
        "cloudflare", "Cloudflare",
        "Cloudflare's API (v4) with an API token: each value is a TXT record of its own, added "
        "beside the others at the name and deleted by its id.");
    t.credentialTitle = QStringLiteral("Cloudflare API token");
    t.credentialFields = {secretField(
        "apiToken", "API token",
        "An API token (not the Global API Key) with Zone › Zone › Read and Zone › DNS › Edit "
        "for the zones you issue for")};
    t.credentialFields += endpointFields(QStringLiteral("https://api.cloudflare.com/client/v4"),
                                         nameServersOf("Cloudflare"));
    t.credentialHelp = QStringLiteral(
        "In the Cloudflare dashboard: My Profile › API Tokens › Create Token, template \"Edit "
        "zone DNS\", add the permission Zone › Zone › Read (so the zones can be listed), and "
        "limit Zone Resources to the zones you issue for.");
    t.credentialUrl = QStringLiteral("https://dash.cloudflare.com/profile/api-tokens");
    t.propagationSeconds = 5;
    t.parameters = apiParameters(t.propagationSeconds);
    return t;
}
DnsProviderType digitalOcean() {
    DnsProviderType t = hosted(
        "digitalocean", "DigitalOcean",
        "DigitalOcean's API (v2) with a personal access token: each value is a TXT record of its "
        "own, added beside the others at the name and deleted by its id.");
    t.credentialTitle = QStringLiteral("DigitalOcean API token");
    t.credentialFields = {secretField(
        "apiToken", "Personal access token",
        "A token with the domain:read, domain:create and domain:delete scopes (or full access)")};
    t.credentialFields += endpointFields(QStringLiteral("https://api.digitalocean.com/v2"),
                                         nameServersOf("DigitalOcean"));
    t.credentialHelp = QStringLiteral(
        "In the DigitalOcean control panel: API › Tokens › Generate New Token, with custom scopes "
        "domain: read, create and delete. The token holds for every domain of the team.");
    t.credentialUrl = QStringLiteral("https://cloud.digitalocean.com/account/api/tokens");
    t.propagationSeconds = 5;
    t.parameters = apiParameters(t.propagationSeconds);
    return t;
}
DnsProviderType hetzner() {
    DnsProviderType t = hosted(
        "hetzner", "Hetzner DNS",
        "The Hetzner DNS Console's API with an API token: each value is a TXT record of its own, "
        "added beside the others at the name and deleted by its id.");
    t.credentialTitle = QStringLiteral("Hetzner DNS API token");
    t.credentialFields = {secretField("apiToken", "API token",
                                      "A DNS Console API token (it may change every zone of the "
                                      "account)")};
    t.credentialFields +=
        endpointFields(QStringLiteral("https://dns.hetzner.com/api/v1"), nameServersOf("Hetzner"));
    t.credentialHelp = QStringLiteral(
        "In the Hetzner DNS Console: Manage API tokens › Create access token. A token may read "
        "and change every zone of the account.");
    t.credentialUrl = QStringLiteral("https://dns.hetzner.com/settings/api-token");
    t.propagationSeconds = 10;
    t.parameters = apiParameters(t.propagationSeconds);
    return t;
}
DnsProviderType acmeDns() {
    DnsProviderType t = hosted(
        "acme-dns", "acme-dns",
        "An acme-dns server holds the values at a name of its own; _acme-challenge.<your name> is "
        "a CNAME to it, so no credential for your zone is needed. It keeps the two latest values "
        "(a wildcard and its base name fit) and has no delete: a value is pushed out by later "
        "ones.");
    t.credentialTitle = QStringLiteral("acme-dns registration");
    CredentialField registration[] = {
        field("username", "User", false, ""), secretField("password", "Key", ""),
        field("subdomain", "Subdomain", false, ""), field("fulldomain", "Full domain", false, "")};
    for (CredentialField& f : registration) {
        f.required = false;
        f.help = QStringLiteral("Filled in by Test, which registers at the server once; or "
                                "those of an existing registration");
    }
    const QList<CredentialField> endpoint = endpointFields(
        QStringLiteral("https://auth.acme-dns.io"), QStringLiteral("the API's host on port 53"));
    t.credentialFields = {endpoint[0],
                          field("allowFrom", "Allowed networks", false,
                                "Sent when registering: the networks (CIDR, comma-separated) "
                                "that may update the values, e.g. 192.0.2.10/32; empty: any")};
    t.credentialFields[0].help = QStringLiteral(
        "Your acme-dns server's API, e.g. https://acme-dns.example.com (or a local stand-in for "
        "testing); empty: https://auth.acme-dns.io, the public instance.");
    t.credentialFields += QList<CredentialField>(std::begin(registration), std::end(registration));
    t.credentialFields += endpoint.mid(1);
    t.credentialHelp = QStringLiteral(
        "Give the server's address and press Test: it registers once, stores the user and key "
        "here, and shows the CNAME record to create for each name: _acme-challenge.<name> "
        "CNAME <full domain>.");
    t.credentialUrl = QStringLiteral("https://github.com/joohoi/acme-dns#usage");
    t.parameters = {seconds("propagationDelaySeconds", "Wait after adding (seconds)", 0, 3600,
                            "Waited after the value is set before the server is asked for it")};
    t.listsZones = false;
    return t;
}
DnsProviderType route53() {
    DnsProviderType t = hosted(
        "route53", "Amazon Route 53",
        "Route 53's API with an IAM access key, signed with Signature Version 4: the TXT record "
        "set is replaced in one atomic change batch with the value added or removed, keeping "
        "the others, and the change is waited for until Route 53 reports it INSYNC.");
    t.credentialTitle = QStringLiteral("AWS access key for Route 53");
    CredentialField token = secretField("sessionToken", "Session token",
                                        "Only for temporary credentials (STS); empty for an IAM "
                                        "user's key");
    token.required = false;
    t.credentialFields = {
        field("accessKeyId", "Access key id", true, "An IAM user's access key id (AKIA...)"),
        secretField("secretAccessKey", "Secret access key", "The key's secret"), token,
        field("region", "Signing region", false,
              "us-east-1 for the global endpoint (the default); cn-northwest-1 for "
              "route53.amazonaws.com.cn, us-gov-west-1 for route53.us-gov.amazonaws.com",
              "us-east-1")};
    t.credentialFields +=
        endpointFields(QStringLiteral("https://route53.amazonaws.com"), nameServersOf("Route 53"));
    t.credentialHelp = QStringLiteral(
        "In the IAM console: create a user with an access key and a policy allowing "
        "route53:ListHostedZones, route53:ListHostedZonesByName, route53:GetChange, and "
        "route53:GetHostedZone, route53:ListResourceRecordSets and "
        "route53:ChangeResourceRecordSets on arn:aws:route53:::hostedzone/<your zone ids>.");
    t.credentialUrl = QStringLiteral("https://console.aws.amazon.com/iam/home#/users");
    t.propagationSeconds = 0; // the change is waited for until INSYNC
    t.parameters = apiParameters(t.propagationSeconds);
    return t;
}
DnsProviderType azure() {
    DnsProviderType t = hosted(
        "azure", "Azure DNS",
        "Azure DNS through Resource Manager with an app registration's client secret (OAuth "
        "client credentials): the TXT record set is written back with the value added or "
        "removed, only if it is unchanged since it was read (its etag), keeping the others.");
    t.credentialTitle = QStringLiteral("Azure app registration (client secret)");
    t.credentialFields = {
        field("tenantId", "Directory (tenant) id", true, "The app registration's tenant"),
        field("clientId", "Application (client) id", true, ""),
        secretField("clientSecret", "Client secret",
                    "A secret of the app registration (Certificates & secrets); it expires"),
        field("subscriptionId", "Subscription id", true, "The subscription holding the zones"),
        field("resourceGroup", "Resource group", false,
              "Only the zones of this group; empty: every zone of the subscription")};
    t.credentialFields +=
        endpointFields(QStringLiteral("https://management.azure.com"), nameServersOf("Azure"));
    t.credentialFields[5].help +=
        QStringLiteral(" Sovereign clouds: https://management.usgovcloudapi.net (US Government), "
                       "https://management.chinacloudapi.cn (China).");
    CredentialField authority =
        field("authorityUrl", "Sign-in address", false,
              "Microsoft Entra ID's token service; empty: https://login.microsoftonline.com. "
              "Sovereign clouds: https://login.microsoftonline.us, "
              "https://login.chinacloudapi.cn (or a local stand-in for testing)",
              "https://login.microsoftonline.com");
    t.credentialFields.insert(6, authority);
    t.credentialHelp = QStringLiteral(
        "In the Azure portal: App registrations › New registration, then Certificates & secrets "
        "› New client secret; on each DNS zone (or its resource group) Access control (IAM) › "
        "Add role assignment › DNS Zone Contributor for that app.");
    t.credentialUrl = QStringLiteral(
        "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade");
    t.propagationSeconds = 5;
    t.parameters = apiParameters(t.propagationSeconds);
    return t;
}
DnsProviderType googleCloudDns() {
    DnsProviderType t = hosted(
        "googleclouddns", "Google Cloud DNS",
        "Cloud DNS with a service account's JSON key (a signed JWT exchanged for an OAuth "
        "token): the TXT record set is replaced in one atomic change with the value added or "
        "removed, keeping the others, and the change is waited for until it is done.");
    t.credentialTitle = QStringLiteral("Google Cloud service account key");
    CredentialField project = field("projectId", "Project id", false,
                                    "The project holding the zones; empty: the key's project");
    t.credentialFields = {
        secretField("serviceAccountKey", "Service account key (JSON)",
                    "The whole JSON key file of a service account with the role DNS "
                    "Administrator; its token_uri says where the token is asked for (Google's, "
                    "or a local stand-in for testing)"),
        project};
    t.credentialFields += endpointFields(QStringLiteral("https://dns.googleapis.com/dns/v1"),
                                         nameServersOf("Cloud DNS"));
    t.credentialHelp = QStringLiteral(
        "In the Google Cloud console: IAM & Admin › Service Accounts › Create service account, "
        "grant it DNS Administrator (roles/dns.admin) on the project, then Keys › Add key › JSON "
        "and paste the file's contents here.");
    t.credentialUrl = QStringLiteral("https://console.cloud.google.com/iam-admin/serviceaccounts");
    t.propagationSeconds = 0; // the change is waited for until done
    t.parameters = apiParameters(t.propagationSeconds);
    return t;
}
} // namespace

QList<DnsProviderType> cloudProviderTypes() {
    return {cloudflare(), digitalOcean(), hetzner(),       acmeDns(),
            route53(),    azure(),        googleCloudDns()};
}

} // namespace ck::dnsspec
