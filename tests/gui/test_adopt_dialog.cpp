// File > Adopt Certificates… against the real service: the plan of a certbot folder shows one
// row per lineage with why one cannot be adopted (a key that is not its certificate's), Adopt
// creates the other and says so, and a folder that is not there is one row saying so. The
// lineages are laid out as certbot keeps them (renewal/<name>.conf naming the files), with
// certificates made by openssl; their CA is a custom CA of the service with the directory the
// renewal file names. (Adoption of lineages certbot and lego really made, with Pebble, is
// tests/e2e/test_adoption.)

#include "EditorFixture.h"
#include "ManagedProcess.h"
#include "gui/AdoptDialog.h"

#include <QTemporaryDir>

using namespace ck;
using namespace ck::gui;
using namespace ck::test;

namespace {
const QString kDirectory = QStringLiteral("https://acme.example.net/directory");

void lineage(const QString& config, const QString& name, bool otherKey) {
    const QString dir = config + QStringLiteral("/live/") + name;
    QDir().mkpath(dir);
    QDir().mkpath(config + QStringLiteral("/renewal"));
    const ToolResult made =
        runTool(findProgram(QStringLiteral("openssl")),
                {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", dir + "/privkey.pem", "-out", dir + "/cert.pem", "-subj", "/CN=" + name,
                 "-addext", "subjectAltName=DNS:" + name, "-days", "60"});
    if (made.exitCode != 0)
        qWarning("openssl: %s", made.stdErr.constData());
    if (otherKey) // a key from another request beside the certificate
        (void)runTool(findProgram(QStringLiteral("openssl")),
                      {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                       dir + "/privkey.pem"});
    QFile::copy(dir + "/cert.pem", dir + "/fullchain.pem");
    QFile chain(dir + "/chain.pem");
    (void)chain.open(QIODevice::WriteOnly);
    QFile conf(config + QStringLiteral("/renewal/%1.conf").arg(name));
    (void)conf.open(QIODevice::WriteOnly);
    conf.write(QStringLiteral("cert = %1/cert.pem\nprivkey = %1/privkey.pem\nchain = "
                              "%1/chain.pem\nfullchain = %1/fullchain.pem\n[renewalparams]\n"
                              "server = %2\nauthenticator = standalone\n")
                   .arg(dir, kDirectory)
                   .toUtf8());
}
} // namespace

class AdoptDialogTest : public EditorFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(startService());
        const auto ca =
            rawHttpFor(*m_service)
                .post("/api/certificateauthorities", QJsonObject{{"id", "example"},
                                                                 {"title", "Example CA"},
                                                                 {"directoryUrl", kDirectory}});
        QVERIFY2(ca.status == 201, ca.body.c_str());
    }
    void cleanupTestCase() { stopService(); }

    void thePlanSaysWhyAndAdoptCreatesTheRest() {
        QTemporaryDir work;
        const QString config = work.filePath(QStringLiteral("letsencrypt"));
        lineage(config, QStringLiteral("fresh.example.com"), false);
        lineage(config, QStringLiteral("other.example.com"), true);
        AdoptDialog dialog(m_client.get(), nullptr);
        dialog.show();
        VERIFY_KEYBOARD_AND_NAMES(&dialog);
        QVERIFY(choose(child<QComboBox>(&dialog, "toolCombo"), "certbot"));
        typeInto(child<QLineEdit>(&dialog, "pathEdit"), config);
        auto* adopt = child<QPushButton>(&dialog, "adoptButton");
        QVERIFY(!adopt->isEnabled()); // nothing to adopt before the plan is shown
        click(child<QPushButton>(&dialog, "planButton"));
        auto* rows = child<QTreeWidget>(&dialog, "planRows");
        QTRY_COMPARE_WITH_TIMEOUT(rows->topLevelItemCount(), 2, kWaitMs);
        QCOMPARE(treeColumn(rows, 0), QStringList({"fresh.example.com", "other.example.com"}));
        QCOMPARE(treeColumn(rows, 1), QStringList({"Will be adopted", "Not adopted"}));
        QVERIFY(rows->topLevelItem(1)->text(4).contains("does not match its certificate"));
        QVERIFY(rows->topLevelItem(0)->text(4).contains(config +
                                                        "/live/fresh.example.com/fullchain.pem"));
        QVERIFY(itemNamed(*m_service, "fresh.example.com").isEmpty()); // a plan creates nothing

        QSignalSpy adopted(&dialog, &AdoptDialog::adopted);
        click(adopt);
        QTRY_COMPARE_WITH_TIMEOUT(adopted.count(), 1, kWaitMs);
        QCOMPARE(treeColumn(rows, 1), QStringList({"Adopted", "Not adopted"}));
        QVERIFY(child<QLabel>(&dialog, "adoptStatus")->text().contains("1 certificate(s) adopted"));
        QVERIFY(!adopt->isEnabled());
        const QJsonObject item = itemNamed(*m_service, "fresh.example.com");
        QCOMPARE(item.value("certificateAuthorityId").toString(), QStringLiteral("example"));
        QVERIFY(itemNamed(*m_service, "other.example.com").isEmpty());
    }

    void aMissingFolderIsOneRowSayingSo() {
        QTemporaryDir work;
        AdoptDialog dialog(m_client.get(), nullptr);
        dialog.show();
        QVERIFY(choose(child<QComboBox>(&dialog, "toolCombo"), "lego"));
        typeInto(child<QLineEdit>(&dialog, "pathEdit"), work.filePath("missing"));
        click(child<QPushButton>(&dialog, "planButton"));
        auto* rows = child<QTreeWidget>(&dialog, "planRows");
        QTRY_COMPARE_WITH_TIMEOUT(rows->topLevelItemCount(), 1, kWaitMs);
        QVERIFY(rows->topLevelItem(0)->text(4).contains("does not exist"));
        QVERIFY(!child<QPushButton>(&dialog, "adoptButton")->isEnabled());
    }
};

QTEST_MAIN(AdoptDialogTest)
#include "test_adopt_dialog.moc"
