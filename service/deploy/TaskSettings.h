#pragma once
// A task's parameters as typed settings, defaults from the catalogue filled in, for the runner and
// the dry run alike. Items saved before a rule existed may still hold odd values, so every reader
// of these settings reports a missing value itself instead of trusting validation.

#include "model/ManagedCertificate.h"

#include <QStringList>

#include <chrono>

namespace ck::deploy {

using std::chrono::seconds;

struct ExportSettings {
    QString format;
    QString path;
    QString owner; // empty: the service's user
    QString group; // empty: the service's group
    QString modeText;
    // The mode to give the file: the one asked for, else 0600 for key material, 0644 otherwise.
    // -1 when modeText is not a mode.
    int mode() const;
    static ExportSettings of(const DeploymentTask& task);
};

struct ScriptSettings {
    QString program;
    QStringList arguments; // before $variables are replaced
    QString workingDirectory;
    seconds timeout{300};
    static ScriptSettings of(const DeploymentTask& task);
};

struct ReloadSettings {
    QString commandLine;
    QStringList command; // program first; split like a shell would split words, without a shell
    seconds timeout{60};
    QString checkHost; // empty: no check
    int checkPort = 443;
    QString checkServerName; // the primary domain unless set
    seconds checkWait{30};
    static ReloadSettings of(const DeploymentTask& task, const ManagedCertificate& item);
};

struct WebhookSettings {
    QString url;
    QString method;
    QString contentType;
    QString body; // a template
    seconds timeout{30};
    static WebhookSettings of(const DeploymentTask& task);
};

struct WaitSettings {
    seconds duration{10};
    static WaitSettings of(const DeploymentTask& task);
};

// "`program` `arg one` `arg2`": a command as Markdown, each word in code quotes.
QString describeCommand(const QString& program, const QStringList& arguments);

} // namespace ck::deploy
