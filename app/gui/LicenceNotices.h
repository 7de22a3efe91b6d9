#pragma once
// The licence of Certkeeper and the notices of the libraries it runs with, as the About tab
// shows them: each library, what it does here, its licence and where its full licence text is
// on this system. Qt's notice says what the LGPL lets a user do (replace Qt: it is linked
// dynamically).

#include <QString>

namespace ck::gui {

// Certkeeper's own licence, as in the LICENSE file of its source.
QString certkeeperLicence();
// The whole text for a QTextBrowser: Certkeeper's licence, then the libraries' notices.
QString licenceNoticesHtml();

} // namespace ck::gui
