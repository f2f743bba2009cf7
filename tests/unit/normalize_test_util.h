// Helpers shared by the normalize unit tests.
#ifndef NEWSCLAIM_TESTS_UNIT_NORMALIZE_TEST_UTIL_H_
#define NEWSCLAIM_TESTS_UNIT_NORMALIZE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "normalize/normalize.h"

namespace newsclaim::normalize::testing {

// Normalises html as an HTML page with default options; a failure fails the test and
// returns an empty Article.
inline Article NormalizeHtml(const std::string& html) {
  RawDocument raw;
  raw.bytes = html;
  raw.format = DocFormat::kHtml;
  StatusOr<Article> a = Normalize(raw, NormalizeOptions());
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? *a : Article();
}

}  // namespace newsclaim::normalize::testing

#endif  // NEWSCLAIM_TESTS_UNIT_NORMALIZE_TEST_UTIL_H_
