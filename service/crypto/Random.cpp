#include "crypto/Random.h"

#include "crypto/Base64Url.h"
#include "crypto/CryptoError.h"

#include <openssl/rand.h>

namespace ck::crypto {

QByteArray randomBytes(int count) {
    if (count < 0)
        throw CryptoError(std::string("randomBytes: negative count"));
    QByteArray out(count, Qt::Uninitialized);
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), count) != 1)
        throwOpenSslError("Cannot read random bytes");
    return out;
}

QByteArray randomToken(int count) {
    return base64UrlEncode(randomBytes(count));
}

} // namespace ck::crypto
