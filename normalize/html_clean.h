// HTML to blocks: gumbo parse, boilerplate removal by tag and class/id hints, content
// scoring (text and punctuation density, link density, position), and block emission.
#ifndef NEWSCLAIM_NORMALIZE_HTML_CLEAN_H_
#define NEWSCLAIM_NORMALIZE_HTML_CLEAN_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "normalize/block.h"
#include "normalize/normalize.h"

namespace newsclaim::normalize::internal {

// Parses html (UTF-8) and fills doc with the main content's blocks and the page's
// metadata (<title>, <meta>, JSON-LD, <link rel=canonical>, <html lang>, <time>, the
// byline lines around the content). rules gives the class/id hints. Traversal is
// iterative. Errors: kInternal when gumbo fails to parse.
Status ExtractHtml(std::string_view html, int max_depth, const BoilerplateRules& rules,
                   ExtractedDoc* doc);

// True when text is mostly markup (a text or markdown dump that is really an HTML page).
bool LooksLikeHtml(std::string_view text);

}  // namespace newsclaim::normalize::internal

#endif  // NEWSCLAIM_NORMALIZE_HTML_CLEAN_H_
