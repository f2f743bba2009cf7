// Export filters and corpus statistics (issue 6): the articles an export or `stats` run
// covers, selected in SQL with bound parameters and streamed one article at a time.
#include <sqlite3.h>

#include <algorithm>
#include <regex>

#include "store/internal.h"
#include "store/store.h"

namespace newsclaim::store {
namespace {

// The newest extraction of each raw document (as Store::ForEachArticle).
constexpr const char* kNewest = "a.id IN (SELECT max(id) FROM articles GROUP BY raw_sha256)";

// A published value with a usable calendar date in its first ten characters.
constexpr const char* kDated =
    "(a.published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND "
    "date(substr(a.published, 1, 10)) IS NOT NULL)";

// Collects text parameters and hands out their ?N placeholders (a placeholder can be used
// several times in one statement).
class Params {
 public:
  std::string Add(const std::string& v) {
    values_.push_back(v);
    return "?" + std::to_string(values_.size());
  }
  // "(?3, ?4)" for a non-empty list.
  std::string List(const std::vector<std::string>& vs) {
    std::string out = "(";
    for (size_t i = 0; i < vs.size(); ++i) {
      if (i) out += ", ";
      out += Add(vs[i]);
    }
    return out + ")";
  }
  void BindAll(Stmt& s) const {
    for (size_t i = 0; i < values_.size(); ++i) s.Bind(static_cast<int>(i + 1), values_[i]);
  }

 private:
  std::vector<std::string> values_;
};

bool IsDate(const std::string& s) {
  static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
  return std::regex_match(s, kDate);
}

// A real calendar date and clock time: SQLite's date functions accept 2025-02-30.
bool ValidCalendar(const std::string& s) {
  static const std::regex kParts(
      R"((\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)"
      R"((?:Z|[+-](\d{2}):(\d{2}))?)?)");
  std::smatch m;
  if (!std::regex_match(s, m, kParts)) return false;
  auto num = [&](int i) { return m[i].matched ? std::stoi(m[i].str()) : 0; };
  const int y = num(1), mo = num(2), d = num(3);
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1]) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap) return false;
  return num(4) <= 23 && num(5) <= 59 && num(6) <= 59 && num(7) <= 23 && num(8) <= 59;
}

// Checks a --since/--until value: YYYY-MM-DD or an ISO 8601 date-time, a real date.
Status CheckBound(const char* name, const std::string& v) {
  if (v.empty()) return Status::Ok();
  static const std::regex kDateTime(
      R"(\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)");
  if (!std::regex_match(v, kDateTime)) {
    return InvalidArgumentError(std::string(name) + " '" + v +
                                "': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]");
  }
  if (!ValidCalendar(v)) {
    return InvalidArgumentError(std::string(name) + " '" + v + "' is not a valid date or time");
  }
  return Status::Ok();
}

struct Selection {
  Params params;
  std::string where;   // on articles a: newest extraction and every article filter
  std::string figure;  // on figures f LEFT JOIN sources s, with a: the figure filters
  bool figure_filter = false;
};

