#include "PrivateSessionBus.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QThread>

namespace ck::test {

namespace {
// A session bus on which anyone may own any name and call anyone: only the test's processes can
// reach its socket.
const char* const kConfig = R"(<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%1</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)";
} // namespace

bool PrivateSessionBus::start(int timeoutMs) {
    const QString program = findProgram(QStringLiteral("dbus-daemon"));
    if (program.isEmpty()) {
        m_error = QStringLiteral("dbus-daemon is not installed (Debian package dbus-daemon)");
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory: %1").arg(m_dir.errorString());
        return false;
    }
    const QString configPath = m_dir.filePath(QStringLiteral("bus.conf"));
    QFile config(configPath);
    if (!config.open(QIODevice::WriteOnly) ||
        config.write(QString::fromLatin1(kConfig)
                         .arg(m_dir.filePath(QStringLiteral("bus")).toHtmlEscaped())
                         .toUtf8()) < 0) {
        m_error = QStringLiteral("cannot write %1").arg(configPath);
        return false;
    }
    config.close();
    m_process.setMarksStarts(false); // the log is where the address is read from
    if (!m_process.start(program,
                         {QStringLiteral("--config-file=") + configPath, QStringLiteral("--nofork"),
                          QStringLiteral("--print-address=1")},
                         m_dir.filePath(QStringLiteral("dbus-daemon.log")))) {
        m_error = QStringLiteral("cannot start dbus-daemon: %1").arg(m_process.errorString());
        return false;
    }
    // It prints its address once it listens.
    static const QRegularExpression addressLine(QStringLiteral("^(unix:\\S+)$"),
                                                QRegularExpression::MultilineOption);
    QElapsedTimer timer;
    timer.start();
    while (m_process.isRunning() && timer.elapsed() < timeoutMs) {
        const QRegularExpressionMatch match = addressLine.match(m_process.output());
        if (match.hasMatch()) {
            m_address = match.captured(1);
            return true;
        }
        QThread::msleep(20);
    }
    m_error = QStringLiteral("dbus-daemon did not say its address within %1 ms; its log:\n%2")
                  .arg(timeoutMs)
                  .arg(m_process.output());
    m_process.stop();
    return false;
}

} // namespace ck::test
