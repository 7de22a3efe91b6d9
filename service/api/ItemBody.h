#pragma once
// A managed certificate as a client sends it (create, update, or unsaved edits for Preview and
// Test): decoded and validated the same way everywhere.

#include "model/DnsCatalogue.h"
#include "model/ManagedCertificate.h"

#include <QJsonObject>

namespace ck::api {

// Decodes and validates `body` into an item; any problem is one error naming every field:
// MalformedInputError (400) for wrong types, InvalidInputError (422) for values a save would
// refuse, among them a path that leads into `dataDir`, the service's data directory.
// dns-01 rules are checked against `dns`, the service's catalogue.
ManagedCertificate itemFromJson(const QJsonObject& body, const QString& dataDir,
                                const DnsCatalogue& dns);

// Field errors for the item's paths that resolve into `dataDir`: export destinations and
// webroots.
QList<FieldError> dataDirProblems(const ManagedCertificate& item, const QString& dataDir);

// Keeps what only the service sets (id, the current certificate, renewal state) from `stored`
// and takes what a user edits from `incoming`; a client's values for the former are ignored.
void keepServiceOwnedFields(ManagedCertificate& incoming, const ManagedCertificate& stored);

} // namespace ck::api
