#pragma once
// The status bar's message of the moment ("Renewed shop.example.com", "The service could not
// count the certificates: ..."): a label that takes the room left of the permanent widgets (the
// counts, Live, the service) and never more, so a long message is shortened with "…" (whole in
// its tooltip) instead of running under them. It clears itself after the time it was given.

#include <QLabel>

class QTimer;

namespace ck::gui {

class StatusMessage : public QLabel {
    Q_OBJECT
public:
    explicit StatusMessage(QWidget* parent = nullptr);

    // Shows `text` for `timeoutMs` (0: until replaced or cleared).
    void showMessage(const QString& text, int timeoutMs);
    void clearMessage();
    QString message() const { return m_message; }

    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void elide();

    QString m_message;
    QTimer* m_timer;
};

} // namespace ck::gui
