// Value types handed from stage to stage: RawDocument (ingest) -> Article (normalize)
// -> Claims (extract) -> store. Plain structs, standard library only.
#ifndef NEWSCLAIM_CORE_TYPES_H_
#define NEWSCLAIM_CORE_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace newsclaim {

// Half-open byte range [begin, end) into a UTF-8 string (Article::body unless noted).
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const Span& o) const { return begin == o.begin && end == o.end; }
};

enum class SourceKind { kFile, kHttp, kFeed, kWarc };
const char* SourceKindName(SourceKind kind);

// What the bytes look like; decided by ingest from name and content.
enum class DocFormat { kUnknown, kHtml, kMarkdown, kText };
const char* DocFormatName(DocFormat format);

// Bytes as they arrived, before anything interprets them.
struct RawDocument {
  std::string uri;  // file path as given, or URL
  SourceKind kind = SourceKind::kFile;
  std::string fetched_at;  // ISO 8601 UTC, e.g. "2026-11-23T18:38:42Z"
  int http_status = 0;     // 0 when not fetched over HTTP
  std::vector<std::pair<std::string, std::string>> headers;
  std::string bytes;
  std::string sha256;            // lower-case hex of bytes
  std::string declared_charset;  // from transport, empty when unknown
  DocFormat format = DocFormat::kUnknown;
};

// One article after boilerplate removal and script normalisation.
struct Article {
  std::string raw_sha256;
  std::string uri;
  std::string canonical_url;
  std::string title;
  std::string author;
  std::string outlet;
  std::string published;  // ISO 8601 date or date-time with offset; empty when unknown
  std::string language;   // "zh", "en", or "" when unknown
  std::string script;     // "zh-Hant", "zh-Hans", "en", or ""
  DocFormat format = DocFormat::kUnknown;
  std::string charset;          // the encoding the bytes were decoded from
  uint32_t replaced_bytes = 0;  // bytes replaced by U+FFFD while decoding

  // Main text in the original script, UTF-8; paragraphs separated by '\n'.
  std::string body;
  // NFKC + Traditional-to-Simplified fold of body: the text rules run on.
  std::string folded;
  // folded_to_body[i] = byte offset in body of the character that produced folded byte i;
  // size folded.size() + 1 (the last entry is body.size()).
  std::vector<uint32_t> folded_to_body;
  // Sentence spans into body, in order, covering the body's text.
  std::vector<Span> sentences;
};

enum class Qualifier { kNone, kApprox, kOver, kUnder, kRange, kVague };
// "approx", "over", "under", "range", "vague", or "" for kNone.
const char* QualifierName(Qualifier q);

// A numeric statement found in text.
struct Figure {
  Span span;                         // into Article::body (original script)
  std::string text;                  // body text of span
  std::optional<double> value;       // in the unit's own scale (800億美元 -> 8e10 USD)
  std::optional<double> value_high;  // upper bound of a range
  std::string unit;  // "%", ISO 4217 code, "count", "FLOP", "W", "nm", "h", "year", "x", "GB", ...
  Qualifier qualifier = Qualifier::kNone;
  int sentence = -1;  // index into Article::sentences
  int source = -1;    // index into Claims::sources, -1 when the text names none
};

enum class EntityKind { kPerson, kOrganisation, kOutlet, kUnknown };
const char* EntityKindName(EntityKind kind);

struct ChipMention {
  Span span;
  std::string text;       // as written
  std::string canonical;  // "NVIDIA H20"
  std::string vendor;     // "NVIDIA"
};

// Who a statement is attributed to.
struct Source {
  Span span;
  std::string name;  // as written in body
  EntityKind kind = EntityKind::kUnknown;
};

struct Claims {
  std::vector<Figure> figures;
  std::vector<ChipMention> chips;
  std::vector<Source> sources;
};

}  // namespace newsclaim

#endif  // NEWSCLAIM_CORE_TYPES_H_
