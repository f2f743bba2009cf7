// The intermediate form shared by the HTML and text cleaners: a document as a sequence of
// paragraph-level blocks plus metadata candidates, before boilerplate selection.
#ifndef NEWSCLAIM_NORMALIZE_BLOCK_H_
#define NEWSCLAIM_NORMALIZE_BLOCK_H_

#include <cstdint>
#include <string>
#include <vector>

namespace newsclaim::normalize::internal {

enum class BlockKind { kParagraph, kHeading, kListItem, kTableRow, kCaption, kPre };

// One paragraph-level unit: an HTML block element's own text, a <br>-separated run, a
// table row, or one line of a text dump.
struct Block {
  std::string text;  // single-spaced UTF-8, trimmed
  BlockKind kind = BlockKind::kParagraph;
  int heading_level = 0;    // 1..6 for kHeading
  uint32_t link_chars = 0;  // code points of text inside links
};

// Metadata found by the cleaners; the first source to set a field wins, so each cleaner
// fills them in its order of trust.
struct DocMeta {
  std::string title;
  std::string title_suffix;  // the site part cut off a <title>, an outlet candidate
  std::string author;
  std::string outlet;
  std::string published;  // already ISO 8601
  std::string canonical_url;
  std::string language;  // from <html lang> or front matter, lower-case
  // A date of lower trust than bylines in the text (the first <time datetime>); used
  // only when nothing better is found.
  std::string fallback_published;
  // The date and author of the byline lines just before the main content, trusted less
  // than <meta>, JSON-LD and bylines inside the body.
  std::string header_published;
  std::string header_author;
};

struct ExtractedDoc {
  std::vector<Block> blocks;
  DocMeta meta;
};

// Assigns value to *field when the field is empty and value is not.
inline void SetIfEmpty(std::string* field, const std::string& value) {
  if (field->empty() && !value.empty()) *field = value;
}

}  // namespace newsclaim::normalize::internal

#endif  // NEWSCLAIM_NORMALIZE_BLOCK_H_
