// RSS / Atom / sitemap reading with libxml2. Elements are matched by local name so that
// feeds with missing or odd namespace declarations (common in the wild) still read;
// namespaces only tell RSS 1.0 from other RDF.
#include "ingest/feeds.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>

#include <cctype>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ingest/gzip.h"

namespace newsclaim::ingest {
namespace {

constexpr size_t kMaxTextBytes = 4096;  // per title or date
constexpr size_t kMaxUrlBytes = 8192;

const char* Str(const xmlChar* s) { return reinterpret_cast<const char*>(s); }

bool IsNamed(const xmlNode* n, const char* local) {
  return n != nullptr && n->type == XML_ELEMENT_NODE && n->name != nullptr &&
         std::strcmp(Str(n->name), local) == 0;
}

bool InNamespace(const xmlNode* n, const char* href) {
  return n->ns != nullptr && n->ns->href != nullptr && std::strcmp(Str(n->ns->href), href) == 0;
}

const xmlNode* Child(const xmlNode* parent, const char* local) {
  for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (IsNamed(c, local)) return c;
  }
  return nullptr;
}

// Text content of an element, bounded. Entity references are expanded only for internal
// entities and only one level (their literal replacement text): an external entity (XXE)
// contributes nothing, and nested "billion laughs" entities cannot amplify.
void AppendText(const xmlNode* n, std::string* out, size_t cap) {
  for (const xmlNode* c = n->children; c != nullptr && out->size() < cap; c = c->next) {
    switch (c->type) {
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        if (c->content != nullptr) out->append(Str(c->content));
        break;
      case XML_ENTITY_REF_NODE: {
        const xmlEntity* e = xmlGetDocEntity(c->doc, c->name);
        if (e != nullptr && e->etype == XML_INTERNAL_GENERAL_ENTITY && e->content != nullptr) {
          out->append(Str(e->content));
        }
        break;
      }
      case XML_ELEMENT_NODE:
        AppendText(c, out, cap);
        break;
      default:
        break;
    }
  }
  if (out->size() > cap) out->resize(cap);
}

// True when the document names an external DTD or declares an external entity (general
// or parameter): never loaded, but a sign of a hostile or broken feed.
bool DeclaresExternal(const xmlDoc* doc) {
  if (doc->extSubset != nullptr) return true;
  const xmlDtd* dtd = doc->intSubset;
  if (dtd == nullptr) return false;
  if (dtd->ExternalID != nullptr || dtd->SystemID != nullptr) return true;
  for (const xmlNode* c = dtd->children; c != nullptr; c = c->next) {
    if (c->type != XML_ENTITY_DECL) continue;
    const auto* e = reinterpret_cast<const xmlEntity*>(c);
    if (e->etype == XML_EXTERNAL_GENERAL_PARSED_ENTITY ||
        e->etype == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY ||
        e->etype == XML_EXTERNAL_PARAMETER_ENTITY) {
      return true;
    }
  }
  return false;
}

// Text with runs of whitespace collapsed to one space and the ends trimmed.
std::string CleanText(const xmlNode* n, size_t cap = kMaxTextBytes) {
  std::string raw;
  if (n != nullptr) AppendText(n, &raw, cap);
  std::string out;
  bool space = false;
  for (char c : raw) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
    } else {
      if (space) out.push_back(' ');
      space = false;
      out.push_back(c);
    }
  }
  return out;
}

std::string ChildText(const xmlNode* parent, const char* local, size_t cap = kMaxTextBytes) {
  return CleanText(Child(parent, local), cap);
}

std::string Attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return "";
  std::string out(Str(v));
  xmlFree(v);
  return out;
}

bool IsHttpUrl(const std::string& url) {
  auto starts = [&](const char* p) {
    const size_t n = std::strlen(p);
    if (url.size() <= n) return false;
    for (size_t i = 0; i < n; ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != p[i]) return false;
    }
    return true;
  };
  return starts("http://") || starts("https://");
}

