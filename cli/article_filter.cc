// The filter options of `export` and `stats`; their meaning is store::ArticleFilter's.
#include "cli/article_filter.h"

#include <CLI/CLI.hpp>

namespace newsclaim::cli {

void AddArticleFilterOptions(CLI::App* sub, store::ArticleFilter* filter) {
  const char* group = "Filters (combine with AND; a repeated option matches any of its values)";
  sub->add_option("--since", filter->since,
                  "Published on or after: YYYY-MM-DD (the date as published) or "
                  "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM] (an instant, UTC when no offset)")
      ->type_name("DATE")
      ->group(group);
  sub->add_option("--until", filter->until, "Published on or before (inclusive); as --since")
      ->type_name("DATE")
      ->group(group);
  sub->add_flag("--undated", filter->include_undated,
                "With --since/--until: also keep articles without a usable published date")
      ->group(group);
  sub->add_option("--outlet", filter->outlets, "Outlet, exactly (ASCII case ignored)")
      ->type_name("NAME")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->expected(1)
      ->group(group);
  sub->add_option("--chip", filter->chips,
                  "Articles mentioning this canonical chip name (e.g. \"NVIDIA H20\"; ASCII case "
                  "ignored)")
      ->type_name("NAME")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->expected(1)
      ->group(group);
  sub->add_option("--unit", filter->units, "Figures in this unit (USD, %, count, ...)")
      ->type_name("UNIT")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->expected(1)
      ->group(group);
  sub->add_option("--source", filter->sources,
                  "Figures attributed to this source (the outlet when the text names none)")
      ->type_name("NAME")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->expected(1)
      ->group(group);
}

}  // namespace newsclaim::cli
