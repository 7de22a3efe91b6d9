#pragma once
// The names of one certificate in the order they are sent: the first row is the primary domain
// (the certificate's subject), marked "primary" in the second column; making another name
// primary moves it to the top.
// The rows are the service's indexes, so an error about "subjectAlternativeNames[2]" is shown on
// row 2, in the error colour with the reason as its tooltip.

#include <QAbstractTableModel>
#include <QMap>
#include <QStringList>

namespace ck::gui {

class DomainListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, MarkColumn, ColumnCount };
    enum Role { IsPrimaryRole = Qt::UserRole + 1, ErrorRole };

    using QAbstractTableModel::QAbstractTableModel;

    // `primary` first (if given), then the other names in their order.
    void setDomains(const QStringList& names, const QString& primary);
    QStringList domains() const { return m_names; }
    QString primary() const { return m_names.value(0); }

    // Adds the names that are not listed yet (compared without case and trailing dot); returns
    // those skipped as duplicates. The first name added to an empty list becomes the primary.
    QStringList addDomains(const QStringList& names);
    // Moves the row to the top.
    void setPrimary(int row);
    // Errors by row; every other row is cleared.
    void setErrors(const QMap<int, QString>& errorsByRow);
    void clearErrors() { setErrors({}); }

    // Splits pasted text into names: by lines, commas, semicolons and spaces; "DNS:" prefixes
    // (as openssl prints SANs) are dropped.
    static QStringList namesInText(const QString& text);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;

Q_SIGNALS:
    void domainsEdited(); // by the user: added, removed, renamed, reordered or primary changed

private:
    int findName(const QString& name, int exceptRow = -1) const;

    QStringList m_names;
    QStringList m_errors; // parallel to m_names; empty = no error
};

} // namespace ck::gui
