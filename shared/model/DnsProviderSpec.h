#pragma once
// Building blocks of the dns-01 provider catalogue (DnsProviderTypes.cpp, the files that
// describe the hosted DNS services, and service/dnsapi/LexiconCatalogue.cpp, which describes
// lexicon's providers at run time), not for use elsewhere: credential fields, challenge
// parameters, and the fields every provider with a hosted HTTP API shares.

#include "model/DnsProviderTypes.h"

namespace ck::dnsspec {

CredentialField field(const char* name, const char* title, bool required, const char* help,
                      const char* defaultValue = "");
CredentialField secretField(const char* name, const char* title, const char* help);
TaskParameterSpec parameter(const char* key, const char* label, TaskParameterKind kind,
                            const char* description, QJsonValue defaultValue = {});
TaskParameterSpec seconds(const char* key, const char* label, int defaultValue, int maximum,
                          const char* description);
// "zone" and "propagationDelaySeconds".
QList<TaskParameterSpec> apiParameters(int propagationSeconds);
// "apiUrl" (optional, `defaultUrl` when empty), "trustedRootFile" and "dnsServer" (optional;
// `checkedByDefault` says which servers are asked without it).
QList<CredentialField> endpointFields(const QString& defaultUrl, const QString& checkedByDefault);

// The hosted DNS services with a native provider (DnsCloudProviderTypes.cpp), in menu order.
QList<DnsProviderType> cloudProviderTypes();

} // namespace ck::dnsspec
