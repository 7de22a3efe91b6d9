#pragma once
// Helpers for driving the editor and the settings as a user would: find a control by its
// object name, choose a combo entry (as a click would: `activated`), type, click.

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTest>

namespace ck::test {

constexpr int kWaitMs = 15000;

template <typename T> T* child(const QObject* parent, const char* name) {
    T* found = parent->findChild<T*>(QLatin1String(name));
    if (!found)
        qWarning("no %s named %s", T::staticMetaObject.className(), name);
    return found;
}

// Selects the entry holding `data` and emits `activated`, as choosing it with the mouse does.
inline bool choose(QComboBox* combo, const QVariant& data) {
    const int index = combo->findData(data);
    if (index < 0)
        return false;
    combo->setCurrentIndex(index);
    Q_EMIT combo->activated(index);
    return true;
}

inline void typeInto(QLineEdit* edit, const QString& text) {
    edit->clear();
    QTest::keyClicks(edit, text);
}

inline void click(QAbstractButton* button) {
    QVERIFY2(button, "no button");
    QVERIFY2(button->isEnabled(), qPrintable(button->objectName() + " is disabled"));
    QVERIFY2(button->isVisible(), qPrintable(button->objectName() + " is hidden"));
    if (button->isCheckable() && !qobject_cast<QPushButton*>(button))
        button->click(); // a check box in a wide form row: its middle is outside its hit area
    else
        QTest::mouseClick(button, Qt::LeftButton);
}

inline void showTab(QTabWidget* tabs, const char* objectName) {
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->widget(i)->objectName() == QLatin1String(objectName))
            tabs->setCurrentIndex(i);
}

// A dialog the code under test opened with open() (not exec()), once it is visible.
template <typename T> T* waitForDialog(const QObject* parent) {
    T* dialog = nullptr;
    (void)QTest::qWaitFor(
        [&] {
            dialog = parent->findChild<T*>();
            return dialog && dialog->isVisible();
        },
        kWaitMs);
    return dialog && dialog->isVisible() ? dialog : nullptr;
}

} // namespace ck::test