// Resolves a link against xml:base and the document URL; "" unless the result is an
// absolute http(s) URL (javascript:, mailto:, file: and the like are dropped).
std::string ResolveUrl(const xmlNode* at, std::string link) {
  const size_t b = link.find_first_not_of(" \t\r\n");
  const size_t e = link.find_last_not_of(" \t\r\n");
  link = b == std::string::npos ? "" : link.substr(b, e - b + 1);
  if (link.empty() || link.size() > kMaxUrlBytes) return "";
  std::string out;
  xmlChar* base = xmlNodeGetBase(at->doc, at);
  xmlChar* built = xmlBuildURI(reinterpret_cast<const xmlChar*>(link.c_str()), base);
  if (built != nullptr) {
    out = Str(built);
    xmlFree(built);
  }
  if (base != nullptr) xmlFree(base);
  // libxml2 refuses some links real feeds carry (raw spaces, non-ASCII); an absolute one
  // is still usable as written.
  if (out.empty()) out = link;
  return IsHttpUrl(out) ? out : "";
}

struct Builder {
  Feed feed;
  const FeedOptions* options = nullptr;
  std::unordered_set<std::string> seen;

  void Add(FeedEntry entry) {
    if (entry.url.empty()) {
      ++feed.skipped;
      return;
    }
    if (!seen.insert(entry.url).second) return;
    if (feed.entries.size() >= options->max_entries) {
      ++feed.skipped;
      return;
    }
    feed.entries.push_back(std::move(entry));
  }
};

void ReadRssItem(const xmlNode* item, bool rdf, Builder* b) {
  FeedEntry e;
  e.title = ChildText(item, "title");
  std::string link;
  // FeedBurner rewrites <link> to a tracking redirect and keeps the real one here.
  if (const xmlNode* orig = Child(item, "origLink")) link = CleanText(orig, kMaxUrlBytes);
  if (link.empty()) link = ChildText(item, "link", kMaxUrlBytes);
  if (rdf) {
    e.id = Attr(item, "about");
    if (link.empty()) link = e.id;
  } else if (const xmlNode* guid = Child(item, "guid")) {
    e.id = CleanText(guid, kMaxUrlBytes);
    if (link.empty() && Attr(guid, "isPermaLink") != "false") link = e.id;
  }
  e.url = ResolveUrl(item, link);
  std::string date = ChildText(item, "pubDate");
  if (date.empty()) date = ChildText(item, "date");  // dc:date
  e.published = NormalizeFeedDate(date);
  b->Add(std::move(e));
}

void ReadAtomEntry(const xmlNode* entry, Builder* b) {
  FeedEntry e;
  e.title = ChildText(entry, "title");
  e.id = ChildText(entry, "id", kMaxUrlBytes);
  std::string link;
  for (const xmlNode* c = entry->children; c != nullptr; c = c->next) {
    if (!IsNamed(c, "link")) continue;
    const std::string rel = Attr(c, "rel");
    if (rel.empty() || rel == "alternate") {
      link = Attr(c, "href");
      if (!link.empty()) break;
    }
  }
  if (link.empty()) link = e.id;
  e.url = ResolveUrl(entry, link);
  e.published = NormalizeFeedDate(ChildText(entry, "published"));
  e.updated = NormalizeFeedDate(ChildText(entry, "updated"));
  if (e.published.empty()) e.published = e.updated;
  b->Add(std::move(e));
}

void ReadSitemapUrl(const xmlNode* url, Builder* b) {
  FeedEntry e;
  e.url = ResolveUrl(url, ChildText(url, "loc", kMaxUrlBytes));
  e.updated = NormalizeFeedDate(ChildText(url, "lastmod"));
  if (const xmlNode* news = Child(url, "news")) {
    e.title = ChildText(news, "title");
    e.published = NormalizeFeedDate(ChildText(news, "publication_date"));
  }
  b->Add(std::move(e));
}

