#pragma once
// Managed certificates from a CSV file, for `certkeeper-cli import-csv` (and the app, later):
// each record becomes the JSON body the service's create takes, or a reason it cannot. This
// lives in shared/ rather than in the service because reading the file is the client's part:
// the CLI reports a broken line by its number before anything is sent, and the service only
// sees well-formed items (POST /api/managedcertificates/batch), which it validates, counts
// against the edition's limit and writes in one transaction.
//
// Columns are found by a header line (names in any case, spaces and punctuation ignored), or,
// when the first line is not a header, taken in the default order of kDefaultColumns.

#include "csv/CsvReader.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace ck::csv {

// Header names (with their aliases in the .cpp) in the order used without a header.
inline constexpr const char* kDefaultColumns[] = {
    "name",
    "domains",
    "primaryDomain",
    "challengeType",
    "includeInAutoRenew",
    "keyAlgorithm",
    "certificateAuthorityId",
    "useStagingMode",
    "reusePrivateKey",
    "preferredChain",
    "challengeProvider",
    "credentialId",
    "webrootPath",
    "comments",
};

struct ItemRow {
    int line = 0;     // where the record starts in the file
    QJsonObject item; // the create body, when `error` is empty
    QString error;    // why the row cannot be imported
};

struct CsvImport {
    bool hasHeader = false;
    QStringList columns; // the columns in the file's order
    QString fileError;   // the file as a whole cannot be used (e.g. an unknown header column)
    QList<ItemRow> rows;
};

CsvImport parseItemsCsv(const QString& text);

// The accepted column names and what each holds, for --help.
QString columnsHelp();

} // namespace ck::csv
