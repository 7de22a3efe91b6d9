#pragma once
// The readers of each tool's folder, one file each: what certbot (renewal/*.conf and the
// accounts/ folder), lego (certificates/ and accounts/, its --path) and acme.sh (one folder per
// certificate with <domain>.conf, and ca/) keep, read into Lineages. Blocking, small files only.

#include "adopt/Lineage.h"

namespace ck::adopt {

// `folder` empty: the tool's default (/etc/letsencrypt, ./.lego, ~/.acme.sh).
LayoutRead readCertbot(const QString& folder);
LayoutRead readLego(const QString& folder);
LayoutRead readAcmeSh(const QString& folder);

// The reader for `tool` (adoption_tools); throws InvalidInputError for an unknown tool.
LayoutRead readLayout(const QString& tool, const QString& folder);

// Shared by the readers: the challenge rules for proving names with Certkeeper's own http-01
// listener, or by files in a webroot.
ChallengeConfig listenerChallenge();
ChallengeConfig webrootChallenge(const QString& webroot, const QString& domainMatch = {});

} // namespace ck::adopt
