#pragma once
// The catalogue of deployment task types: what each one does and which parameters it takes. The
// service serves it (GET /api/deploymenttasks/types) and validates saved tasks against it; the app
// builds a form for each type from it. One description, so the three never disagree.

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace ck {

struct FieldError;

// Command: a program and its arguments, a JSON array of strings, typed as one line (an argument
// with spaces in quotes) and run without a shell.
enum class TaskParameterKind { String, Path, Int, Bool, Choice, Multiline, Credential, Command };
QString toString(TaskParameterKind kind);

struct TaskParameterSpec {
    QString key;
    QString label;
    TaskParameterKind kind = TaskParameterKind::String;
    bool required = false;
    QJsonValue defaultValue; // Null: none
    QStringList choices;     // for Choice
    QString description;
    int minimum = 0; // for Int
    int maximum = 0;

    QJsonObject toJson() const;
    static TaskParameterSpec fromJson(const QJsonObject& o, QList<FieldError>* errors);
};

struct TaskTypeSpec {
    QString type;
    QString title;
    QString description;
    QList<TaskParameterSpec> parameters;

    const TaskParameterSpec* find(const QString& key) const;
    QJsonObject toJson() const;
    // Strict, as the app reads what the service serves: a type without its name, a parameter
    // without its key or of an unknown kind, is an error naming it.
    static TaskTypeSpec fromJson(const QJsonObject& o, QList<FieldError>* errors);
};

const QList<TaskTypeSpec>& deploymentTaskTypes();
const TaskTypeSpec* findTaskType(const QString& type);
QStringList deploymentTaskTypeNames();

// Export formats, by the names users of other tools know them.
namespace export_formats {
inline const QString kPemCrt = QStringLiteral("pemcrt");                     // leaf
inline const QString kPemChain = QStringLiteral("pemchain");                 // intermediates+root
inline const QString kPemIntermediates = QStringLiteral("pemintermediates"); // intermediates
inline const QString kPemKey = QStringLiteral("pemkey");                     // private key
inline const QString kPemFull = QStringLiteral("pemfull");           // key, leaf, chain, root
inline const QString kPemFullNoKey = QStringLiteral("pemfullnokey"); // leaf, chain, root
inline const QString kPemFullChain = QStringLiteral("pemfullchain"); // leaf, intermediates
inline const QString kPfxFull = QStringLiteral("pfxfull");           // PKCS#12 with everything
} // namespace export_formats
QStringList exportFormats();
bool exportFormatHoldsKey(const QString& format);

// The $variables of webhook bodies and script arguments (and, as CERTKEEPER_<NAME> in upper
// snake case, of a script's environment), with what each holds.
struct DeploymentVariable {
    QString name; // e.g. "primaryDomain"
    QString description;
};
const QList<DeploymentVariable>& deploymentVariables();
// "primaryDomain" -> "CERTKEEPER_PRIMARY_DOMAIN"
QString environmentNameOf(const QString& variableName);

} // namespace ck
