#include "gui/LicenceNotices.h"

#include <QCoreApplication>
#include <QFile>

namespace ck::gui {

namespace {
struct Library {
    const char* name;
    const char* use; // what Certkeeper does with it
    const char* licence;
    const char* copyrightFile; // Debian's, with the full licence text
};

// Linked dynamically from Debian's packages (Boost's headers are compiled in); nothing is
// vendored. Keep in step with the dependency list of README.md.
constexpr Library kLibraries[] = {
    {"Qt 6",
     QT_TRANSLATE_NOOP("LicenceNotices", "the app's window, the service's core and its "
                                         "database access"),
     "GNU LGPL 3.0", "/usr/share/doc/libqt6core6/copyright"},
    {"OpenSSL 3", QT_TRANSLATE_NOOP("LicenceNotices", "keys, certificates and TLS"),
     "Apache License 2.0", "/usr/share/doc/libssl3/copyright"},
    {"Boost.Asio and Boost.Beast", QT_TRANSLATE_NOOP("LicenceNotices", "the service's HTTP API"),
     "Boost Software License 1.0", "/usr/share/doc/libboost1.74-dev/copyright"},
    {"libcurl", QT_TRANSLATE_NOOP("LicenceNotices", "talking to CAs, DNS providers and webhooks"),
     "curl licence (MIT-style)", "/usr/share/doc/libcurl4/copyright"},
    {"ldns", QT_TRANSLATE_NOOP("LicenceNotices", "DNS lookups and RFC 2136 updates"),
     "BSD 3-Clause", "/usr/share/doc/libldns3/copyright"},
    {"libsystemd", QT_TRANSLATE_NOOP("LicenceNotices", "failure notices in the system journal"),
     "GNU LGPL 2.1 or later", "/usr/share/doc/libsystemd0/copyright"},
    {"SQLite", QT_TRANSLATE_NOOP("LicenceNotices", "the managed certificates' database"),
     "public domain", "/usr/share/doc/libsqlite3-0/copyright"},
};

QString tr(const char* text) {
    return QCoreApplication::translate("LicenceNotices", text);
}
} // namespace

QString certkeeperLicence() {
    QFile file(QStringLiteral(":/about/LICENSE"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QString licenceNoticesHtml() {
    QString html = QStringLiteral("<h3>%1</h3><pre>%2</pre>")
                       .arg(tr("Certkeeper's licence"), certkeeperLicence().toHtmlEscaped());
    html += QStringLiteral("<h3>%1</h3><p>%2</p>")
                .arg(tr("Libraries"),
                     tr("Certkeeper uses these libraries from your system's packages. Their "
                        "full licence texts are in the files named."));
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\">");
    for (const Library& library : kLibraries)
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td><td>%3</td></tr>"
                               "<tr><td></td><td colspan=\"2\"><tt>%4</tt></td></tr>")
                    .arg(QString::fromLatin1(library.name), tr(library.use),
                         QString::fromLatin1(library.licence),
                         QString::fromLatin1(library.copyrightFile));
    html += QStringLiteral("</table>");
    html += QStringLiteral("<h3>%1</h3><p>%2</p>")
                .arg(tr("About Qt"),
                     tr("This program uses Qt version %1. Qt is licensed under the GNU Lesser "
                        "General Public License version 3. Certkeeper links Qt dynamically, so "
                        "you may replace the Qt libraries with a version you built or modified. "
                        "Qt's source is available from your distribution (for Debian: "
                        "<tt>apt-get source qt6-base</tt>) and from the Qt Project at "
                        "https://download.qt.io. Qt is a trademark of The Qt Company Ltd.")
                         .arg(QString::fromLatin1(qVersion())));
    return html;
}

} // namespace ck::gui