StatusOr<Feed> ReadDocument(const xmlDoc* doc, const FeedOptions& options) {
  const xmlNode* root = xmlDocGetRootElement(doc);
  if (root == nullptr) return InvalidArgumentError("not XML");
  Builder b;
  b.options = &options;
  if (IsNamed(root, "rss")) {
    b.feed.kind = FeedKind::kRss2;
    // Items belong in <channel>; some generators put them next to it.
    for (const xmlNode* scope : {root, Child(root, "channel")}) {
      if (scope == nullptr) continue;
      if (scope != root) b.feed.title = ChildText(scope, "title");
      for (const xmlNode* c = scope->children; c != nullptr; c = c->next) {
        if (IsNamed(c, "item")) ReadRssItem(c, false, &b);
      }
    }
  } else if (IsNamed(root, "RDF") &&
             InNamespace(root, "http://www.w3.org/1999/02/22-rdf-syntax-ns#")) {
    b.feed.kind = FeedKind::kRss1;
    if (const xmlNode* channel = Child(root, "channel")) {
      b.feed.title = ChildText(channel, "title");
    }
    for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
      if (IsNamed(c, "item")) ReadRssItem(c, true, &b);
    }
  } else if (IsNamed(root, "feed")) {
    b.feed.kind = FeedKind::kAtom;
    b.feed.title = ChildText(root, "title");
    for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
      if (IsNamed(c, "entry")) ReadAtomEntry(c, &b);
    }
  } else if (IsNamed(root, "sitemapindex")) {
    b.feed.kind = FeedKind::kSitemapIndex;
    for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
      if (IsNamed(c, "sitemap")) ReadSitemapUrl(c, &b);
    }
  } else if (IsNamed(root, "urlset")) {
    b.feed.kind = FeedKind::kUrlSet;
    for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
      if (IsNamed(c, "url")) ReadSitemapUrl(c, &b);
    }
  } else {
    return InvalidArgumentError(std::string("not a feed or sitemap (root element <") +
                                Str(root->name) + ">)");
  }
  return std::move(b.feed);
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::string Two(int v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%02d", v);
  return buf;
}

std::string Four(int v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d", v);
  return buf;
}

// "+0800", "+08:00", "-05" -> "+08:00"; "Z" -> "Z"; "" when not a zone.
std::string NormalizeOffset(std::string_view z) {
  if (z == "Z" || z == "z") return "Z";
  if (z.size() < 3 || (z[0] != '+' && z[0] != '-')) return "";
  int h = 0, m = 0;
  if (!Digits(z, 1, 2, &h)) return "";
  if (z.size() == 5 && !Digits(z, 3, 2, &m)) return "";
  if (z.size() == 6 && (z[3] != ':' || !Digits(z, 4, 2, &m))) return "";
  if (z.size() != 3 && z.size() != 5 && z.size() != 6) return "";
  if (h > 23 || m > 59) return "";
  return std::string(1, z[0]) + Two(h) + ":" + Two(m);
}

bool ValidDate(int y, int mo, int d) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= kDays[mo - 1];
}

bool ValidTime(int h, int mi, int s) { return h <= 23 && mi <= 59 && s <= 60; }

// W3C datetime / RFC 3339, plus a space for 'T' and a missing zone.
std::string NormalizeIsoDate(std::string_view t) {
  int y = 0, mo = 0, d = 0;
  if (!Digits(t, 0, 4, &y)) return "";
  if (t.size() == 4) return y >= 1000 ? Four(y) : "";
  if (t[4] != '-' || !Digits(t, 5, 2, &mo)) return "";
  if (t.size() == 7) return (mo >= 1 && mo <= 12) ? Four(y) + "-" + Two(mo) : "";
  if (t.size() < 10 || t[7] != '-' || !Digits(t, 8, 2, &d) || !ValidDate(y, mo, d)) return "";
  const std::string date = Four(y) + "-" + Two(mo) + "-" + Two(d);
  if (t.size() == 10) return date;
  if (t[10] != 'T' && t[10] != 't' && t[10] != ' ') return "";
  int h = 0, mi = 0, s = 0;
  if (!Digits(t, 11, 2, &h) || t.size() < 16 || t[13] != ':' || !Digits(t, 14, 2, &mi)) {
    return "";
  }
  size_t pos = 16;
  if (pos < t.size() && t[pos] == ':') {
    if (!Digits(t, pos + 1, 2, &s)) return "";
    pos += 3;
    if (pos < t.size() && (t[pos] == '.' || t[pos] == ',')) {
      ++pos;
      while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
    }
  }
  if (!ValidTime(h, mi, s)) return "";
  std::string_view zone = t.substr(pos);
  while (!zone.empty() && zone.front() == ' ') zone.remove_prefix(1);
  std::string out = date + "T" + Two(h) + ":" + Two(mi) + ":" + Two(s);
  if (zone.empty()) return out;
  const std::string z = NormalizeOffset(zone);
  return z.empty() ? "" : out + z;
}

