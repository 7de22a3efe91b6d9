#include "model/Adoption.h"

#include "model/EnumNames.h"
#include "model/JsonReader.h"

#include <QJsonArray>

namespace ck {

namespace {
// In the order of AdoptionRow::Status.
constexpr const char* kStatuses[] = {"adoptable", "adopted", "refused"};

QJsonValue dateOrNull(const QDateTime& d) {
    return d.isValid() ? QJsonValue(d.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}
} // namespace

QStringList adoptionToolNames() {
    return {adoption_tools::kCertbot, adoption_tools::kLego, adoption_tools::kAcmeSh};
}

QString toString(AdoptionRow::Status s) {
    return enumName(kStatuses, s);
}

QJsonObject AdoptionRequest::toJson() const {
    QJsonObject o{{"tool", tool}, {"path", path}};
    if (!lineages.isEmpty())
        o.insert("lineages", QJsonArray::fromStringList(lineages));
    return o;
}

AdoptionRequest AdoptionRequest::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    AdoptionRequest r;
    JsonReader reader(o, errors);
    reader.require({"tool"});
    reader.read("tool", r.tool);
    reader.read("path", r.path);
    reader.read("lineages", r.lineages);
    return r;
}

QJsonObject AdoptionRow::toJson() const {
    QJsonArray targetList;
    for (const auto& t : targets)
        targetList.append(QJsonObject{{"format", t.format}, {"path", t.path}});
    QJsonObject o{{"lineage", lineage},
                  {"status", toString(status)},
                  {"domains", QJsonArray::fromStringList(domains)},
                  {"keyType", keyType},
                  {"server", server},
                  {"caId", caId},
                  {"account", account},
                  {"challenge", challenge},
                  {"expiry", dateOrNull(expiry)},
                  {"targets", targetList},
                  {"notes", QJsonArray::fromStringList(notes)}};
    if (!reason.isEmpty())
        o.insert("reason", reason);
    if (limitReached)
        o.insert("limitReached", true);
    if (!itemId.isEmpty())
        o.insert("itemId", itemId);
    return o;
}

namespace {
AdoptionRow readRow(JsonReader& r) {
    using Status = AdoptionRow::Status;
    AdoptionRow row;
    r.require({"lineage", "status"});
    r.read("lineage", row.lineage);
    r.readEnum("status", row.status,
               [](const QString& name) { return enumFromName<Status>(kStatuses, name); });
    r.read("reason", row.reason);
    r.read("limitReached", row.limitReached);
    r.read("domains", row.domains);
    r.read("keyType", row.keyType);
    r.read("server", row.server);
    r.read("caId", row.caId);
    r.read("account", row.account);
    r.read("challenge", row.challenge);
    r.read("expiry", row.expiry);
    r.readObjectArray("targets", [&](JsonReader& sub) {
        AdoptionTarget t;
        sub.require({"format", "path"});
        sub.read("format", t.format);
        sub.read("path", t.path);
        row.targets.append(t);
    });
    r.read("notes", row.notes);
    r.read("itemId", row.itemId);
    return row;
}
} // namespace

AdoptionRow AdoptionRow::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    JsonReader r(o, errors);
    return readRow(r);
}

QJsonObject AdoptionPlan::toJson() const {
    QJsonArray list;
    for (const auto& row : rows)
        list.append(row.toJson());
    return {{"tool", tool},       {"path", path},       {"applied", applied},
            {"adopted", adopted}, {"refused", refused}, {"rows", list}};
}

AdoptionPlan AdoptionPlan::fromJson(const QJsonObject& o, QList<FieldError>* errors) {
    AdoptionPlan plan;
    JsonReader r(o, errors);
    r.require({"tool", "applied", "rows"});
    r.read("tool", plan.tool);
    r.read("path", plan.path);
    r.read("applied", plan.applied);
    r.read("adopted", plan.adopted);
    r.read("refused", plan.refused);
    r.readObjectArray("rows", [&](JsonReader& sub) { plan.rows.append(readRow(sub)); });
    return plan;
}

} // namespace ck
