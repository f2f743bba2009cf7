// The article filter options shared by `export` and `stats` (--since, --until,
// --undated, --outlet, --chip, --unit, --source).
#ifndef NEWSCLAIM_CLI_ARTICLE_FILTER_H_
#define NEWSCLAIM_CLI_ARTICLE_FILTER_H_

#include "store/store.h"

namespace CLI {
class App;
}

namespace newsclaim::cli {

// Adds the filter options of store::ArticleFilter to sub, writing into *filter.
void AddArticleFilterOptions(CLI::App* sub, store::ArticleFilter* filter);

}  // namespace newsclaim::cli

#endif  // NEWSCLAIM_CLI_ARTICLE_FILTER_H_
