#include "gui/EditionPrompts.h"

#include "client/ApiClient.h"
#include "gui/AboutPage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>

namespace ck::gui {

EditionReminder::EditionReminder(ApiClient* client, QWidget* parent)
    : QFrame(parent), m_client(client), m_text(new QLabel(this)) {
    setObjectName(QStringLiteral("editionReminder"));
    setFrameShape(QFrame::StyledPanel);
    m_text->setObjectName(QStringLiteral("editionReminderText"));
    m_text->setWordWrap(true);
    auto* button = new QPushButton(tr("Enter Key…"), this);
    button->setObjectName(QStringLiteral("reminderEnterKeyButton"));
    connect(button, &QPushButton::clicked, this, &EditionReminder::enterKey);
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(m_text, 1);
    layout->addWidget(button);
    hide();
}

void EditionReminder::refresh() {
    // On a failure the reminder stays as it is, and says why it could not be brought up to date.
    m_client->license(
        this, [this](const LicenseInfo& info) { display(info); },
        [this](const ApiError& error) { Q_EMIT licenseUnreadable(error); });
}

void EditionReminder::display(const LicenseInfo& info) {
    const QString text = info.reminder();
    m_text->setText(text);
    setVisible(!text.isEmpty());
    Q_EMIT licenseChanged(info);
}

EnterKeyDialog* EditionReminder::enterKey() {
    auto* dialog = EnterKeyDialog::openFor(m_client, this);
    connect(dialog, &EnterKeyDialog::activated, this, &EditionReminder::display);
    return dialog;
}

QMessageBox* offerLicenseKey(QWidget* parent, ApiClient* client, const ApiError& error,
                             std::function<void(const LicenseInfo&)> activated) {
    auto* box = new QMessageBox(QMessageBox::Information, QObject::tr("Edition limit reached"),
                                error.detail, QMessageBox::Close, parent);
    box->setObjectName(QStringLiteral("limitReachedBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* enter = box->addButton(QObject::tr("Enter Key…"), QMessageBox::AcceptRole);
    enter->setObjectName(QStringLiteral("limitEnterKeyButton"));
    QObject::connect(enter, &QPushButton::clicked, parent, [parent, client, activated] {
        EnterKeyDialog* dialog = EnterKeyDialog::openFor(client, parent);
        if (activated)
            QObject::connect(dialog, &EnterKeyDialog::activated, parent, activated);
    });
    box->open();
    return box;
}

} // namespace ck::gui
