#include "crypto/SecretFiles.h"

#include "config/DataFile.h"

namespace ck::crypto {

bool writeFileAtomically(const QString& path, const QByteArray& data,
                         const FileAttributes& attributes, QString* error) {
    return writeFileAtomic(
        path, data, ck::FileAttributes{attributes.mode, attributes.uid, attributes.gid}, error);
}

bool writePrivateFile(const QString& path, const QByteArray& data, QString* error) {
    return writeFileAtomic(path, data, 0600, error);
}

CreateResult createPrivateFile(const QString& path, const QByteArray& data, QString* error) {
    switch (createFileExclusive(path, data, 0600, error)) {
    case ck::CreateResult::Created:
        return CreateResult::Created;
    case ck::CreateResult::AlreadyExists:
        return CreateResult::AlreadyExists;
    case ck::CreateResult::Failed:
        break;
    }
    return CreateResult::Failed;
}

} // namespace ck::crypto
