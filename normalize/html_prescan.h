// Byte-level pass over HTML before gumbo parses it. Two jobs: keep pathological nesting
// away from the parser (gumbo's tree builder is quadratic in depth and frees its tree
// recursively), and hand it less to tokenize: the bodies of scripts, style sheets and
// comments are more than half the bytes of a typical news page, most attribute values
// much of the rest, the extractor never reads them, and gumbo tokenizes them one code
// point at a time.
#ifndef NEWSCLAIM_NORMALIZE_HTML_PRESCAN_H_
#define NEWSCLAIM_NORMALIZE_HTML_PRESCAN_H_

#include <string>
#include <string_view>

namespace newsclaim::normalize::internal {

struct PrescanOptions {
  // Start tags (and their end tags) nested deeper than this many elements are removed.
  int max_depth = 512;
  // Empty <script> bodies (except JSON-LD, which metadata reads), <style> bodies and
  // comments. The elements themselves stay, so the tree has the same shape.
  bool drop_unread_text = true;
  // Attributes nothing reads (href but on <link>, src, srcset, data-*, inline SVG paths):
  // nearly half the bytes left after the above, and gumbo copies each value one code
  // point at a time. Kept: the attributes html_clean.cc reads and those the tree builder
  // looks at, and all attributes of the elements whose attributes it compares.
  bool drop_unread_attributes = true;
  // Runs of spaces, tabs and newlines in text (outside <pre> and <listing>; raw-text
  // elements are never touched) keep their newlines, or one space when they have none:
  // the indentation between tags is a fifth of what is left after the above, gumbo
  // reads it one code point at a time, and the extractor collapses white space anyway.
  bool collapse_whitespace = true;
};

// Returns html rewritten as above; returns it unchanged when there is nothing to do.
// Tags inside raw-text elements and comments are not tags (as in the HTML tokenizer).
std::string PrescanHtml(std::string_view html, const PrescanOptions& options);

// PrescanHtml with only the nesting limit.
std::string LimitNesting(std::string_view html, int max_depth);

}  // namespace newsclaim::normalize::internal

#endif  // NEWSCLAIM_NORMALIZE_HTML_PRESCAN_H_
