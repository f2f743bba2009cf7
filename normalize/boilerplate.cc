// Block classification: explicit boilerplate lexicon, section labels, bylines, then a
// jusText-style good/near-good/short/bad classification with context smoothing and a
// choice of the main cluster of prose.
#include "normalize/boilerplate.h"

#include <re2/re2.h>

#include <algorithm>
#include <memory>

#include "core/utf8.h"
#include "normalize/metadata.h"
#include "normalize/text_util.h"

namespace newsclaim::normalize::internal {
namespace {

// Headings that open related-links, recommendation and comment sections, in both scripts.
constexpr std::string_view kSectionLabels[] = {"延伸閱讀",
                                               "延伸阅读",
                                               "相關新聞",
                                               "相关新闻",
                                               "相關報導",
                                               "相关报道",
                                               "相关报导",
                                               "相關報道",
                                               "相關文章",
                                               "相关文章",
                                               "相關閱讀",
                                               "相关阅读",
                                               "相關連結",
                                               "相关链接",
                                               "推薦閱讀",
                                               "推荐阅读",
                                               "熱門新聞",
                                               "热门新闻",
                                               "熱門文章",
                                               "热门文章",
                                               "熱門推薦",
                                               "热门推荐",
                                               "編輯推薦",
                                               "编辑推荐",
                                               "猜你喜歡",
                                               "猜你喜欢",
                                               "更多新聞",
                                               "更多新闻",
                                               "最新新聞",
                                               "最新新闻",
                                               "商品推薦",
                                               "商品推荐",
                                               "讀者留言",
                                               "读者留言",
                                               "網友留言",
                                               "网友留言",
                                               "網友評論",
                                               "网友评论",
                                               "發表評論",
                                               "发表评论",
                                               "我要評論",
                                               "我要评论",
                                               "評論區",
                                               "评论区",
                                               "討論區",
                                               "讨论区",
                                               "精彩推薦",
                                               "精彩推荐",
                                               "往期回顧",
                                               "往期回顾",
                                               "今日熱門",
                                               "今日热门",
                                               "熱門排行",
                                               "热门排行",
                                               "點閱排行",
                                               "点击排行",
                                               "看更多",
                                               "更多報導",
                                               "更多报道",
                                               "你可能也喜歡",
                                               "你可能也喜欢",
                                               "相關影音",
                                               "相关视频",
                                               "推薦文章",
                                               "推荐文章",
                                               "熱搜",
                                               "热搜",
                                               "最新文章",
                                               "相關標籤",
                                               "相关标签",
                                               "廣告",
                                               "广告",
                                               "留言",
                                               "評論",
                                               "评论",
                                               "往日文章",
                                               "related",
                                               "related articles",
                                               "related stories",
                                               "related news",
                                               "related posts",
                                               "read more",
                                               "read next",
                                               "more stories",
                                               "more from",
                                               "recommended",
                                               "recommended for you",
                                               "you may also like",
                                               "you might also like",
                                               "most popular",
                                               "most read",
                                               "trending",
                                               "comments",
                                               "leave a comment",
                                               "leave a reply",
                                               "more on this story",
                                               "also read",
                                               "see also"};

// Characters that decorate a label: 【相关新闻】, **延伸閱讀：**, ## Related.
bool IsLabelDecoration(char32_t c) {
  return IsSpace(c) || c == U'【' || c == U'】' || c == U'[' || c == U']' || c == U'(' ||
         c == U')' || c == U'（' || c == U'）' || c == U':' || c == U'：' || c == U'#' ||
         c == U'*' || c == U'>' || c == U'《' || c == U'》' || c == U'|' || c == U'｜' ||
         c == U'-' || c == U'—' || c == U'_' || c == U'·' || c == U'•' || c == U'►' || c == U'▶' ||
         c == U'■' || c == U'▌' || c == U'.' || c == U'…' || c == U'»' || c == U'>' || c == U'→';
}

std::string StripDecoration(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t c = utf8::Next(text, &pos);
    if (IsLabelDecoration(c) && c != ' ') continue;
    out.append(text.substr(start, pos - start));
  }
  return AsciiLower(CollapseSpaces(out));
}

struct LinePattern {
  const char* regex;
  size_t max_code_points;  // the pattern only condemns lines up to this length
};

// Lines that are boilerplate wherever they appear. Each pattern is bounded by a length so
// that a long paragraph quoting the phrase is never dropped.
constexpr LinePattern kBoilerplatePatterns[] = {
    {"本文已被(?:查看|閱讀|阅读|浏览|瀏覽)", 60},
    {"(?:閱讀|阅读|瀏覽|浏览|點擊|点击|觀看|观看|人氣|人气)(?:次數|次数|數|数|量)?\\s*[:：]?\\s*"
     "[0-9][0-9,]*",
     30},
    {"^[0-9][0-9,.]*\\s*[萬万kK]?\\s*(?:次|人)?\\s*(?:閱讀|阅读|瀏覽|浏览|觀看|观看|views?|reads)$",
     30},
    {"^[0-9][0-9,]*\\s*(?:則|条|條|个|個)?\\s*(?:留言|評論|评论|回應|回应|回复|回覆|"
     "[Cc]omments?|[Rr]eplies)$",
     24},
    {"^(?:聽新聞|听新闻|朗讀|朗读|語音播報|语音播报|[Ll]isten(?: to (?:this )?article)?)$", 20},
    {"^[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?\\s*/\\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$", 20},
    {"分享到|分享至|分享本文|分享此文|分享文章|微博分享|微信分享|[Ss]hare (?:on|this|via)|"
     "扫一扫|掃一掃|二维码|二維碼|QR ?[Cc]ode|分享給朋友|分享给朋友",
     60},
    {"ICP[证證备備]|ICP\\s*[0-9]|公网安备|公網安備|网安备|備案號|备案号|举报电话|舉報電話|"
     "举报邮箱|舉報信箱|违法和不良信息|違法和不良資訊|有害信息举报|涉未成年人",
     300},
    {"版权所有|版權所有|版权声明|版權聲明|版权属于|版權屬於|[Cc]opyright|©|[Aa]ll [Rr]ights "
     "[Rr]eserved|未经授权|未經授權|不得转载|不得轉載|禁止转载|禁止轉載|请勿转载|請勿轉載",
     160},
    {"^(?:登录|登入|註冊|注册|登出|[Ss]ign [Ii]n|[Ss]ign [Uu]p|[Ll]og [Ii]n|[Ll]og [Oo]ut|"
     "[Ss]ubscribe|訂閱|订阅|會員專區|会员专区)(?:\\s|$)",
     24},
    {"^(?:廣告|广告|[Aa]dvertisement|ADVERTISEMENT|贊助|赞助|[Ss]ponsored|AD|Ad)$", 16},
    {"^(?:責任編輯|责任编辑|責編|责编|編輯|编辑|[Ee]ditor|[Ee]dited by)\\s*[:：]", 40},
    {"^[（(]?(?:圖|图|圖片|图片|照片|攝影|摄影|[Pp]hoto|[Ii]mage)\\s*(?:來源|来源|提供)?\\s*"
     "[／/：:|]",
     60},
    {"^(?:上一篇|下一篇|上一頁|下一頁|上一页|下一页|上一則|下一則|[Pp]revious|[Nn]ext|返回|"
     "回到頂部|回到顶部|返回顶部|[Bb]ack to top)",
     50},
    {"點我|点我|點此|点此|点击这里|點擊這裡|立即下載|立即下载|下載APP|下载APP|打開APP|"
     "打开APP|App下載|App下载|立即升級|立即升级|立即訂閱|立即订阅|免費試用|免费试用",
     30},
    {"^(?:关注我们|關注我們|[Ff]ollow [Uu]s)", 24},
    {"^(?:字級|字级|字體|字体|列印|打印|收藏|A\\+|A-|放大|縮小|缩小)$", 8},
    {"^(?:https?://|www\\.)\\S+$", 400},
    {"^(?:标签|標籤|[Tt]ags?|关键词|關鍵詞|關鍵字|关键字)\\s*[:：]", 120},
    {"^(?:Before|After) [Ii]mage$", 12},
};

const std::vector<std::unique_ptr<RE2>>& BoilerplateRegexes() {
  static const auto* res = [] {
    auto* v = new std::vector<std::unique_ptr<RE2>>();
    for (const LinePattern& p : kBoilerplatePatterns) {
      v->push_back(std::make_unique<RE2>(p.regex));
    }
    return v;
  }();
  return *res;
}

// "紐約時報 算力 台積電": three or more short space-separated tokens, mostly Chinese, with no
// punctuation: a tag list.
bool IsTagLine(std::string_view text, const TextStats& st) {
  if (st.prose_punct > 0 || st.code_points > 80) return false;
  const std::vector<std::string> tokens = SplitOn(text, [](char32_t c) { return c == ' '; });
  if (tokens.size() < 3) return false;
  int cjk_tokens = 0;
  for (const std::string& t : tokens) {
    const TextStats ts = ComputeStats(t);
    if (ts.code_points > 8) return false;
    if (ts.cjk > 0) ++cjk_tokens;
  }
  return cjk_tokens >= 2;
}

// A teaser summary cut off by the site: ends in "..." or a single "…" (Chinese prose ends
// an omission with the doubled "……").
bool IsTruncatedTeaser(std::string_view text, const TextStats& st) {
  if (st.weight < 20) return false;
  if (EndsWith(text, "...")) return true;
  return EndsWith(text, "…") && !EndsWith(text, "……");
}

enum class Cls { kGood, kNearGood, kShort, kBad };

struct Item {
  Block block;
  TextStats stats;
  Cls cls = Cls::kBad;
  bool removed = false;   // metadata or title: never body, not counted as boilerplate
  bool hard_bad = false;  // boilerplate whatever its neighbours say
};

bool IsHeadlineLike(const Item& it) {
  const TextStats& st = it.stats;
  if (st.code_points == 0 || st.code_points > 100 || st.clause_marks > 1) return false;
  if (st.clause_marks == 1 && !EndsWith(it.block.text, ".") && st.cjk == 0) return false;
  if (EndsWith(it.block.text, "。")) return false;
  if (it.block.link_chars * 2 > st.code_points) return false;
  return st.cjk + st.latin >= 4;
}

std::string Squash(std::string_view s) {
  std::string out;
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t start = pos;
    const char32_t c = utf8::Next(s, &pos);
    if (IsSpace(c)) continue;
    out.append(s.substr(start, pos - start));
  }
  return out;
}

