#pragma once
// A D-Bus session bus of the test's own: dbus-daemon (Debian package dbus-daemon) with a
// configuration written here, listening on a socket in a temporary directory, stopped with this
// object (or by ManagedProcess's clean-up however the test ends). Its configuration names no
// service directories, so nothing installed on the machine (a real notification server) can be
// started on it by activation: only what the test registers answers.
//
// Point the process at it before anything connects to the session bus (QtDBus connects once,
// for the life of the process): start() it, then set DBUS_SESSION_BUS_ADDRESS to address() before
// the QApplication is made.

#include "ManagedProcess.h"

#include <QString>
#include <QTemporaryDir>

namespace ck::test {

class PrivateSessionBus {
public:
    // Starts dbus-daemon and waits until it says its address (it listens by then). False on
    // failure; errorString() says why.
    bool start(int timeoutMs = 10000);
    QString address() const { return m_address; }
    QString errorString() const { return m_error; }

private:
    QTemporaryDir m_dir;
    ManagedProcess m_process;
    QString m_address;
    QString m_error;
};

} // namespace ck::test
