#include "CryptoTestSupport.h"

#include "crypto/PrivateKey.h"

#include "ManagedProcess.h"

#include <QFile>

#include <openssl/err.h>
#include <openssl/pem.h>

#include <stdexcept>
#include <utility>

namespace ck::crypto::test {

ProcessResult runOpenssl(const QStringList& args, const QByteArray& input) {
    const ck::test::ToolResult tool =
        ck::test::runTool(QStringLiteral("/usr/bin/openssl"), args, input, 60000);
    if (!tool.error.isEmpty() && tool.exitCode < 0)
        return {-1, "openssl did not run: " + tool.error.toUtf8()};
    if (tool.timedOut)
        return {-1, "openssl did not finish"};
    return {tool.exitCode, tool.stdOut + tool.stdErr};
}

void writeFile(const QString& path, const QByteArray& data) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        throw std::runtime_error("cannot write " + path.toStdString());
}

QByteArray readFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + path.toStdString());
    return file.readAll();
}

EvpPkeyPtr publicKeyFromDer(const QByteArray& der) {
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.constData());
    return EvpPkeyPtr(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
}

namespace {

QByteArray joseToDer(const QByteArray& jose) {
    const int half = static_cast<int>(jose.size() / 2);
    const auto* raw = reinterpret_cast<const unsigned char*>(jose.constData());
    EcdsaSigPtr sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(raw, half, nullptr);
    BIGNUM* s = BN_bin2bn(raw + half, half, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    unsigned char* der = nullptr;
    const int length = i2d_ECDSA_SIG(sig.get(), &der);
    QByteArray out(reinterpret_cast<const char*>(der), length > 0 ? length : 0);
    OPENSSL_free(der);
    return out;
}

} // namespace

bool verifyJoseSignature(EVP_PKEY* publicKey, const char* digest, const QByteArray& data,
                         const QByteArray& joseSignature, bool ecdsa) {
    const QByteArray signature = ecdsa ? joseToDer(joseSignature) : joseSignature;
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, digest, nullptr, nullptr, publicKey,
                                        nullptr) != 1)
        return false;
    return EVP_DigestVerify(ctx.get(),
                            reinterpret_cast<const unsigned char*>(signature.constData()),
                            static_cast<size_t>(signature.size()),
                            reinterpret_cast<const unsigned char*>(data.constData()),
                            static_cast<size_t>(data.size())) == 1;
}

TestChain makeChainWithOpenssl(const QString& dir, const QString& leafName,
                               const QByteArray& leafExtensions) {
    const auto path = [&](const char* name) { return dir + u'/' + QLatin1String(name); };
    writeFile(path("ca.ext"), "basicConstraints=critical,CA:TRUE\n"
                              "keyUsage=critical,keyCertSign,cRLSign\n"
                              "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
    writeFile(path("leaf.ext"), "basicConstraints=critical,CA:FALSE\n"
                                "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
                                "subjectAltName=DNS:" +
                                    leafName.toUtf8() + "\n" + leafExtensions);
    const QStringList ec{QStringLiteral("-newkey"), QStringLiteral("ec"),
                         QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
                         QStringLiteral("-nodes")};
    const auto run = [](const QStringList& args) {
        const ProcessResult result = runOpenssl(args);
        if (result.exitCode != 0)
            throw std::runtime_error("openssl " + args.join(u' ').toStdString() + ": " +
                                     result.output.toStdString());
    };
    run(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec +
        QStringList{QStringLiteral("-keyout"), path("root.key"), QStringLiteral("-out"),
                    path("root.pem"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=Certkeeper Test Root"), QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-addext"),
                    QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
                    QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")});
    const auto issue = [&](const char* name, const QString& subject, const char* issuer,
                           const char* ext) {
        const QString key = path(name) + QStringLiteral(".key");
        const QString csr = path(name) + QStringLiteral(".csr");
        run(QStringList{QStringLiteral("req")} + ec +
            QStringList{QStringLiteral("-keyout"), key, QStringLiteral("-out"), csr,
                        QStringLiteral("-subj"), subject});
        run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
             QStringLiteral("-CA"), path(issuer) + QStringLiteral(".pem"), QStringLiteral("-CAkey"),
             path(issuer) + QStringLiteral(".key"), QStringLiteral("-CAcreateserial"),
             QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-extfile"), path(ext),
             QStringLiteral("-out"), path(name) + QStringLiteral(".pem")});
    };
    issue("intermediate", QStringLiteral("/CN=Certkeeper Test Intermediate"), "root", "ca.ext");
    issue("leaf", QStringLiteral("/CN=") + leafName, "intermediate", "leaf.ext");
    return {readFile(path("root.pem")), readFile(path("intermediate.pem")),
            readFile(path("leaf.pem")), readFile(path("leaf.key"))};
}

QByteArray issueLeafWithApi(const QString& dir, const QString& leafName, long notBeforeDays,
                            long notAfterDays, const char* extendedKeyUsage) {
    const auto fail = [](const std::string& what) {
        ERR_clear_error();
        throw std::runtime_error("issueLeafWithApi: " + what);
    };
    const QByteArray issuerPem = readFile(dir + QStringLiteral("/intermediate.pem"));
    const QByteArray issuerKeyPem = readFile(dir + QStringLiteral("/intermediate.key"));
    const BioPtr certBio(
        BIO_new_mem_buf(issuerPem.constData(), static_cast<int>(issuerPem.size())));
    const BioPtr keyBio(
        BIO_new_mem_buf(issuerKeyPem.constData(), static_cast<int>(issuerKeyPem.size())));
    const X509Ptr issuer(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    const EvpPkeyPtr issuerKey(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    if (!issuer || !issuerKey)
        fail("cannot read the intermediate");

    const PrivateKey leafKey = PrivateKey::generate(KeyType::EcP256);
    const X509Ptr cert(X509_new());
    const X509NamePtr subject(X509_NAME_new());
    const QByteArray cn = leafName.toUtf8();
    constexpr long kDay = 24L * 3600;
    if (!cert || !subject || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
        ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 4242) != 1 ||
        !X509_gmtime_adj(X509_getm_notBefore(cert.get()), notBeforeDays * kDay) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), notAfterDays * kDay) ||
        X509_NAME_add_entry_by_NID(subject.get(), NID_commonName, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(cn.constData()),
                                   static_cast<int>(cn.size()), -1, 0) != 1 ||
        X509_set_subject_name(cert.get(), subject.get()) != 1 ||
        X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer.get())) != 1 ||
        X509_set_pubkey(cert.get(), leafKey.native()) != 1)
        fail("cannot fill in the certificate");

    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer.get(), cert.get(), nullptr, nullptr, 0);
    const QByteArray san = "DNS:" + cn;
    const std::pair<int, const char*> extensions[] = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,digitalSignature"},
        {NID_ext_key_usage, extendedKeyUsage},
        {NID_subject_alt_name, san.constData()},
    };
    for (const auto& [nid, value] : extensions) {
        const X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
        if (!extension || X509_add_ext(cert.get(), extension.get(), -1) != 1)
            fail(std::string("cannot add ") + OBJ_nid2sn(nid));
    }
    if (X509_sign(cert.get(), issuerKey.get(), EVP_sha256()) <= 0)
        fail("cannot sign");

    const BioPtr out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_X509(out.get(), cert.get()) != 1)
        fail("cannot write PEM");
    BUF_MEM* buffer = nullptr;
    BIO_get_mem_ptr(out.get(), &buffer);
    return QByteArray(buffer->data, static_cast<qsizetype>(buffer->length));
}

} // namespace ck::crypto::test
