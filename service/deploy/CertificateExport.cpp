#include "deploy/CertificateExport.h"

#include "base/PathSafety.h"
#include "config/DataFile.h"
#include "model/DeploymentTaskTypes.h"

#include "crypto/Certificate.h"
#include "crypto/CryptoError.h"
#include "crypto/Pkcs12.h"
#include "crypto/SecretFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <vector>

namespace ck::deploy {

namespace {
QByteArray readAll(const QString& path, QString* error) {
    if (path.isEmpty()) {
        *error = QStringLiteral("cannot read (no file)");
        return {};
    }
    DataFileRead read = readDataFile(path);
    if (!read.ok()) {
        *error = QStringLiteral("cannot read %1: it %2").arg(path, read.problem);
        return {};
    }
    return std::move(read.bytes);
}

QByteArray joined(const QList<QByteArray>& parts) {
    QByteArray out;
    for (const auto& p : parts)
        out += p;
    return out;
}

// A user or group id by name or number; -1 for an empty name, -2 when unknown.
template <typename Lookup> int accountId(const QString& name, Lookup lookup) {
    if (name.isEmpty())
        return -1;
    bool numeric = false;
    const int id = name.toInt(&numeric);
    if (numeric && id >= 0)
        return id;
    return lookup(name.toLocal8Bit());
}

int userId(const QByteArray& name) {
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd* found = nullptr;
    getpwnam_r(name.constData(), &entry, buffer.data(), buffer.size(), &found);
    return found ? int(found->pw_uid) : -2;
}

int groupId(const QByteArray& name) {
    std::vector<char> buffer(65536);
    group entry{};
    group* found = nullptr;
    getgrnam_r(name.constData(), &entry, buffer.data(), buffer.size(), &found);
    return found ? int(found->gr_gid) : -2;
}

QString modeText(int mode) {
    return QStringLiteral("0%1").arg(mode, 3, 8, QLatin1Char('0'));
}
} // namespace

CertificateMaterial loadCertificateMaterial(const ManagedCertificate& item, QString* error) {
    CertificateMaterial m;
    if (item.certificatePath.isEmpty()) {
        *error = QStringLiteral("'%1' has no certificate yet; request one first").arg(item.name);
        return m;
    }
    QString problem;
    const QByteArray leaf = readAll(item.certificatePath, &problem);
    const QByteArray chain = readAll(item.certificateChainPath, &problem);
    // With your own CSR there is no key file: only the formats without the key can be made.
    const bool ownCsr = !item.requestConfig.csrPem.isEmpty();
    const QByteArray key = ownCsr ? QByteArray() : readAll(item.certificateKeyPath, &problem);
    if (!problem.isEmpty()) {
        *error = QStringLiteral("The certificate files of '%1' are missing (%2); request the "
                                "certificate again")
                     .arg(item.name, problem);
        return m;
    }
    QList<QByteArray> intermediates = crypto::splitPemChain(chain);
    if (!intermediates.isEmpty() && crypto::isSelfSigned(intermediates.last()))
        m.rootPem = intermediates.takeLast();
    else
        m.rootPem = crypto::findChainRoot(intermediates.isEmpty() ? crypto::splitPemChain(leaf)
                                                                  : intermediates);
    m.leafPem = leaf;
    m.intermediatesPem = intermediates;
    m.keyPem = key;
    return m;
}

QByteArray exportContent(const QString& format, const CertificateMaterial& material,
                         const QString& pfxPassword, const QString& friendlyName) {
    using namespace export_formats;
    const QByteArray intermediates = joined(material.intermediatesPem);
    if (format == kPemCrt)
        return material.leafPem;
    if (format == kPemChain)
        return intermediates + material.rootPem;
    if (format == kPemIntermediates)
        return intermediates;
    if (format == kPemKey)
        return material.keyPem;
    if (format == kPemFull)
        return material.keyPem + material.leafPem + intermediates + material.rootPem;
    if (format == kPemFullNoKey)
        return material.leafPem + intermediates + material.rootPem;
    if (format == kPemFullChain)
        return material.leafPem + intermediates;
    if (format == kPfxFull)
        return crypto::createPkcs12(crypto::PrivateKey::fromPem(material.keyPem), material.leafPem,
                                    material.intermediatesPem, pfxPassword, friendlyName);
    return {};
}

QString describeFormat(const QString& format) {
    using namespace export_formats;
    if (format == kPemCrt)
        return QStringLiteral("the certificate");
    if (format == kPemChain)
        return QStringLiteral("the intermediates and root");
    if (format == kPemIntermediates)
        return QStringLiteral("the intermediates");
    if (format == kPemKey)
        return QStringLiteral("the private key");
    if (format == kPemFull)
        return QStringLiteral("the private key, certificate and chain");
    if (format == kPemFullNoKey)
        return QStringLiteral("the certificate and chain");
    if (format == kPemFullChain)
        return QStringLiteral("the certificate and intermediates");
    if (format == kPfxFull)
        return QStringLiteral("a PKCS#12 file with key and chain");
    return QStringLiteral("'%1' (not a format)").arg(format);
}

Ownership resolveOwnership(const QString& owner, const QString& group) {
    Ownership o;
    o.uid = accountId(owner, userId);
    o.gid = accountId(group, groupId);
    if (o.uid == -2)
        o.error = QStringLiteral("There is no user '%1' on this machine").arg(owner);
    else if (o.gid == -2)
        o.error = QStringLiteral("There is no group '%1' on this machine").arg(group);
    return o;
}

QString exportPreconditionError(const ExportSettings& s, const QString& dataDir) {
    if (!exportFormats().contains(s.format))
        return QStringLiteral("'%1' is not an export format; use %2")
            .arg(s.format, exportFormats().join(QStringLiteral(", ")));
    if (s.path.isEmpty() || !QDir::isAbsolutePath(s.path))
        return QStringLiteral("The export has no absolute destination path; set one such as "
                              "/etc/ssl/private/example.com.pem");
    if (const QString problem =
            dataDirProblem(QStringLiteral("The export destination"), s.path, dataDir);
        !problem.isEmpty())
        return problem;
    if (s.mode() < 0)
        return QStringLiteral("'%1' is not a file mode; use octal digits such as 0640")
            .arg(s.modeText);
    const Ownership ownership = resolveOwnership(s.owner, s.group);
    if (!ownership.error.isEmpty())
        return ownership.error + QStringLiteral("; set an existing owner and group, or none");
    const QFileInfo target(s.path);
    const QFileInfo folder(target.absolutePath());
    if (!folder.isDir())
        return QStringLiteral("The folder %1 does not exist; create it (readable by the server "
                              "that uses the file) or choose another destination")
            .arg(folder.absoluteFilePath());
    if (target.isDir())
        return QStringLiteral("%1 is a folder; give the path of a file inside it").arg(s.path);
    if (::access(QFile::encodeName(folder.absoluteFilePath()).constData(), W_OK | X_OK) != 0)
        return QStringLiteral("The service cannot write to the folder %1; give its user write "
                              "access there (on a system install, also add the folder with "
                              "ReadWritePaths= in a drop-in: sudo systemctl edit "
                              "certkeeper-service)")
            .arg(folder.absoluteFilePath());
    return {};
}

TaskOutcome exportCertificateBlocking(const ExportSettings& settings,
                                      const ManagedCertificate& item, const QString& pfxPassword,
                                      const QString& dataDir) {
    const QString problem = exportPreconditionError(settings, dataDir);
    if (!problem.isEmpty())
        return TaskOutcome::failure(problem);
    QString error;
    if (!item.requestConfig.csrPem.isEmpty() && exportFormatHoldsKey(settings.format))
        return TaskOutcome::failure(
            QStringLiteral("'%1' is requested with your own CSR: Certkeeper has no private key to "
                           "export as %2; export the certificate (pemcrt, pemfullchain) instead")
                .arg(item.name, settings.format));
    const CertificateMaterial material = loadCertificateMaterial(item, &error);
    if (!error.isEmpty())
        return TaskOutcome::failure(error);
    QByteArray content;
    try {
        content = exportContent(settings.format, material, pfxPassword, item.name);
    } catch (const crypto::CryptoError& e) {
        return TaskOutcome::failure(QStringLiteral("Cannot build the %1 file: %2")
                                        .arg(settings.format, QString::fromUtf8(e.what())));
    }
    if (content.isEmpty())
        return TaskOutcome::failure(
            QStringLiteral("The certificate of '%1' has nothing to put in a %2 file (%3: the CA "
                           "sent no intermediates, and no root is known)")
                .arg(item.name, settings.format, describeFormat(settings.format)));
    const Ownership ownership = resolveOwnership(settings.owner, settings.group);
    crypto::FileAttributes attributes;
    attributes.mode = settings.mode();
    attributes.uid = ownership.uid;
    attributes.gid = ownership.gid;
    // Once more, as close to the write as it gets: building a PFX takes a moment.
    if (const QString late =
            dataDirProblem(QStringLiteral("The export destination"), settings.path, dataDir);
        !late.isEmpty())
        return TaskOutcome::failure(late);
    if (!crypto::writeFileAtomically(settings.path, content, attributes, &error))
        return TaskOutcome::failure(error);
    const QFileInfo written(settings.path);
    return TaskOutcome::success(QStringLiteral("Wrote %1 (%2) to %3, mode %4, owner %5:%6")
                                    .arg(describeFormat(settings.format), settings.format,
                                         settings.path, modeText(settings.mode()), written.owner(),
                                         written.group()));
}

} // namespace ck::deploy
