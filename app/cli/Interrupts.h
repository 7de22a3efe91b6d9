#pragma once
// SIGINT and SIGTERM as a Qt signal, for commands that run until the user stops them (log
// --follow). A signal handler may do almost nothing safely -- not touch Qt or stdio -- so it
// only writes one byte to a socket pair; a QSocketNotifier on the other end turns that byte
// into interrupted() in the event loop, where the command can finish cleanly.

#include <QObject>

class QSocketNotifier;

namespace ck::cli {

class Interrupts : public QObject {
    Q_OBJECT
public:
    // Installs the handlers; the previous ones come back when this object is destroyed. One
    // instance at a time.
    explicit Interrupts(QObject* parent = nullptr);
    ~Interrupts() override;
    bool isInstalled() const { return m_notifier != nullptr; }

Q_SIGNALS:
    void interrupted(int signal);

private:
    void onReadable();

    QSocketNotifier* m_notifier = nullptr;
};

} // namespace ck::cli
