// The bodies of the API's other writes, decoded as the routes decode them: deployment tasks (an
// item's lists, Test and dry runs), custom CAs (POST /api/certificateauthorities), account
// registrations (POST /api/accounts), credentials (POST /api/credentials), the list query of
// GET /api/managedcertificates, and the command lines of script tasks. Items, settings and
// import packages have targets of their own (item_json, settings_json, backup_package).
//
// Invariants: whatever decodes without errors and passes validation reads back the same from
// what it writes; a refusal names a field; a command line joined from words splits back into
// the same words.

#include "model/CertificateAuthority.h"
#include "model/DeploymentTask.h"
#include "model/ItemList.h"
#include "model/JsonReader.h"
#include "model/StoredCredential.h"
#include "model/TaskValidation.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

QList<ck::DeploymentTask> readTasks(const QJsonObject& body, QList<ck::FieldError>* errors) {
    QList<ck::DeploymentTask> tasks;
    ck::JsonReader r(body, errors);
    r.readObjectArray("postRequestTasks", [&](ck::JsonReader& sub) {
        ck::DeploymentTask task;
        ck::readDeploymentTask(sub, task);
        tasks.append(task);
    });
    return tasks;
}

QJsonObject writeTasks(const QList<ck::DeploymentTask>& tasks) {
    QJsonArray list;
    for (const auto& t : tasks)
        list.append(ck::toJson(t));
    return {{"postRequestTasks", list}};
}

void checkTasks(const QJsonObject& body) {
    QList<ck::FieldError> errors;
    QList<ck::DeploymentTask> tasks = readTasks(body, &errors);
    if (!errors.isEmpty() ||
        !ck::validateDeploymentTasks(tasks, QStringLiteral("postRequestTasks"), false).isEmpty())
        return;
    const QJsonObject written = writeTasks(tasks);
    QList<ck::FieldError> again;
    QList<ck::DeploymentTask> reread = readTasks(written, &again);
    if (!again.isEmpty() ||
        !ck::validateDeploymentTasks(reread, QStringLiteral("postRequestTasks"), false).isEmpty() ||
        writeTasks(reread) != written)
        std::abort();
}

void checkAuthority(const QJsonObject& body) {
    QList<ck::FieldError> errors;
    const auto ca = ck::CertificateAuthority::fromJson(body, &errors);
    if (!errors.isEmpty() || !ck::validateCertificateAuthority(ca).isEmpty())
        return;
    QList<ck::FieldError> again;
    if (ck::CertificateAuthority::fromJson(ca.toJson(), &again) != ca || !again.isEmpty())
        std::abort();
}

void checkRegistration(const QJsonObject& body) {
    QList<ck::FieldError> errors;
    const auto request = ck::AccountRegistrationRequest::fromJson(body, &errors);
    if (!errors.isEmpty())
        return;
    QList<ck::FieldError> again;
    if (ck::AccountRegistrationRequest::fromJson(request.toJson(), &again) != request ||
        !again.isEmpty())
        std::abort();
}

// POST /api/credentials checks the shape, then the values against the type's fields.
void checkCredential(const QJsonObject& body) {
    if (!body.value("type").isString() || !body.value("title").isString() ||
        !body.value("values").isObject())
        return;
    for (const auto& e :
         ck::validateCredential(body.value("type").toString(), body.value("title").toString(),
                                body.value("values").toObject()))
        if (e.field.isEmpty() || e.detail.isEmpty())
            std::abort();
}

void checkQuery(const QString& text) {
    QList<ck::FieldError> errors;
    const auto query = ck::ListQuery::fromUrlQuery(QUrlQuery(text), &errors);
    if (!errors.isEmpty())
        return;
    QList<ck::FieldError> again;
    const auto reread = ck::ListQuery::fromUrlQuery(query.toUrlQuery(), &again);
    if (!again.isEmpty() || reread.search != query.search || reread.health != query.health ||
        reread.offset != query.offset || reread.limit != query.limit)
        std::abort();
}

void checkCommandLine(const QString& text) {
    const auto words = ck::splitCommandLine(text);
    if (!words)
        return;
    if (ck::splitCommandLine(ck::joinCommandLine(*words)) != words)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (doc.isObject()) {
        const QJsonObject body = doc.object();
        checkTasks(body);
        checkAuthority(body);
        checkRegistration(body);
        checkCredential(body);
    }
    const QString text = QString::fromUtf8(bytes);
    checkQuery(text);
    checkCommandLine(text);
    return 0;
}
