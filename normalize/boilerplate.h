// Block selection: which blocks of a page or dump are the article. Recognises bylines and
// the headline (metadata), teaser lists, "related news" sections and everything after
// them, comment rules, counters, share and footer lines, then keeps the main cluster of
// prose blocks (a jusText-style classification with context smoothing).
#ifndef NEWSCLAIM_NORMALIZE_BOILERPLATE_H_
#define NEWSCLAIM_NORMALIZE_BOILERPLATE_H_

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/block.h"
#include "normalize/normalize.h"
#include "normalize/text_util.h"

namespace newsclaim::normalize::internal {

struct CompiledBoilerplate {
  std::vector<std::unique_ptr<re2::RE2>> line_patterns;  // parallel to rules.line_patterns
  // All line patterns in one unanchored set (index = pattern index): one pass per line
  // instead of one per pattern. Null when the set does not compile (then the patterns
  // are tried one by one).
  std::unique_ptr<re2::RE2::Set> line_set;
  ~CompiledBoilerplate();
};

// Returns the body paragraphs chosen from blocks, in order. Fills empty fields of meta
// from bylines, datelines and the headline found among the blocks.
std::vector<std::string> SelectBody(std::vector<Block> blocks, const BoilerplateRules& rules,
                                    DocMeta* meta);

// True for a line that is boilerplate wherever it appears: view counters, comment counts,
// audio players, share prompts, copyright/ICP/report-hotline footers, login links,
// advertisement markers, pictograph-led promotions, truncated teasers, tag lines.
bool IsBoilerplateLine(std::string_view text, const BoilerplateRules& rules);
// The same with st = ComputeStats(text), which block selection has already.
bool IsBoilerplateLine(std::string_view text, const TextStats& st, const BoilerplateRules& rules);

// True for a heading that opens a non-article section ("延伸閱讀", "相关新闻：", "热门新闻",
// "udn討論區", "Related articles", "Comments").
bool IsSectionLabel(std::string_view text, const BoilerplateRules& rules);

}  // namespace newsclaim::normalize::internal

#endif  // NEWSCLAIM_NORMALIZE_BOILERPLATE_H_
