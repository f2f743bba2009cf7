// Fuzz target for the robots.txt parser and matcher: the bytes are a robots.txt body
// (after an optional first line "path<TAB>user-agent" to match with); parsing never fails
// and "/robots.txt" is always allowed.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/robots.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view path = "/news/2025/ai-chips.html?id=1", agent = "newsclaim/0.1";
  if (const size_t nl = in.find('\n'); nl != std::string_view::npos) {
    const std::string_view head = in.substr(0, nl);
    if (const size_t tab = head.find('\t'); tab != std::string_view::npos) {
      path = head.substr(0, tab);
      agent = head.substr(tab + 1);
      in.remove_prefix(nl + 1);
    }
  }
  using newsclaim::ingest::RobotsTxt;
  const RobotsTxt robots = RobotsTxt::Parse(in);
  for (std::string_view ua :
       {agent, std::string_view("newsclaim"), std::string_view("*"), std::string_view("")}) {
    (void)robots.IsAllowed(ua, path);
    (void)robots.IsAllowed(ua, "");
    (void)robots.IsAllowed(ua, "/");
    if (!robots.IsAllowed(ua, "/robots.txt")) std::abort();
    const auto delay = robots.CrawlDelay(ua);
    if (delay && !(*delay >= 0)) std::abort();
  }
  for (const std::string& s : robots.sitemaps()) {
    if (s.empty()) std::abort();
  }
  for (int status : {200, 301, 404, 500, 0}) (void)RobotsTxt::FromHttp(status, in);
  return 0;
}
