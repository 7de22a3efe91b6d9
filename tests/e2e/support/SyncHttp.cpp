#include "SyncHttp.h"

#include <curl/curl.h>

#include <memory>

namespace ck::test {

namespace {

size_t appendTo(char* data, size_t size, size_t count, void* target) {
    static_cast<QByteArray*>(target)->append(data, qsizetype(size * count));
    return size * count;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct HeaderListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

} // namespace

// libcurl on this thread, not QNetworkAccessManager: that one works on a thread of its own,
// which Qt synchronises in ways ThreadSanitizer cannot see (and the TSan suites use this).
HttpResponse httpRequest(const QByteArray& method, const QUrl& url, const QByteArray& body,
                         const QString& caFile, int timeoutMs) {
    HttpResponse response;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
        response.error = QStringLiteral("curl_easy_init failed");
        return response;
    }
    const QByteArray address = url.toEncoded();
    const QByteArray ca = caFile.toLocal8Bit();
    std::unique_ptr<curl_slist, HeaderListDeleter> headers;
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, address.constData());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.constData());
    // The peers are on loopback: an http_proxy in the environment must not get in the way.
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(timeoutMs));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (!body.isEmpty()) {
        headers.reset(curl_slist_append(nullptr, "Content-Type: application/json"));
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.constData());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, long(body.size()));
    }
    if (!caFile.isEmpty()) { // the only certificates trusted
        curl_easy_setopt(c, CURLOPT_CAINFO, ca.constData());
        curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, appendTo);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        response.body.clear();
        response.error = QString::fromUtf8(curl_easy_strerror(rc));
        return response;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    response.status = int(status);
    return response;
}

} // namespace ck::test
