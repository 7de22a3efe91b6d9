#include "gui/editor/DomainListModel.h"

#include "gui/FormSupport.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>
#include <QRegularExpression>

namespace ck::gui {

namespace {
QString comparable(QString name) {
    name = name.trimmed().toLower();
    if (name.endsWith(u'.'))
        name.chop(1);
    return name;
}
} // namespace

void DomainListModel::setDomains(const QStringList& names, const QString& primary) {
    beginResetModel();
    m_names.clear();
    for (const QString& name : QStringList{primary} + names)
        if (!name.trimmed().isEmpty() && findName(name) < 0)
            m_names.append(name.trimmed());
    m_errors = QStringList(m_names.size(), QString());
    endResetModel();
}

int DomainListModel::findName(const QString& name, int exceptRow) const {
    const QString wanted = comparable(name);
    for (int i = 0; i < m_names.size(); ++i)
        if (i != exceptRow && comparable(m_names[i]) == wanted)
            return i;
    return -1;
}

QStringList DomainListModel::addDomains(const QStringList& names) {
    QStringList skipped;
    for (const QString& raw : names) {
        const QString name = raw.trimmed();
        if (name.isEmpty())
            continue;
        if (findName(name) >= 0) {
            skipped.append(name);
            continue;
        }
        const int row = int(m_names.size());
        beginInsertRows({}, row, row);
        m_names.append(name);
        m_errors.append(QString());
        endInsertRows();
    }
    if (skipped.size() < names.size())
        Q_EMIT domainsEdited();
    return skipped;
}

void DomainListModel::setPrimary(int row) {
    if (row <= 0 || row >= m_names.size())
        return;
    beginMoveRows({}, row, row, {}, 0);
    m_names.move(row, 0);
    m_errors.move(row, 0);
    endMoveRows();
    Q_EMIT dataChanged(index(0, 0), index(1, ColumnCount - 1)); // the mark moved
    Q_EMIT domainsEdited();
}

void DomainListModel::setErrors(const QMap<int, QString>& errorsByRow) {
    for (int i = 0; i < m_names.size(); ++i) {
        const QString error = errorsByRow.value(i);
        if (m_errors[i] != error) {
            m_errors[i] = error;
            Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
        }
    }
}

QStringList DomainListModel::namesInText(const QString& text) {
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    QStringList names;
    for (QString part : text.split(separators, Qt::SkipEmptyParts)) {
        if (part.startsWith(QLatin1String("DNS:"), Qt::CaseInsensitive))
            part = part.mid(4);
        if (!part.isEmpty())
            names.append(part);
    }
    return names;
}

int DomainListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_names.size());
}

int DomainListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DomainListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Domain") : tr("Role");
}

QVariant DomainListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const bool primary = row == 0;
    const QString& error = m_errors[row];
    if (index.column() == MarkColumn) {
        if (role == Qt::DisplayRole)
            return primary ? tr("primary") : QString();
        if (role == Qt::ForegroundRole)
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return m_names[row];
    case IsPrimaryRole:
        return primary;
    case ErrorRole:
        return error;
    case Qt::ToolTipRole:
        return error.isEmpty() ? QVariant() : QVariant(error);
    case Qt::AccessibleTextRole:
        return primary ? tr("%1, primary domain").arg(m_names[row]) : m_names[row];
    case Qt::AccessibleDescriptionRole:
        return error.isEmpty() ? QVariant() : QVariant(error);
    case Qt::FontRole: {
        if (!primary)
            return {};
        QFont font;
        font.setBold(true);
        return font;
    }
    case Qt::ForegroundRole:
        return error.isEmpty() ? QVariant()
                               : QVariant(ErrorLabel::colorFor(QGuiApplication::palette()));
    default:
        return {};
    }
}

bool DomainListModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid) ||
        index.column() != NameColumn)
        return false;
    const QString name = value.toString().trimmed();
    // An empty or duplicate name would lose a row or list one twice: keep the old name.
    if (name.isEmpty() || findName(name, index.row()) >= 0)
        return false;
    if (name == m_names[index.row()])
        return true;
    m_names[index.row()] = name;
    m_errors[index.row()].clear();
    Q_EMIT dataChanged(index, index.siblingAtColumn(MarkColumn));
    Q_EMIT domainsEdited();
    return true;
}

Qt::ItemFlags DomainListModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return index.column() == NameColumn ? flags | Qt::ItemIsEditable : flags;
}

bool DomainListModel::removeRows(int row, int count, const QModelIndex& parent) {
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_names.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_names.remove(row, count);
    m_errors.remove(row, count);
    endRemoveRows();
    if (row == 0 && !m_names.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(0, ColumnCount - 1)); // the new primary
    Q_EMIT domainsEdited();
    return true;
}

} // namespace ck::gui
