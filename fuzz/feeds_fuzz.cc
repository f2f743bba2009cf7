// Fuzz target for the feed and sitemap reader (RSS, Atom, sitemaps, gzip) and the feed
// date normaliser. Any crash, sanitizer report or broken invariant (an entry without an
// http(s) URL, more entries than the cap) fails.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/feeds.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using newsclaim::ingest::Feed;
  using newsclaim::ingest::FeedEntry;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  newsclaim::ingest::FeedOptions options;
  options.max_bytes = 4 << 20;
  options.max_entries = 1000;
  newsclaim::StatusOr<Feed> feed =
      newsclaim::ingest::ParseFeed(in, "https://fuzz.example/feed.xml", options);
  if (feed.ok()) {
    if (feed->entries.size() > options.max_entries) std::abort();
    for (const FeedEntry& e : feed->entries) {
      std::string scheme = e.url.substr(0, 8);
      for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (scheme.compare(0, 7, "http://") != 0 && scheme != "https://") std::abort();
    }
  }
  (void)newsclaim::ingest::NormalizeFeedDate(in.substr(0, 80));
  return 0;
}
