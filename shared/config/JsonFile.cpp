#include "config/JsonFile.h"

#include "config/DataFile.h"

#include <QRegularExpression>

namespace ck {

QString ConfigError::message() const {
    QString where = file;
    if (line > 0)
        where += QStringLiteral(" line %1").arg(line);
    if (!field.isEmpty())
        where += QStringLiteral(", field \"%1\"").arg(field);
    return where + QStringLiteral(": ") + detail;
}

JsonFileResult readJsonFile(const QString& path) {
    JsonFileResult r;
    DataFileRead read = readDataFile(path);
    if (!read.ok()) {
        r.error = ConfigError{path, 0, {}, read.problem};
        return r;
    }
    const QByteArray bytes = std::move(read.bytes);
    r.text = QString::fromUtf8(bytes);
    QJsonParseError pe;
    r.document = QJsonDocument::fromJson(bytes, &pe);
    if (pe.error != QJsonParseError::NoError) {
        const int line = int(bytes.left(pe.offset).count('\n')) + 1;
        r.error = ConfigError{
            path, line, {}, QStringLiteral("is not valid JSON (%1)").arg(pe.errorString())};
    }
    return r;
}

int lineOfKey(const QString& text, const QString& field, qsizetype from) {
    const QRegularExpression re(
        QStringLiteral("\"%1\"\\s*:").arg(QRegularExpression::escape(field)));
    const auto m = re.match(text, from);
    if (!m.hasMatch())
        return 0;
    return int(text.left(m.capturedStart()).count(u'\n')) + 1;
}

qsizetype offsetOfArrayElement(const QString& text, int index) {
    int depth = 0;
    int element = -1;
    bool inString = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (inString) {
            if (c == u'\\')
                ++i;
            else if (c == u'"')
                inString = false;
            continue;
        }
        if (c == u'"') {
            inString = true;
        } else if (c == u'{' || c == u'[') {
            if (depth == 1 && ++element == index)
                return i;
            ++depth;
        } else if (c == u'}' || c == u']') {
            --depth;
        }
    }
    return 0;
}

bool writeJsonFileAtomic(const QString& path, const QJsonDocument& doc, QString* error, int mode) {
    return writeFileAtomic(path, doc.toJson(QJsonDocument::Indented), mode, error);
}

} // namespace ck
