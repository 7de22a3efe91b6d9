#pragma once
// Starting a server the tests need (Pebble, BIND9, PowerDNS, pebble-challtestsrv) on free
// loopback ports. A port chosen free may be taken by another test before the server binds it;
// the server then says so in its log, and it is started again on new ports (five tries).

#include "ManagedProcess.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace ck::test {

struct PeerLaunch {
    QString name;    // as the messages say it: "pdns_server"
    QString program; // found already (findProgram)
    QString logFile; // the server's output; removed before each try
    QString workDir;
    QProcessEnvironment environment; // empty: this process's
    int portCount = 1;
    bool udpToo = false; // a DNS server: free for UDP as well
    // Writes the configuration for these ports and returns the server's arguments; nothing,
    // with `error` set, when it cannot.
    std::function<std::optional<QStringList>(const std::vector<int>& ports, QString& error)>
        configure;
    // Polled every 50 ms while it runs: true when it answers on its own ports.
    std::function<bool()> ready;
    QString awaited;            // "answer SOA example.test.": for the message when it does not
    QStringList portTakenSigns; // log lines that say a port was taken: try new ports
};

// Starts the server and waits up to `timeoutMs` each try until it is ready. False with `error`
// (the server's log included) when it exits, does not answer, or keeps finding ports taken.
bool startOnFreePorts(ManagedProcess& process, const PeerLaunch& launch, int timeoutMs,
                      QString& error);

} // namespace ck::test
