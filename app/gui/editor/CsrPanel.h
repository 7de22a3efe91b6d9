#pragma once
// "Use my own CSR" on the Certificate tab: the CSR pasted or opened from a .csr file, and the
// names it asks for, shown read-only as they are read (the service checks the CSR itself when
// the item is saved and takes the certificate's names from it).

#include <QStringList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace ck::gui {

class CsrPanel : public QWidget {
    Q_OBJECT
public:
    explicit CsrPanel(QWidget* parent);

    QString pem() const;
    void setPem(const QString& pem);
    QStringList names() const { return m_names; } // as read from the CSR; empty when none
    void setReadOnly(bool readOnly);
    QPlainTextEdit* editor() const { return m_edit; }
    // Opens `path` as the CSR (the "Open .csr file…" button, after its file dialog). False with
    // the reason shown when it cannot be read.
    bool openFile(const QString& path);

Q_SIGNALS:
    void edited(); // by the user: pasted, typed or opened

private:
    void readNames();

    QPlainTextEdit* m_edit;
    QPushButton* m_open;
    QLabel* m_namesLabel;
    QStringList m_names;
};

} // namespace ck::gui