// Builds the WHERE clause for filter. Text matches ignore ASCII case (COLLATE NOCASE).
StatusOr<Selection> Select(const ArticleFilter& filter) {
  NC_RETURN_IF_ERROR(CheckBound("--since", filter.since));
  NC_RETURN_IF_ERROR(CheckBound("--until", filter.until));
  Selection sel;
  Params& p = sel.params;
  sel.where = kNewest;
  if (!filter.since.empty() || !filter.until.empty()) {
    std::string dated = kDated;
    for (const auto& [bound, op] : {std::pair{filter.since, ">="}, std::pair{filter.until, "<="}}) {
      if (bound.empty()) continue;
      if (IsDate(bound)) {
        dated += std::string(" AND substr(a.published, 1, 10) ") + op + " " + p.Add(bound);
      } else {
        dated +=
            std::string(" AND datetime(a.published) ") + op + " datetime(" + p.Add(bound) + ")";
      }
    }
    sel.where += " AND ((" + dated + ")";
    if (filter.include_undated) sel.where += std::string(" OR NOT ") + kDated;
    sel.where += ")";
  }
  if (!filter.outlets.empty()) {
    sel.where += " AND a.outlet COLLATE NOCASE IN " + p.List(filter.outlets);
  }
  if (!filter.chips.empty()) {
    sel.where +=
        " AND EXISTS (SELECT 1 FROM chip_mentions c WHERE c.article_id = a.id AND "
        "c.canonical COLLATE NOCASE IN " +
        p.List(filter.chips) + ")";
  }
  sel.figure = "1";
  if (!filter.units.empty()) {
    sel.figure += " AND f.unit COLLATE NOCASE IN " + p.List(filter.units);
  }
  if (!filter.sources.empty()) {
    sel.figure += " AND COALESCE(s.name, a.outlet) COLLATE NOCASE IN " + p.List(filter.sources);
  }
  sel.figure_filter = !filter.units.empty() || !filter.sources.empty();
  if (sel.figure_filter) {
    sel.where +=
        " AND EXISTS (SELECT 1 FROM figures f LEFT JOIN sources s ON s.id = f.source_id "
        "WHERE f.article_id = a.id AND " +
        sel.figure + ")";
  }
  return sel;
}

// Steps q to the end, calling row() for each row.
template <typename F>
Status EachRow(Stmt& q, F&& row) {
  while (true) {
    StatusOr<bool> r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
    NC_RETURN_IF_ERROR(row());
  }
}

}  // namespace

Status Store::ForEachArticleFiltered(const ArticleFilter& filter,
                                     const std::function<Status(const ExportArticle&)>& fn) {
  Impl& d = *impl_;
  StatusOr<Selection> sel = Select(filter);
  if (!sel.ok()) return sel.status();
  Stmt articles, figures, chips, sources;
  NC_RETURN_IF_ERROR(articles.Prepare(
      d.db, ("SELECT a.id, a.uri, a.raw_sha256, a.title, a.published, a.outlet, a.author, "
             "a.language, a.script, a.canonical_url, a.body, "
             "COALESCE((SELECT cluster_id FROM article_clusters WHERE article_id = a.id), a.id) "
             "FROM articles a WHERE " +
             sel->where + " ORDER BY a.id")
                .c_str()));
  sel->params.BindAll(articles);
  // The figure statement reuses the selection's placeholders; ?N past the last filter
  // value is the article id.
  Params fig_params = sel->params;
  const std::string article_id = fig_params.Add("");
  NC_RETURN_IF_ERROR(figures.Prepare(
      d.db, ("SELECT f.id, f.text, f.value, f.value_high, f.unit, f.qualifier, s.name, "
             "f.sentence_start, f.sentence_end, f.start, f.\"end\", (" +
             sel->figure +
             ") FROM figures f JOIN articles a ON a.id = f.article_id "
             "LEFT JOIN sources s ON s.id = f.source_id WHERE f.article_id = " +
             article_id + " ORDER BY f.seq")
                .c_str()));
  const int article_id_index = std::stoi(article_id.substr(1));
  NC_RETURN_IF_ERROR(chips.Prepare(d.db,
                                   "SELECT canonical FROM chip_mentions WHERE article_id = ?1 "
                                   "GROUP BY canonical ORDER BY min(seq)"));
  NC_RETURN_IF_ERROR(sources.Prepare(
      d.db, "SELECT name FROM sources WHERE article_id = ?1 GROUP BY name ORDER BY min(seq)"));
  return EachRow(articles, [&]() -> Status {
    ExportArticle a;
    a.id = articles.Int(0);
    a.doc = articles.Text(1);
    a.raw_sha256 = articles.Text(2);
    a.title = articles.Text(3);
    a.published = articles.Text(4);
    a.outlet = articles.Text(5);
    a.author = articles.Text(6);
    a.language = articles.Text(7);
    a.script = articles.Text(8);
    a.canonical_url = articles.Text(9);
    a.body = articles.Text(10);
    a.cluster_id = articles.Int(11);
    figures.Reset();
    fig_params.BindAll(figures);
    figures.Bind(article_id_index, a.id);
    NC_RETURN_IF_ERROR(EachRow(figures, [&]() -> Status {
      ExportFigure e;
      e.id = figures.Int(0);
      e.text = figures.Text(1);
      e.value = figures.Double(2);
      e.value_high = figures.Double(3);
      e.unit = figures.Text(4);
      e.qualifier = figures.Text(5);
      e.source = figures.IsNull(6) ? a.outlet : figures.Text(6);
      if (!figures.IsNull(7)) {
        const int64_t b = figures.Int(7), en = figures.Int(8);
        if (b >= 0 && en >= b && static_cast<size_t>(en) <= a.body.size()) {
          e.sentence = a.body.substr(b, en - b);
        }
      }
      e.start = static_cast<uint32_t>(figures.Int(9));
      e.end = static_cast<uint32_t>(figures.Int(10));
      e.matched = figures.Int(11) != 0;
      a.figures.push_back(std::move(e));
      return Status::Ok();
    }));
    chips.Reset().Bind(1, a.id);
    NC_RETURN_IF_ERROR(EachRow(chips, [&]() -> Status {
      a.chips.push_back(chips.Text(0));
      return Status::Ok();
    }));
    sources.Reset().Bind(1, a.id);
    NC_RETURN_IF_ERROR(EachRow(sources, [&]() -> Status {
      a.sources.push_back(sources.Text(0));
      return Status::Ok();
    }));
    return fn(a);
  });
}

