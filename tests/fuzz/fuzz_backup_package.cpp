// Backup packages (POST /api/system/import, certkeeper-cli import): a file the user picks, which
// may be damaged, cut, another file altogether, or made to harm. The first byte chooses the
// layer, since each sits behind a check the fuzzer cannot pass by chance:
//   0: the bytes as a package, opened with the fuzzing passphrase;
//   1: the same with its checksum line made right (the fuzzer cannot compute SHA-256), so the
//      header, its key derivation settings and the sealed part are reached;
//   2: the bytes as the sealed contents' JSON, which only the passphrase's holder can write
//      but a package made by a newer or broken version may still carry.
// Invariants: a refused package says why in a sentence; opened contents that decode give a plan
// with one entry per packaged entry, and write out to JSON that decodes to the same entries.

#include "backup/BackupContents.h"
#include "backup/BackupImport.h"
#include "backup/BackupPackage.h"
#include "crypto/Digest.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <variant>

namespace {

using ck::backup::BackupContents;

// The entries as an import restores them: kind, id, and the bytes it writes.
QStringList entriesOf(const BackupContents& c) {
    QStringList out;
    for (const auto& p : c.items) {
        out << QStringLiteral("item ") + p.item.id;
        for (auto it = p.files.begin(); it != p.files.end(); ++it)
            out << it.key() + u' ' + it->name + u' ' + QString::fromLatin1(it->data.toBase64());
    }
    for (const auto& p : c.credentials)
        out << QStringLiteral("credential ") + p.credential.id + u' ' + p.credential.type + u' ' +
                   QString::fromUtf8(QJsonDocument(p.values).toJson(QJsonDocument::Compact));
    for (const auto& p : c.authorities)
        out << QStringLiteral("ca ") + p.ca.id + u' ' + QString::fromUtf8(p.trustedRoot);
    for (const auto& p : c.accounts)
        out << QStringLiteral("account ") + p.account.id + u' ' + QString::fromLatin1(p.keyPem);
    return out;
}

void checkContents(const QJsonObject& json) {
    QString problem;
    const auto contents = BackupContents::fromJson(json, &problem);
    if (!contents) {
        if (problem.isEmpty())
            std::abort(); // a refusal the user cannot act on
        return;
    }
    const auto counts = contents->counts();
    const int total =
        counts.items + counts.credentials + counts.certificateAuthorities + counts.accounts;
    const ck::backup::ImportPlan plan = ck::backup::planImport(*contents, {}, false);
    if (plan.entries.size() != total || plan.counts.add != total || plan.counts.skip != 0 ||
        plan.itemsAdded != counts.items)
        std::abort();

    QString again;
    const auto reread = BackupContents::fromJson(contents->toJson(), &again);
    if (!reread || entriesOf(*reread) != entriesOf(*contents))
        std::abort(); // what an export writes, an import must read as written
}

// The input with the checksum line a package's writer puts after it.
QByteArray withChecksum(const QByteArray& input) {
    QByteArray body = input;
    if (!body.endsWith('\n'))
        body += '\n';
    return body + "sha256:" + ck::crypto::sha256(body).toHex() + '\n';
}

// scrypt at the cost a real package asks (128 MiB) would give a few runs a second; the bounds
// on what a package may ask are the unit tests' business (crypto_tests, admin_tests).
bool cheapKeyDerivation(const QByteArray& package) {
    const QList<QByteArray> lines = package.split('\n');
    if (lines.size() < 2)
        return true;
    const QJsonObject header = QJsonDocument::fromJson(lines[1]).object();
    return header.value("n").toInteger() <= 1024 && header.value("r").toInt() <= 8 &&
           header.value("p").toInt() <= 1;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const QByteArray input(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    const int layer = data[0] % 3;
    if (layer == 2) {
        const QJsonDocument doc = QJsonDocument::fromJson(input);
        if (doc.isObject())
            checkContents(doc.object());
        return 0;
    }
    const QByteArray package = layer == 1 ? withChecksum(input) : input;
    if (!cheapKeyDerivation(package))
        return 0;
    const auto opened = ck::backup::openPackage(package, QByteArrayLiteral("fuzzing passphrase"));
    if (const auto* failure = std::get_if<ck::backup::OpenFailure>(&opened)) {
        if (failure->message.isEmpty())
            std::abort();
        return 0;
    }
    checkContents(std::get<QJsonObject>(opened));
    return 0;
}