Cls Classify(const Item& it) {
  const TextStats& st = it.stats;
  const double ld =
      st.code_points == 0 ? 0 : static_cast<double>(it.block.link_chars) / st.code_points;
  if (ld > 0.5) return Cls::kBad;
  if (it.block.kind == BlockKind::kHeading) return Cls::kShort;
  if (it.block.kind == BlockKind::kCaption) return Cls::kBad;
  const bool cjk_text = st.cjk >= 8 || st.cjk * 3 >= st.latin;
  if (cjk_text) {
    if (st.weight >= 30 && st.clause_marks >= 1 && st.prose_punct >= 2 && ld <= 0.25) {
      return Cls::kGood;
    }
    if (st.weight >= 10 && (st.clause_marks >= 1 || st.sentence_ends >= 1) && ld <= 0.3) {
      return Cls::kNearGood;
    }
    if (st.weight < 25) return Cls::kShort;
    return Cls::kBad;
  }
  const double stop = st.words == 0 ? 0 : static_cast<double>(st.stopwords) / st.words;
  if (st.code_points < 70) return ld > 0 ? Cls::kBad : Cls::kShort;
  if (st.code_points >= 150 && stop >= 0.28 && ld <= 0.25) return Cls::kGood;
  // Other Latin-script languages have no English function words: long runs of punctuated
  // sentences with few links are prose in any of them.
  if (st.code_points >= 200 && st.sentence_ends >= 2 && st.clause_marks >= 3 && ld <= 0.15) {
    return Cls::kGood;
  }
  if (stop >= 0.22 && ld <= 0.3) return Cls::kNearGood;
  if (st.sentence_ends >= 1 && st.clause_marks >= 2 && ld <= 0.15) return Cls::kNearGood;
  return Cls::kBad;
}

}  // namespace

