// GET /api/metrics: the service in the Prometheus text format (version 0.0.4), for monitoring
// without the app: each certificate's expiry and next renewal as Unix times and its consecutive
// renewal failures (labelled with its id, name and the server), the requests since start by
// outcome and duration, and the queue. Two example alert rules are in packaging/prometheus/.

#include "api/ApiContext.h"
#include "http/Responses.h"
#include "model/ManagedCertificate.h"
#include "store/StoreWorker.h"

#include <QSysInfo>

namespace ck::api {

namespace {
// Label values escape backslash, double quote and line feed (the format's only escapes).
QByteArray labelValue(const QString& text) {
    QByteArray out;
    for (const char c : text.toUtf8()) {
        if (c == '\\' || c == '"')
            out += '\\';
        out += c == '\n' ? QByteArray("\\n") : QByteArray(1, c);
    }
    return out;
}

QByteArray number(double value) {
    return QByteArray::number(value, 'g', 15);
}

class MetricsText {
public:
    void family(const char* name, const char* type, const char* help) {
        m_text +=
            QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    }
    void sample(const QByteArray& name, const QByteArray& labels, double value) {
        m_text += name;
        if (!labels.isEmpty())
            m_text += '{' + labels + '}';
        m_text += ' ' + number(value) + '\n';
    }
    QByteArray text() const { return m_text; }

private:
    QByteArray m_text;
};

struct ItemFacts {
    QByteArray labels; // id, name, server
    QDateTime expiry;
    QDateTime nextRenewal;
    int failures = 0;
};

QByteArray render(const QList<ItemFacts>& items, const request::RequestService::Stats& stats,
                  const QByteArray& server) {
    MetricsText m;
    m.family("certkeeper_managed_certificates", "gauge", "Managed certificates on this server.");
    m.sample("certkeeper_managed_certificates", server, double(items.size()));
    m.family("certkeeper_certificate_expiry_timestamp_seconds", "gauge",
             "When the certificate expires (Unix time); absent until one is issued.");
    for (const ItemFacts& item : items)
        if (item.expiry.isValid())
            m.sample("certkeeper_certificate_expiry_timestamp_seconds", item.labels,
                     double(item.expiry.toSecsSinceEpoch()));
    m.family("certkeeper_certificate_next_renewal_timestamp_seconds", "gauge",
             "When the next renewal attempt is planned (Unix time); absent when none is.");
    for (const ItemFacts& item : items)
        if (item.nextRenewal.isValid())
            m.sample("certkeeper_certificate_next_renewal_timestamp_seconds", item.labels,
                     double(item.nextRenewal.toSecsSinceEpoch()));
    m.family("certkeeper_certificate_renewal_failures", "gauge",
             "Renewal attempts that failed in a row; 0 after a success.");
    for (const ItemFacts& item : items)
        m.sample("certkeeper_certificate_renewal_failures", item.labels, item.failures);

    m.family("certkeeper_requests_total", "counter",
             "Certificate requests finished since the service started, by outcome.");
    m.sample("certkeeper_requests_total", server + ",outcome=\"success\"", double(stats.succeeded));
    m.sample("certkeeper_requests_total", server + ",outcome=\"failure\"", double(stats.failed));
    m.family("certkeeper_request_duration_seconds", "histogram",
             "How long finished certificate requests took.");
    for (size_t i = 0; i < stats.kBuckets.size(); ++i)
        m.sample("certkeeper_request_duration_seconds_bucket",
                 server + ",le=\"" + number(stats.kBuckets[i]) + '"', double(stats.atMost[i]));
    const double count = double(stats.succeeded + stats.failed);
    m.sample("certkeeper_request_duration_seconds_bucket", server + ",le=\"+Inf\"", count);
    m.sample("certkeeper_request_duration_seconds_sum", server, stats.secondsTotal);
    m.sample("certkeeper_request_duration_seconds_count", server, count);
    m.family("certkeeper_requests_queued", "gauge", "Requests waiting for a free slot.");
    m.sample("certkeeper_requests_queued", server, stats.queued);
    m.family("certkeeper_requests_running", "gauge", "Requests running now.");
    m.sample("certkeeper_requests_running", server, stats.running);
    return m.text();
}
} // namespace

void addMetricsRoutes(http::Router& router, MetricsRouteServices ctx) {
    router.add(beast::http::verb::get, "/api/metrics",
               [ctx](http::RequestContext&) -> awaitable<HttpResponse> {
                   const QByteArray server =
                       "server=\"" + labelValue(QSysInfo::machineHostName()) + '"';
                   auto work = [server](store::ItemStore& s) {
                       QList<ItemFacts> facts;
                       for (const ManagedCertificate& item : s.all())
                           facts.append({"id=\"" + labelValue(item.id) + "\",name=\"" +
                                             labelValue(item.name) + "\"," + server,
                                         item.dateExpiry, item.dateNextScheduledRenewalAttempt,
                                         item.renewalFailureCount});
                       return facts;
                   };
                   const QList<ItemFacts> items = co_await ctx.store.run(std::move(work));
                   co_return http::textResponse(beast::http::status::ok,
                                                "text/plain; version=0.0.4; charset=utf-8",
                                                render(items, ctx.requests.stats(), server));
               });
}

} // namespace ck::api
