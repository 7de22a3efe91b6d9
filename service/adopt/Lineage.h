#pragma once
// One certificate another ACME client keeps, as read from that client's own files: its
// certificate and key, the CA and account it used, how it proved the names, and the files the
// machine's servers read. The readers (CertbotLayout, LegoLayout, AcmeShLayout) fill it; the
// plan (AdoptionPlanner) judges it. Reading problems are kept in `problem`, never thrown, so one
// bad lineage does not hide the others.

#include "model/Adoption.h"
#include "model/ManagedCertificate.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace ck::adopt {

// The ACME account the lineage was requested with.
struct LineageAccount {
    QByteArray keyPem; // PEM (converted from certbot's JWK); empty when not found
    QString url;       // the CA's URL for it ("kid"); empty when the tool did not keep it
    QString email;
    QString problem; // why the account cannot be imported; empty when it can
};

struct Lineage {
    QString tool;
    QString name;        // the tool's name for it
    QString configPath;  // the file that describes it (certbot's renewal/<name>.conf ...)
    QByteArray certPem;  // the leaf
    QByteArray chainPem; // the intermediates the CA sent
    QByteArray keyPem;
    QString serverUrl; // the ACME directory it came from
    LineageAccount account;
    QList<ChallengeConfig> challenges; // how Certkeeper will prove the names
    QString challengeText;             // the same in words, for the plan
    QList<AdoptionTarget> targets;     // the files the old tool wrote, rewritten on renewal
    QStringList notes;
    QString problem; // why it cannot be read at all; empty when it could
};

// What a reader of one tool's folder found: its lineages, or why the folder cannot be read.
struct LayoutRead {
    QString folder; // the folder read, absolute
    QList<Lineage> lineages;
    QString problem; // the folder is missing or not the tool's; empty otherwise
};

} // namespace ck::adopt
