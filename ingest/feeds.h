// Feed and sitemap reading helpers internal to ingest; the reader itself (ParseFeed, Feed,
// FeedEntry) is public in ingest/ingest.h. libxml2 types stay in feeds.cc.
#ifndef NEWSCLAIM_INGEST_FEEDS_H_
#define NEWSCLAIM_INGEST_FEEDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/ingest.h"

namespace newsclaim::ingest {

// Normalises a feed date to ISO 8601: RFC 822/1123 ("Mon, 23 Nov 2026 18:38:42 +0800"
// -> "2026-11-23T18:38:42+08:00"), W3C/RFC 3339 ("2026-11-23", "2026-11-23T10:00Z"),
// and "2026-11-23 10:00:00" (no zone). Returns "" for anything else.
std::string NormalizeFeedDate(std::string_view text);

}  // namespace newsclaim::ingest

#endif  // NEWSCLAIM_INGEST_FEEDS_H_
