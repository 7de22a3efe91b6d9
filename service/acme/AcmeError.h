#pragma once
// A failure in an ACME exchange, carrying what a user needs to act: the step (e.g. "finalize
// the order"), the identifier concerned, the CA's problem type and detail (RFC 8555 §6.7) and,
// for rate limits, when to try again. It is the service's Upstream error: its message() is
// userMessage().

#include "DomainError.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace ck::acme {

struct AcmeError : UpstreamError {
    QString step;
    QString identifier;
    QString problemType; // "urn:ietf:params:acme:error:rateLimited", or "connection", "timeout"
    QString detail;
    int httpStatus = 0;
    QDateTime retryAfter;

    AcmeError(QString stepName, QString problem, QString detailText, int status = 0,
              QString ident = {});

    // "Could not finalize the order for www.example.com: the CA answered rateLimited: ... Try
    // again after 10:30 UTC." — the sentence stored on the item and shown in the app.
    QString userMessage() const;
    QString message() const override { return userMessage(); }
    // Short problem name: "rateLimited" from the URN.
    QString shortType() const;

    static AcmeError fromProblem(const QString& step, int status, const QJsonObject& problem,
                                 const QString& identifier = {});
};

} // namespace ck::acme
