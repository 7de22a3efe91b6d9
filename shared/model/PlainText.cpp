#include "model/PlainText.h"

namespace ck {

namespace {
QString hex4(char16_t u) {
    return QString::number(unsigned(u), 16).toUpper().rightJustified(4, QLatin1Char('0'));
}

bool isDirectionMark(char16_t u) {
    return u == 0x200E || u == 0x200F || (u >= 0x202A && u <= 0x202E) ||
           (u >= 0x2066 && u <= 0x2069);
}
} // namespace

bool isUnsafeInLine(QChar c) {
    const char16_t u = c.unicode();
    return u < 0x20 || (u >= 0x7F && u <= 0x9F) || u == 0x2028 || u == 0x2029 || isDirectionMark(u);
}

std::optional<QString> lineTextProblem(const QString& text, const QString& what) {
    for (const QChar c : text) {
        if (!isUnsafeInLine(c))
            continue;
        const char16_t u = c.unicode();
        if (isDirectionMark(u))
            return QStringLiteral("%1 contains an invisible text-direction character (U+%2); "
                                  "remove it")
                .arg(what, hex4(u));
        return QStringLiteral("%1 contains a line break or control character; remove it").arg(what);
    }
    return std::nullopt;
}

QString escapeForLine(const QString& text) {
    qsizetype first = 0;
    while (first < text.size() && !isUnsafeInLine(text[first]))
        ++first;
    if (first == text.size())
        return text; // the common case: nothing to do, no copy
    QString out = text.left(first);
    out.reserve(text.size() + 16);
    for (qsizetype i = first; i < text.size(); ++i) {
        const QChar c = text[i];
        if (!isUnsafeInLine(c)) {
            out += c;
            continue;
        }
        switch (c.unicode()) {
        case u'\n':
            out += QLatin1String("\\n");
            break;
        case u'\r':
            out += QLatin1String("\\r");
            break;
        case u'\t':
            out += QLatin1String("\\t");
            break;
        default:
            out += QLatin1String("\\u") + hex4(c.unicode());
        }
    }
    return out;
}

} // namespace ck
