#pragma once
// The entity tags of store-backed answers (the list's pages, the summary), remembered with the
// store state they were made in. A conditional request that finds the store as it was is
// answered 304 from here without reading an item; after a change anywhere in the store, the
// answer is built again and tagged by its own digest, so a page that did not change still
// answers 304 (a renewal of one item does not cost every poller the whole page).
// Touched on the store's thread only (inside ItemStore work), so it needs no lock.

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>
#include <string>

namespace ck::api {

class AnswerTags {
public:
    // The tag of the answer named `key` (route and query) in the store state `state`, if known.
    std::optional<std::string> find(const QByteArray& state, const QString& key) const {
        if (state != m_state)
            return std::nullopt;
        const auto found = m_tags.constFind(key);
        return found == m_tags.constEnd() ? std::nullopt : std::optional(*found);
    }

    void remember(const QByteArray& state, const QString& key, std::string tag) {
        if (state != m_state || m_tags.size() >= kMaxAnswers) {
            m_tags.clear(); // tags of an older state are never asked for again
            m_state = state;
        }
        m_tags.insert(key, std::move(tag));
    }

private:
    static constexpr qsizetype kMaxAnswers = 256; // queries are few: pages, searches, filters
    QByteArray m_state;
    QHash<QString, std::string> m_tags;
};

} // namespace ck::api
