#pragma once
// How each health looks, the same in the list, the summary strip and the timeline: a colour that
// reads on the current palette (darker on light backgrounds, lighter on dark ones) and an icon
// drawn as vectors, so it stays sharp at any scale factor. The shape differs per health as well
// as the colour, for people who do not tell the colours apart.

#include "model/ManagedCertificate.h"

#include <QColor>
#include <QIcon>
#include <QPalette>

namespace ck::gui {

// Whether a palette is dark (light text on a dark window).
bool isDark(const QPalette& palette);

QColor healthColor(Health health, const QPalette& palette);
QIcon healthIcon(Health health);
// A request that is queued or running.
QIcon busyIcon();
QString healthText(Health health);

// The healths in the order the app shows them: worst first.
const QList<Health>& healthsByUrgency();

} // namespace ck::gui