// RFC 822 / 1123 as RSS 2.0 uses it: "[Day,] DD Mon YYYY HH:MM[:SS] [zone]".
std::string NormalizeRfc822Date(std::string_view t) {
  const size_t comma = t.find(',');
  if (comma != std::string_view::npos) t = t.substr(comma + 1);
  std::vector<std::string_view> f;
  size_t i = 0;
  while (i < t.size() && f.size() < 6) {
    while (i < t.size() && t[i] == ' ') ++i;
    const size_t start = i;
    while (i < t.size() && t[i] != ' ') ++i;
    if (i > start) f.push_back(t.substr(start, i - start));
  }
  if (f.size() < 4 || f.size() > 5) return "";
  int d = 0, y = 0, h = 0, mi = 0, s = 0;
  if (f[0].size() > 2 || !Digits(f[0], 0, f[0].size(), &d)) return "";
  static const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
  int mo = 0;
  if (f[1].size() < 3) return "";
  for (int m = 0; m < 12; ++m) {
    bool eq = true;
    for (int k = 0; k < 3; ++k) {
      if (std::tolower(static_cast<unsigned char>(f[1][k])) != kMonths[m][k]) eq = false;
    }
    if (eq) mo = m + 1;
  }
  if (mo == 0) return "";
  if (f[2].size() == 4) {
    if (!Digits(f[2], 0, 4, &y)) return "";
  } else if (f[2].size() == 2) {
    if (!Digits(f[2], 0, 2, &y)) return "";
    y += y < 50 ? 2000 : 1900;
  } else {
    return "";
  }
  if (!ValidDate(y, mo, d)) return "";
  const std::string_view tm = f[3];
  if (tm.size() < 5 || tm[2] != ':' || !Digits(tm, 0, 2, &h) || !Digits(tm, 3, 2, &mi)) return "";
  if (tm.size() == 8) {
    if (tm[5] != ':' || !Digits(tm, 6, 2, &s)) return "";
  } else if (tm.size() != 5) {
    return "";
  }
  if (!ValidTime(h, mi, s)) return "";
  std::string out =
      Four(y) + "-" + Two(mo) + "-" + Two(d) + "T" + Two(h) + ":" + Two(mi) + ":" + Two(s);
  if (f.size() == 4) return out;
  std::string zone(f[4]);
  for (char& c : zone) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  // RFC 822 zone names. "CST" is US Central (-06:00) there, even though Chinese sites
  // that write it usually mean China Standard Time; we follow the RFC.
  static const std::pair<const char*, const char*> kZones[] = {
      {"GMT", "Z"},      {"UT", "Z"},       {"UTC", "Z"},      {"Z", "Z"},
      {"EST", "-05:00"}, {"EDT", "-04:00"}, {"CST", "-06:00"}, {"CDT", "-05:00"},
      {"MST", "-07:00"}, {"MDT", "-06:00"}, {"PST", "-08:00"}, {"PDT", "-07:00"}};
  for (const auto& [name, offset] : kZones) {
    if (zone == name) return out + offset;
  }
  // An unknown zone name ("CET", "HKT") leaves the time without an offset rather than
  // with a wrong one.
  return out + NormalizeOffset(zone);
}

void IgnoreGenericError(void*, const char*, ...) {}
void IgnoreStructuredError(void*, xmlErrorPtr) {}