bool IsSectionLabel(std::string_view text) {
  const std::string s = StripDecoration(text);
  const size_t n = CodePoints(s);
  if (n == 0 || n > 24) return false;
  for (std::string_view label : kSectionLabels) {
    if (s == label) return true;
    // "udn討論區", "相关新闻推荐": a label with a short site prefix or suffix.
    const size_t ln = CodePoints(label);
    if (ln >= 3 && n <= ln + 5 && s.find(label) != std::string::npos &&
        (StartsWith(s, label) || EndsWith(s, label))) {
      return true;
    }
  }
  return false;
}

bool IsBoilerplateLine(std::string_view text) {
  const TextStats st = ComputeStats(text);
  if (st.code_points == 0) return true;
  size_t first = 0;
  if (IsPictograph(utf8::Next(text, &first))) return true;
  if (st.pictographs >= 2 && st.code_points <= 80) return true;
  if (IsTagLine(text, st) || IsTruncatedTeaser(text, st)) return true;
  const auto& res = BoilerplateRegexes();
  for (size_t i = 0; i < res.size(); ++i) {
    if (st.code_points <= kBoilerplatePatterns[i].max_code_points &&
        RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *res[i])) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> SelectBody(std::vector<Block> blocks, DocMeta* meta) {
  std::vector<Item> items;
  items.reserve(blocks.size());
  for (Block& b : blocks) {
    Item it;
    it.stats = ComputeStats(b.text);
    it.block = std::move(b);
    items.push_back(std::move(it));
  }
  const size_t n = items.size();
  for (Item& it : items) {
    it.cls = Classify(it);
    if (IsBoilerplateLine(it.block.text)) {
      it.hard_bad = true;
      it.cls = Cls::kBad;
    }
  }
  auto first_good = [&]() {
    for (size_t i = 0; i < n; ++i) {
      if (!items[i].removed && items[i].cls == Cls::kGood) return i;
    }
    return n;
  };

  // Bylines and datelines before the article's first paragraphs are metadata. The
  // headline anchor is the first byline naming an outlet or author; a bare date line
  // (often above teaser lists) anchors only when there is no such byline.
  size_t byline = n, date_line = n;
  const size_t header_end = std::min(n, first_good() + 3);
  for (size_t i = 0; i < header_end; ++i) {
    Byline b;
    if (items[i].block.kind == BlockKind::kTableRow) continue;
    if (ParseBylineBlock(items[i].block.text, &b)) {
      items[i].removed = true;
      SetIfEmpty(&meta->outlet, b.outlet);
      SetIfEmpty(&meta->author, b.author);
      SetIfEmpty(&meta->published, b.published);
      if (!b.outlet.empty() || !b.author.empty()) {
        if (byline == n) byline = i;
      } else if (date_line == n) {
        date_line = i;
      }
    }
  }
  if (byline == n) byline = date_line;
  // A dateline opening the first paragraphs: 【大纪元2025年08月21日讯】（记者X报导）.
  {
    int checked = 0;
    for (size_t i = 0; i < n && checked < 2; ++i) {
      if (items[i].removed || items[i].cls == Cls::kBad) continue;
      if (items[i].cls != Cls::kGood && items[i].cls != Cls::kNearGood) continue;
      ++checked;
      Byline b;
      const size_t cut = ParseDatelinePrefix(items[i].block.text, &b);
      if (cut == 0) continue;
      SetIfEmpty(&meta->outlet, b.outlet);
      SetIfEmpty(&meta->author, b.author);
      SetIfEmpty(&meta->published, b.published);
      items[i].block.text = std::string(Trim(std::string_view(items[i].block.text).substr(cut)));
      items[i].stats = ComputeStats(items[i].block.text);
      items[i].cls = Classify(items[i]);
      break;
    }
  }

  // The headline: the line right before the byline, else the first heading or
  // headline-like line ahead of the first paragraph.
  const size_t fg = first_good();
  size_t title_at = n;
  if (byline < n) {
    for (size_t k = byline, steps = 0; k-- > 0 && steps < 3;) {
      if (items[k].removed) continue;
      ++steps;
      if (!items[k].hard_bad && IsHeadlineLike(items[k])) {
        title_at = k;
        break;
      }
    }
  }
  if (meta->title.empty() && title_at == n) {
    for (size_t k = 0; k < std::min(n, fg); ++k) {
      if (items[k].removed || items[k].hard_bad) continue;
      if (items[k].block.kind == BlockKind::kHeading && items[k].block.heading_level <= 3 &&
          IsHeadlineLike(items[k])) {
        title_at = k;
        break;
      }
    }
    if (title_at == n) {
      for (size_t k = 0; k < std::min(n, fg); ++k) {
        if (items[k].removed || items[k].hard_bad) continue;
        if (IsHeadlineLike(items[k])) title_at = k;
        break;
      }
    }
  }
  if (title_at < n) {
    SetIfEmpty(&meta->title, items[title_at].block.text);
    // Teaser headlines of other stories sit above the article's own headline.
    if (title_at <= fg) {
      for (size_t k = 0; k < title_at; ++k) items[k].removed = true;
    }
    items[title_at].removed = true;
  }
  if (!meta->title.empty()) {
    const std::string want = Squash(meta->title);
    for (Item& it : items) {
      if (!it.removed && it.stats.code_points <= 200 && Squash(it.block.text) == want) {
        it.removed = true;
      }
    }
  }

  // A caption printed twice (image alt text and caption) is not body.
  for (size_t i = 0; i + 1 < n; ++i) {
    if (items[i].removed || items[i + 1].removed) continue;
    if (items[i].block.text == items[i + 1].block.text) {
      items[i].hard_bad = items[i + 1].hard_bad = true;
      items[i].cls = items[i + 1].cls = Cls::kBad;
    }
  }

  // Section labels: after the article has begun, a "related news" or comments heading
  // ends it; before, it only condemns the link list it heads.
  {
    const size_t start = first_good();
    for (size_t i = 0; i < n; ++i) {
      if (items[i].removed || !IsSectionLabel(items[i].block.text)) continue;
      if (i > start && start < n) {
        for (size_t k = i; k < n; ++k) {
          items[k].hard_bad = true;
          items[k].cls = Cls::kBad;
        }
        break;
      }
      items[i].hard_bad = true;
      items[i].cls = Cls::kBad;
      for (size_t k = i + 1; k < n && items[k].cls != Cls::kGood; ++k) {
        items[k].hard_bad = true;
        items[k].cls = Cls::kBad;
      }
    }
  }

  // Context smoothing (jusText): near-good and short blocks take the class of their
  // neighbours. Removed (metadata) blocks are invisible here.
  std::vector<size_t> live;
  for (size_t i = 0; i < n; ++i) {
    if (!items[i].removed) live.push_back(i);
  }
  auto neighbour = [&](size_t li, int dir, bool ignore_neargood) {
    for (long k = static_cast<long>(li) + dir; k >= 0 && k < static_cast<long>(live.size());
         k += dir) {
      const Cls c = items[live[k]].cls;
      if (c == Cls::kShort) continue;
      if (ignore_neargood && c == Cls::kNearGood) continue;
      return c;
    }
    return Cls::kBad;
  };
  std::vector<Cls> revised(live.size());
  for (size_t li = 0; li < live.size(); ++li) {
    const Item& it = items[live[li]];
    revised[li] = it.cls;
    if (it.hard_bad) continue;
    if (it.cls == Cls::kShort) {
      const Cls prev = neighbour(li, -1, true), next = neighbour(li, +1, true);
      if (prev == Cls::kGood && next == Cls::kGood) {
        revised[li] = Cls::kGood;
      } else if (prev == Cls::kBad && next == Cls::kBad) {
        revised[li] = Cls::kBad;
      } else if ((prev == Cls::kBad && neighbour(li, -1, false) == Cls::kNearGood) ||
                 (next == Cls::kBad && neighbour(li, +1, false) == Cls::kNearGood)) {
        revised[li] = Cls::kGood;
      } else if (it.block.kind == BlockKind::kHeading && next == Cls::kGood) {
        // A section heading directly above article text belongs to it.
        revised[li] = Cls::kGood;
      } else {
        revised[li] = Cls::kBad;
      }
    }
  }
  for (size_t li = 0; li < live.size(); ++li) {
    const Item& it = items[live[li]];
    if (it.cls != Cls::kNearGood || it.hard_bad) continue;
    const Cls prev = neighbour(li, -1, true), next = neighbour(li, +1, true);
    revised[li] = (prev == Cls::kBad && next == Cls::kBad) ? Cls::kBad : Cls::kGood;
  }

  // Clusters of good blocks separated by runs of 4+ non-good blocks; keep the largest and
  // any other holding at least 40% as much prose (articles interrupted by a widget).
  struct Cluster {
    size_t begin, end;  // indices into live, inclusive
    double weight;
  };
  std::vector<Cluster> clusters;
  size_t gap = 0;
  for (size_t li = 0; li < live.size(); ++li) {
    if (revised[li] != Cls::kGood) {
      ++gap;
      continue;
    }
    const double w = items[live[li]].stats.weight;
    if (clusters.empty() || gap >= 4) {
      clusters.push_back({li, li, w});
    } else {
      clusters.back().end = li;
      clusters.back().weight += w;
    }
    gap = 0;
  }
  std::vector<std::string> body;
  if (clusters.empty()) {
    // No prose block at all (a short note, a list, a table): keep what is not boilerplate.
    for (size_t li = 0; li < live.size(); ++li) {
      if (!items[live[li]].hard_bad && items[live[li]].cls != Cls::kBad) {
        body.push_back(items[live[li]].block.text);
      }
    }
    return body;
  }
  double best = 0;
  for (const Cluster& c : clusters) best = std::max(best, c.weight);
  for (const Cluster& c : clusters) {
    if (c.weight < best * 0.4) continue;
    for (size_t li = c.begin; li <= c.end; ++li) {
      if (revised[li] == Cls::kGood) body.push_back(items[live[li]].block.text);
    }
  }
  return body;
}

}  // namespace newsclaim::normalize::internal
