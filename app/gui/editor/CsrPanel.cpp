#include "gui/editor/CsrPanel.h"

#include "model/CsrNames.h"

#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ck::gui {

namespace {
constexpr qint64 kMaxCsrBytes = 64 * 1024; // a CSR is a few KiB at most
}

CsrPanel::CsrPanel(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("csrPanel"));
    m_edit = new QPlainTextEdit(this);
    m_edit->setObjectName(QStringLiteral("csrEdit"));
    m_edit->setAccessibleName(tr("Your certificate signing request (PEM)"));
    m_edit->setPlaceholderText(tr("Paste the CSR: -----BEGIN CERTIFICATE REQUEST----- …"));
    m_edit->setTabChangesFocus(true);
    m_edit->setMaximumHeight(m_edit->fontMetrics().lineSpacing() * 6 + 12);
    m_open = new QPushButton(tr("Open .csr &file…"), this);
    m_open->setObjectName(QStringLiteral("openCsrButton"));
    m_open->setAutoDefault(false);
    m_namesLabel = new QLabel(this);
    m_namesLabel->setObjectName(QStringLiteral("csrNamesLabel"));
    m_namesLabel->setWordWrap(true);
    m_namesLabel->setTextFormat(Qt::PlainText);
    m_namesLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* hint = new QLabel(tr("The names are the CSR's, and its private key stays with you: "
                               "Certkeeper makes no key, so exports that need one cannot run."),
                            this);
    hint->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit);
    layout->addLayout(buttons);
    layout->addWidget(m_namesLabel);
    layout->addWidget(hint);

    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        readNames();
        if (m_edit->hasFocus())
            Q_EMIT edited();
    });
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open a certificate signing request"), QString(),
            tr("Certificate signing requests (*.csr *.pem *.req);;All files (*)"));
        if (!path.isEmpty())
            openFile(path);
    });
    readNames();
}

QString CsrPanel::pem() const {
    return m_edit->toPlainText().trimmed();
}

void CsrPanel::setPem(const QString& pem) {
    m_edit->setPlainText(pem);
    readNames();
}

bool CsrPanel::openFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxCsrBytes) {
        m_namesLabel->setText(file.isOpen()
                                  ? tr("%1 is too large to be a CSR").arg(path)
                                  : tr("Cannot open %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_edit->setPlainText(QString::fromLatin1(file.readAll()));
    readNames();
    Q_EMIT edited();
    return true;
}

void CsrPanel::setReadOnly(bool readOnly) {
    m_edit->setReadOnly(readOnly);
    m_open->setEnabled(!readOnly);
}

void CsrPanel::readNames() {
    const QString text = pem();
    if (text.isEmpty()) {
        m_names.clear();
        m_namesLabel->setText(tr("Paste a CSR or open a .csr file."));
        return;
    }
    const CsrNames read = csrNamesFromPem(text.toLatin1());
    m_names = read.dnsNames;
    m_namesLabel->setText(read.problem.isEmpty()
                              ? tr("Names from the CSR: %1").arg(m_names.join(QStringLiteral(", ")))
                              : read.problem);
}

} // namespace ck::gui