// libxml2 reports some errors (encoding conversion, I/O) through its per-thread generic
// handlers rather than the parser context, which XML_PARSE_NOERROR does not silence; a
// cron job must stay quiet. Installs no-op handlers for one parse and restores the old.
class QuietLibxml {
 public:
  QuietLibxml()
      : generic_(xmlGenericError),
        generic_ctx_(xmlGenericErrorContext),
        structured_(xmlStructuredError),
        structured_ctx_(xmlStructuredErrorContext) {
    xmlSetGenericErrorFunc(nullptr, IgnoreGenericError);
    xmlSetStructuredErrorFunc(nullptr, IgnoreStructuredError);
  }
  ~QuietLibxml() {
    xmlSetGenericErrorFunc(generic_ctx_, generic_);
    xmlSetStructuredErrorFunc(structured_ctx_, structured_);
  }
  QuietLibxml(const QuietLibxml&) = delete;
  QuietLibxml& operator=(const QuietLibxml&) = delete;

 private:
  xmlGenericErrorFunc generic_;
  void* generic_ctx_;
  xmlStructuredErrorFunc structured_;
  void* structured_ctx_;
};

}  // namespace

const char* FeedKindName(FeedKind kind) {
  switch (kind) {
    case FeedKind::kRss2:
      return "rss2";
    case FeedKind::kRss1:
      return "rss1";
    case FeedKind::kAtom:
      return "atom";
    case FeedKind::kSitemapIndex:
      return "sitemapindex";
    case FeedKind::kUrlSet:
      return "urlset";
  }
  return "";
}

std::string NormalizeFeedDate(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty() || text.size() > 64) return "";
  if (text[0] >= '0' && text[0] <= '9' && text.size() >= 4 && text[2] != ' ' && text[1] != ' ') {
    const std::string iso = NormalizeIsoDate(text);
    if (!iso.empty()) return iso;
  }
  return NormalizeRfc822Date(text);
}

StatusOr<Feed> ParseFeed(std::string_view bytes, const std::string& base_url,
                         const FeedOptions& options) {
  std::string inflated;
  if (LooksGzipped(bytes)) {
    StatusOr<std::string> plain = Gunzip(bytes, options.max_bytes);
    if (!plain.ok()) return plain.status();
    inflated = std::move(plain).value();
    bytes = inflated;
  }
  if (bytes.size() > options.max_bytes || bytes.size() > static_cast<size_t>(INT_MAX)) {
    return ResourceExhaustedError("feed is " + std::to_string(bytes.size()) +
                                  " bytes, above the cap of " + std::to_string(options.max_bytes));
  }
  xmlInitParser();
  const QuietLibxml quiet;
  std::unique_ptr<xmlParserCtxt, void (*)(xmlParserCtxtPtr)> ctxt(xmlNewParserCtxt(),
                                                                  xmlFreeParserCtxt);
  if (ctxt == nullptr) return InternalError("libxml2: cannot allocate a parser");
  // NONET: never fetch anything. No NOENT (entities stay references, see AppendText), no
  // DTDLOAD/DTDATTR/DTDVALID (no external DTD is read), no HUGE (libxml2's depth and
  // entity-amplification limits stay on). RECOVER: real feeds carry stray '&'.
  const int flags = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_RECOVER |
                    XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA;
  std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
      xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()),
                        base_url.empty() ? nullptr : base_url.c_str(), nullptr, flags),
      xmlFreeDoc);
  if (doc == nullptr || xmlDocGetRootElement(doc.get()) == nullptr) {
    const xmlError* err = xmlCtxtGetLastError(ctxt.get());
    std::string why = err != nullptr && err->message != nullptr ? err->message : "no root element";
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return InvalidArgumentError("not XML: " + why);
  }
  StatusOr<Feed> feed = ReadDocument(doc.get(), options);
  if (feed.ok()) {
    feed->recovered = ctxt->wellFormed == 0;
    feed->external_entities = DeclaresExternal(doc.get());
  }
  return feed;
}

}  // namespace newsclaim::ingest