StatusOr<CorpusStats> Store::Stats(const ArticleFilter& filter, int top_sources) {
  Impl& d = *impl_;
  StatusOr<Selection> sel = Select(filter);
  if (!sel.ok()) return sel.status();
  // One row per selected article: its outlet, month (published, else first fetched),
  // cluster, and claims (figures passing the figure filters). first_seen is looked up only
  // for undated articles: it sits after the raw bytes, on their overflow pages.
  const std::string with =
      "WITH sel AS (SELECT a.id AS id, COALESCE(a.outlet, '') AS outlet, "
      "substr(COALESCE(NULLIF(a.published, ''), (SELECT first_seen FROM raw_documents r "
      "WHERE r.sha256 = a.raw_sha256), ''), 1, 7) AS month, "
      "COALESCE(ac.cluster_id, a.id) AS cluster, "
      "(SELECT count(*) FROM figures f LEFT JOIN sources s ON s.id = f.source_id "
      "WHERE f.article_id = a.id AND " +
      sel->figure +
      ") AS claims FROM articles a "
      "LEFT JOIN article_clusters ac ON ac.article_id = a.id WHERE " +
      sel->where + ") ";
  // rows: (key, id, cluster, n) with n the article's claims under that key. Within a key
  // a cluster counts once, through its lowest article id.
  auto group = [&](const std::string& rows, const std::string& order, int limit,
                   std::vector<StatsRow>* out) -> Status {
    std::string sql = with +
                      "SELECT key, count(*), count(DISTINCT cluster), sum(n), "
                      "sum(CASE WHEN rep THEN n ELSE 0 END) FROM (SELECT key, id, cluster, n, "
                      "id = min(id) OVER (PARTITION BY key, cluster) AS rep FROM (" +
                      rows + ")) GROUP BY key ORDER BY " + order;
    if (limit > 0) sql += " LIMIT " + std::to_string(limit);
    Stmt q;
    NC_RETURN_IF_ERROR(q.Prepare(d.db, sql.c_str()));
    sel->params.BindAll(q);
    return EachRow(q, [&]() -> Status {
      StatsRow r;
      r.key = q.Text(0);
      r.articles = q.Int(1);
      r.clusters = q.Int(2);
      r.claims = q.Int(3);
      r.claims_dedup = q.Int(4);
      out->push_back(std::move(r));
      return Status::Ok();
    });
  };
  CorpusStats st;
  std::vector<StatsRow> total;
  NC_RETURN_IF_ERROR(
      group("SELECT '' AS key, id, cluster, claims AS n FROM sel", "key", 0, &total));
  if (!total.empty()) st.total = total[0];
  NC_RETURN_IF_ERROR(group("SELECT outlet AS key, id, cluster, claims AS n FROM sel",
                           "count(*) DESC, key", 0, &st.by_outlet));
  NC_RETURN_IF_ERROR(
      group("SELECT month AS key, id, cluster, claims AS n FROM sel", "key", 0, &st.by_month));
  NC_RETURN_IF_ERROR(
      group("SELECT c.canonical AS key, sel.id AS id, sel.cluster AS cluster, sel.claims AS n "
            "FROM sel JOIN chip_mentions c ON c.article_id = sel.id GROUP BY c.canonical, sel.id",
            "count(*) DESC, key", 0, &st.by_chip));
  const std::string figure_rows =
      "FROM sel JOIN figures f ON f.article_id = sel.id JOIN articles a ON a.id = sel.id "
      "LEFT JOIN sources s ON s.id = f.source_id WHERE " +
      sel->figure;
  NC_RETURN_IF_ERROR(
      group("SELECT f.unit AS key, sel.id AS id, sel.cluster AS cluster, "
            "count(*) AS n " +
                figure_rows + " GROUP BY f.unit, sel.id",
            "sum(n) DESC, key", 0, &st.by_unit));
  NC_RETURN_IF_ERROR(
      group("SELECT COALESCE(s.name, a.outlet, '') AS key, sel.id AS id, "
            "sel.cluster AS cluster, count(*) AS n " +
                figure_rows + " GROUP BY 1, sel.id",
            "sum(n) DESC, key", top_sources, &st.top_sources));
  // Errors: distinct failed documents (by raw sha256, else uri) over the whole database,
  // by the outlet of their newest article (empty when none) and by month first fetched
  // (else of the first failure).
  Stmt errors;
  NC_RETURN_IF_ERROR(errors.Prepare(
      d.db,
      "WITH e AS (SELECT COALESCE(raw_sha256, uri) AS doc, max(raw_sha256) AS sha, min(at) AS at "
      "FROM errors GROUP BY 1) "
      "SELECT COALESCE((SELECT outlet FROM articles WHERE raw_sha256 = e.sha "
      "ORDER BY id DESC LIMIT 1), '') AS outlet, "
      "substr(COALESCE((SELECT first_seen FROM raw_documents WHERE sha256 = e.sha), e.at), 1, 7), "
      "count(*) FROM e GROUP BY 1, 2 ORDER BY 1, 2"));
  auto add_errors = [](std::vector<StatsRow>* rows, const std::string& key, int64_t n) {
    for (StatsRow& r : *rows) {
      if (r.key == key) {
        r.errors += n;
        return;
      }
    }
    StatsRow r;
    r.key = key;
    r.errors = n;
    rows->push_back(std::move(r));
  };
  NC_RETURN_IF_ERROR(EachRow(errors, [&]() -> Status {
    const int64_t n = errors.Int(2);
    st.total.errors += n;
    add_errors(&st.by_outlet, errors.Text(0), n);
    add_errors(&st.by_month, errors.Text(1), n);
    return Status::Ok();
  }));
  std::stable_sort(st.by_month.begin(), st.by_month.end(),
                   [](const StatsRow& x, const StatsRow& y) { return x.key < y.key; });
  return st;
}

}  // namespace newsclaim::store
