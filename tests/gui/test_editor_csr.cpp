// The editor's "Use my own CSR" choice against the real service: chosen where the key type is,
// a CSR opened from a .csr file shows its names read-only in place of the domain list and is
// stored with the item (the service takes the names from it); reopened, the item shows the CSR
// again; a damaged CSR is refused at the key's field with the service's words and nothing typed
// is lost. The CSRs are made by openssl, whose keys the app and the service never see.

#include "EditorFixture.h"
#include "ManagedProcess.h"
#include "gui/editor/CsrPanel.h"

#include <QTemporaryDir>

using namespace ck;
using namespace ck::gui;
using namespace ck::test;

namespace {
QString makeCsr(const QTemporaryDir& dir, const QString& name, const QString& sans) {
    const QString csr = dir.filePath(name + QStringLiteral(".csr"));
    const ToolResult run =
        runTool(findProgram(QStringLiteral("openssl")),
                {"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", dir.filePath(name + QStringLiteral(".key")), "-subj", "/CN=" + name,
                 "-addext", "subjectAltName=" + sans, "-out", csr});
    if (run.exitCode != 0)
        qWarning("openssl: %s", run.stdErr.constData());
    return csr;
}
} // namespace

class EditorCsrTest : public EditorFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(startService()); }
    void cleanupTestCase() { stopService(); }

    void aCsrChosenInTheEditorGivesTheNamesAndIsStored() {
        QTemporaryDir dir;
        const QString csr = makeCsr(dir, QStringLiteral("csr.example.com"),
                                    QStringLiteral("DNS:csr.example.com,DNS:www.csr.example.com"));
        auto dialog = openEditor();
        typeInto(child<QLineEdit>(dialog.get(), "nameEdit"), "Mine");
        auto* panel = child<CsrPanel>(dialog.get(), "csrPanel");
        QVERIFY(!panel->isVisible()); // a key type is chosen by default
        QVERIFY(child<QCheckBox>(dialog.get(), "reuseKeyCheck")->isVisible());
        QVERIFY(choose(child<QComboBox>(dialog.get(), "keyTypeCombo"), "csr"));
        QVERIFY(panel->isVisible());
        QVERIFY(!child<QCheckBox>(dialog.get(), "reuseKeyCheck")->isVisible());
        QVERIFY(child<QLabel>(dialog.get(), "csrNamesLabel")->text().contains("Paste a CSR"));

        QVERIFY(panel->openFile(csr)); // what "Open .csr file…" does with the file chosen
        QCOMPARE(child<QLabel>(dialog.get(), "csrNamesLabel")->text(),
                 QStringLiteral("Names from the CSR: csr.example.com, www.csr.example.com"));
        // The names are the CSR's: shown in the domain list, which cannot be edited.
        auto* list = child<QTreeView>(dialog.get(), "domainsList");
        QCOMPARE(list->model()->rowCount(), 2);
        QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("csr.example.com"));
        QVERIFY(!child<QLineEdit>(dialog.get(), "domainInput")->isEnabled() ||
                child<QLineEdit>(dialog.get(), "domainInput")->isReadOnly());

        click(child<QPushButton>(dialog.get(), "saveButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isVisible(), kWaitMs);
        const QJsonObject stored = itemNamed(*m_service, "Mine");
        const QJsonObject rc = stored.value("requestConfig").toObject();
        QVERIFY(rc.value("csrPem").toString().contains("BEGIN CERTIFICATE REQUEST"));
        QCOMPARE(rc.value("subjectAlternativeNames").toArray(),
                 QJsonArray({"csr.example.com", "www.csr.example.com"}));

        // Opened again: the CSR is the choice, with its names.
        auto again = openEditorOn(stored.value("id").toString());
        QCOMPARE(child<QComboBox>(again.get(), "keyTypeCombo")->currentData().toString(),
                 QStringLiteral("csr"));
        QVERIFY(child<CsrPanel>(again.get(), "csrPanel")->isVisible());
        QVERIFY(
            child<QLabel>(again.get(), "csrNamesLabel")->text().contains("www.csr.example.com"));
        VERIFY_KEYBOARD_AND_NAMES(again.get());
    }

    void aDamagedCsrIsRefusedAtItsFieldAndNothingIsLost() {
        QTemporaryDir dir;
        const QString csr =
            makeCsr(dir, QStringLiteral("bad.example.com"), QStringLiteral("DNS:bad.example.com"));
        QFile file(csr);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray pem = file.readAll();
        // One base64 character of the signature changed: still a CSR, no longer signed.
        const qsizetype end = pem.indexOf("-----END");
        pem[end - 6] = pem[end - 6] == 'A' ? 'B' : 'A';
        auto dialog = openEditor();
        typeInto(child<QLineEdit>(dialog.get(), "nameEdit"), "Damaged");
        QVERIFY(choose(child<QComboBox>(dialog.get(), "keyTypeCombo"), "csr"));
        child<CsrPanel>(dialog.get(), "csrPanel")->setPem(QString::fromLatin1(pem));
        click(child<QPushButton>(dialog.get(), "saveButton"));
        auto* error = child<QLabel>(dialog.get(), "keyError");
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), kWaitMs);
        QVERIFY2(error->text().contains("signature does not verify") ||
                     error->text().contains("not a PEM certificate signing request"),
                 qPrintable(error->text()));
        QVERIFY(dialog->isVisible());
        QCOMPARE(child<QLineEdit>(dialog.get(), "nameEdit")->text(), QStringLiteral("Damaged"));
        QCOMPARE(child<CsrPanel>(dialog.get(), "csrPanel")->pem(),
                 QString::fromLatin1(pem).trimmed());
        QVERIFY(itemNamed(*m_service, "Damaged").isEmpty());
    }
};

QTEST_MAIN(EditorCsrTest)
#include "test_editor_csr.moc"
