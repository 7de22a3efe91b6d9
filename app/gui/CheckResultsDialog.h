#pragma once
// A simple window for the answer of Preview (what a request would do, step by step) or Test (the
// configuration checks), written out as a readable document. A stand-in until the certificate
// editor's Preview and Test tabs show these; the texts are the service's own.

#include "model/ActionStep.h"

#include <QDialog>

class QTextBrowser;

namespace ck::gui {

class CheckResultsDialog : public QDialog {
    Q_OBJECT
public:
    // Preview: what a request would do.
    CheckResultsDialog(const QString& itemName, const QList<ActionStep>& steps,
                       QWidget* parent = nullptr);
    // Test: the checks of the configuration.
    CheckResultsDialog(const QString& itemName, const TestReport& report,
                       QWidget* parent = nullptr);

    QString text() const; // the document as plain text (tests read it)

    // The answers as Markdown: numbered steps with their warnings and errors, or the checks with
    // a verdict first.
    static QString previewMarkdown(const QList<ActionStep>& steps);
    static QString testMarkdown(const TestReport& report);

private:
    void build(const QString& name, const QString& title, const QString& what,
               const QString& markdown);

    QTextBrowser* m_browser;
};

} // namespace ck::gui
