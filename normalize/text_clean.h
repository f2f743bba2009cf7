// Text and markdown dumps to blocks: YAML front matter, markdown syntax (links become
// their text, images go), stray HTML tags and entities, one block per line.
#ifndef NEWSCLAIM_NORMALIZE_TEXT_CLEAN_H_
#define NEWSCLAIM_NORMALIZE_TEXT_CLEAN_H_

#include <string>
#include <string_view>

#include "normalize/block.h"

namespace newsclaim::normalize::internal {

// Reads a leading YAML front matter block (title, url, date, source/outlet, author, lang)
// into meta. Returns the byte offset where the document proper starts (0 when there is
// no front matter).
size_t ParseFrontMatter(std::string_view text, DocMeta* meta);

// Appends one block per non-empty line of a text or markdown dump (no front matter).
void ExtractTextBlocks(std::string_view text, ExtractedDoc* doc);

// Markdown inline syntax to plain text: [text](url) -> text, images and autolinks
// removed, ** and __ dropped. *link_chars receives the code points that were link text.
std::string StripMarkdownInline(std::string_view line, uint32_t* link_chars);

// Decodes the HTML character references that survive in text dumps (&nbsp; &amp; &#12345;
// &#x4E2D; and the common named ones).
std::string DecodeEntities(std::string_view s);

}  // namespace newsclaim::normalize::internal

#endif  // NEWSCLAIM_NORMALIZE_TEXT_CLEAN_H_
