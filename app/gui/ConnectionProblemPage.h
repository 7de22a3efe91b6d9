#pragma once
// What the window shows instead of the list when it cannot reach the service: the diagnosis in
// plain words (objectName "connectionProblemLabel"), where it looked, and a Retry button. The
// window keeps retrying on its own, so starting the service is enough to get the list back.

#include <QWidget>

class QLabel;
class QPushButton;

namespace ck::gui {

class ConnectionProblemPage : public QWidget {
    Q_OBJECT
public:
    explicit ConnectionProblemPage(QWidget* parent = nullptr);

    void showProblem(const QString& explanation, const QString& serverUrl, const QString& dataDir,
                     int retrySeconds);
    QString explanation() const;

Q_SIGNALS:
    void retryRequested();

private:
    QLabel* m_explanation;
    QLabel* m_details;
    QPushButton* m_retry;
};

} // namespace ck::gui
