// `newsclaim duplicates`: the duplicate clusters of index/ (exact duplicates by raw bytes
// and by normalised body, near duplicates by MinHash), one cluster per block or JSON line.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "index/index.h"

namespace newsclaim::cli {
namespace {

struct DuplicatesOptions {
  std::string db = "newsclaim.db";
  bool json = false;
  bool no_update = false;
};

// Prints one cluster; similarity[i] is member i's estimated Jaccard similarity with the
// cluster's first member.
void Print(const std::vector<store::Store::DuplicateMember>& cluster,
           const std::vector<double>& similarity, bool json) {
  if (cluster.empty()) return;
  if (json) {
    nlohmann::ordered_json j;
    j["cluster_id"] = cluster.front().cluster_id;
    nlohmann::ordered_json members = nlohmann::ordered_json::array();
    for (size_t i = 0; i < cluster.size(); ++i) {
      const auto& m = cluster[i];
      nlohmann::ordered_json o;
      o["article_id"] = m.article_id;
      o["method"] = m.method;
      o["similarity"] = similarity[i];
      o["doc"] = m.doc;
      o["title"] = m.title;
      o["outlet"] = m.outlet;
      o["published"] = m.published;
      o["sha256"] = m.raw_sha256;
      o["uris"] = m.uris;
      members.push_back(std::move(o));
    }
    j["articles"] = std::move(members);
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  std::cout << "cluster " << cluster.front().cluster_id << " (" << cluster.size()
            << (cluster.size() == 1 ? " article" : " articles") << ")\n";
  for (size_t i = 0; i < cluster.size(); ++i) {
    const auto& m = cluster[i];
    char sim[32];
    std::snprintf(sim, sizeof(sim), "%.2f", similarity[i]);
    std::cout << "  " << m.article_id << "  " << m.method << "  " << sim << "  " << m.title << "\n"
              << "      " << m.outlet << (m.published.empty() ? "" : " · " + m.published) << " · "
              << m.doc << "\n";
    if (m.uris.size() > 1) {
      std::cout << "      same bytes at:";
      for (const std::string& u : m.uris) std::cout << " " << u;
      std::cout << "\n";
    }
  }
}

Outcome RunDuplicates(const DuplicatesOptions& opt) {
  index::UpdateStats stats;
  auto db = index::OpenForSearch(opt.db, !opt.no_update, &stats);
  if (!db.ok()) return {db.status()};
  std::vector<store::Store::DuplicateMember> cluster;
  std::vector<double> similarity;
  int64_t clusters = 0, articles = 0;
  Status s = (*db)->ForEachDuplicate([&](const store::Store::DuplicateMember& m) -> Status {
    if (!cluster.empty() && cluster.front().cluster_id != m.cluster_id) {
      Print(cluster, similarity, opt.json);
      cluster.clear();
      similarity.clear();
    }
    if (cluster.empty()) ++clusters;
    ++articles;
    StatusOr<double> sim = index::Similarity(
        **db, cluster.empty() ? m.article_id : cluster.front().article_id, m.article_id);
    if (!sim.ok()) return sim.status();
    similarity.push_back(*sim);
    cluster.push_back(m);
    if (!std::cout) return FailedPreconditionError("write failed");
    return Status::Ok();
  });
  if (!s.ok()) return {s};
  Print(cluster, similarity, opt.json);
  std::cout.flush();
  if (!std::cout) return {FailedPreconditionError("write failed")};
  std::fprintf(stderr, "%lld clusters, %lld articles\n", static_cast<long long>(clusters),
               static_cast<long long>(articles));
  return {};
}

}  // namespace

Command DuplicatesCommand() {
  return {"duplicates",
          "List duplicate clusters: same bytes, same normalised body, or near-duplicate text",
          [](CLI::App* sub, const GlobalOptions*) {
            auto opt = std::make_shared<DuplicatesOptions>();
            sub->add_option("--db", opt->db, "SQLite database file")
                ->capture_default_str()
                ->type_name("FILE");
            sub->add_flag("--json", opt->json, "One JSON object per cluster");
            sub->add_flag("--no-update", opt->no_update,
                          "Do not bring the index up to date first (list it as it is)");
            return [opt]() { return RunDuplicates(*opt); };
          }};
}

}  // namespace newsclaim::cli
