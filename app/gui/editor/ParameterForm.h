#pragma once
// A form generated from a deployment task type's description as the service serves it
// (GET /api/deploymenttasks/types): one field per parameter, by its kind: string, path (with a
// Browse button), int, bool, choice, multiline, credential (a stored credential by title) or
// command (one line, split into the program and its arguments). The dns-01 providers' parameters
// use it too. New tasks start from the defaults; required fields left empty are named at the
// field.

#include "model/DeploymentTaskTypes.h"

#include <QJsonObject>
#include <QMap>
#include <QWidget>

class QFormLayout;

namespace ck::gui {

class ErrorLabel;
class ServiceCatalog;

class ParameterForm : public QWidget {
    Q_OBJECT
public:
    ParameterForm(ServiceCatalog* catalog, QWidget* parent);

    // Builds the fields for `parameters` (the type's) filled from `values`; a parameter without a
    // value gets its default. Values of unknown keys are kept.
    void build(const QList<TaskParameterSpec>& parameters, const QJsonObject& values);
    QJsonObject values() const;
    // Shows "… is required" under each required field that is empty, and what is wrong with a
    // command line; true when nothing is.
    bool checkRequired();
    // The service's words about parameters (keys), under their fields; returns those not shown.
    QStringList showErrors(const QMap<QString, QString>& byKey);
    QWidget* field(const QString& key) const { return m_fields.value(key).widget; }

Q_SIGNALS:
    void changed();

private:
    struct Field {
        TaskParameterSpec description;
        QWidget* widget = nullptr;
        ErrorLabel* error = nullptr;
    };
    QWidget* createField(const TaskParameterSpec& description, const QJsonValue& value);
    QJsonValue valueOf(const Field& field) const;

    ServiceCatalog* m_catalog;
    QFormLayout* m_form;
    QJsonObject m_original;
    QMap<QString, Field> m_fields;
    QStringList m_order;
};

} // namespace ck::gui
