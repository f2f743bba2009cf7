// Dates, bylines, titles and JSON-LD as Chinese and English news pages write them.
#include "normalize/metadata.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/utf8.h"
#include "normalize/text_util.h"

namespace newsclaim::normalize::internal {
namespace {

#define NC_D "[0-9０-９]"

int ToInt(re2::StringPiece s) {
  int v = 0;
  size_t pos = 0;
  const std::string_view sv(s.data(), s.size());
  while (pos < sv.size()) {
    const char32_t c = utf8::Next(sv, &pos);
    int digit = -1;
    if (c >= '0' && c <= '9') digit = static_cast<int>(c - '0');
    if (c >= 0xFF10 && c <= 0xFF19) digit = static_cast<int>(c - 0xFF10);
    if (digit >= 0) v = v * 10 + digit;
  }
  return v;
}

int MonthFromName(re2::StringPiece s) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string l = AsciiLower(std::string_view(s.data(), std::min<size_t>(3, s.size())));
  for (int i = 0; i < 12; ++i) {
    if (l == kMonths[i]) return i + 1;
  }
  return 0;
}

// "+0800", "+08:00", "GMT+8", "UTC-5:30", "Z" -> "+08:00" / "Z"; "" when unparseable.
std::string FormatZone(re2::StringPiece z_in) {
  std::string z = CollapseSpaces(std::string_view(z_in.data(), z_in.size()));
  if (z.empty()) return "";
  if (z == "Z" || z == "z") return "Z";
  std::string upper = z;
  for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  if (StartsWith(upper, "GMT") || StartsWith(upper, "UTC")) z = z.substr(3);
  z.erase(std::remove(z.begin(), z.end(), ' '), z.end());
  if (z.empty() || (z[0] != '+' && z[0] != '-')) return "";
  const char sign = z[0];
  std::string digits;
  for (char c : z.substr(1)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  int hh = 0, mm = 0;
  if (z.find(':') != std::string::npos) {
    hh = std::atoi(z.substr(1, z.find(':') - 1).c_str());
    mm = std::atoi(z.substr(z.find(':') + 1).c_str());
  } else if (digits.size() <= 2) {
    hh = std::atoi(digits.c_str());
  } else if (digits.size() == 4) {
    hh = std::atoi(digits.substr(0, 2).c_str());
    mm = std::atoi(digits.substr(2).c_str());
  } else {
    return "";
  }
  if (hh > 14 || mm > 59) return "";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%c%02d:%02d", sign, hh, mm);
  return buf;
}

std::string FormatIso(int y, int mo, int d, int h, int mi, int s, bool has_time, bool has_sec,
                      const std::string& zone) {
  char buf[96];
  if (!has_time) {
    std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, mo, d);
    return buf;
  }
  if (has_sec) {
    std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
  } else {
    std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d", y, mo, d, h, mi);
  }
  return std::string(buf) + zone;
}

bool ValidDate(int y, int mo, int d) {
  return y >= 1900 && y <= 2200 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

const RE2& IsoDateRe() {
  static const RE2 re("(" NC_D "{4})\\s*[-/.]\\s*(" NC_D "{1,2})\\s*[-/.]\\s*(" NC_D
                      "{1,2})(?:(?:T|\\s+)(" NC_D "{1,2})[:：](" NC_D "{2})(?:[:：](" NC_D
                      "{2}))?(?:\\.[0-9]+)?\\s*(Z|[+-]" NC_D "{2}:?" NC_D
                      "{2}|(?:GMT|UTC)\\s*[+-][0-9]{1,2}(?::?[0-9]{2})?)?)?");
  return re;
}

const RE2& ZhDateRe() {
  static const RE2 re(
      "(" NC_D "{4})\\s*年\\s*(" NC_D "{1,2})\\s*月\\s*(" NC_D
      "{1,2})\\s*[日号號]?(?:\\s*(?:[（(]?(?:星期|週|周|礼拜|禮拜)[一二三四五六日天]"
      "[)）]?)?\\s*(上午|下午|早上|晚上|凌晨|中午)?\\s*(" NC_D
      "{1,2})\\s*(?:[:：]|时|時|点|點)\\s*(" NC_D "{1,2})\\s*分?(?:\\s*[:：]?\\s*(" NC_D
      "{1,2})\\s*秒?)?)?");
  return re;
}

const RE2& EnDateRe() {
  static const RE2 re(
      "(?i)\\b(?:(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?\\s+([0-9]{1,2})"
      "(?:st|nd|rd|th)?,?\\s+([0-9]{4})|([0-9]{1,2})(?:st|nd|rd|th)?\\s+(jan|feb|mar|apr|may|"
      "jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?,?\\s+([0-9]{4}))");
  return re;
}

// "9/17/2004 5:54:13 AM" (US order, as ASP and .NET pages print it) and "17/9/2004".
const RE2& SlashDateRe() {
  static const RE2 re(
      "(?:^|[^0-9/.])([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?:\\s+([0-9]{1,2}):([0-9]{2})"
      "(?::([0-9]{2}))?(?:\\s*([AaPp][Mm])\\b)?)?(?:[^0-9]|$)");
  return re;
}

// After a Chinese date, a dash or 至 and a number make it the start of a range
// ("2004年12月11－12日"): the dates of an event, not of the page.
bool StartsRange(std::string_view rest) {
  size_t p = 0;
  while (p < rest.size() && rest[p] == ' ') ++p;
  if (p >= rest.size()) return false;
  const char32_t c = utf8::Next(rest, &p);
  if (c != U'－' && c != U'-' && c != U'~' && c != U'～' && c != U'至' && c != U'到' && c != U'—' &&
      c != U'–') {
    return false;
  }
  while (p < rest.size() && rest[p] == ' ') ++p;
  if (p >= rest.size()) return false;
  const char32_t d = utf8::Next(rest, &p);
  return (d >= '0' && d <= '9') || (d >= 0xFF10 && d <= 0xFF19);
}

}  // namespace

namespace {

// Every date form FindDate knows has a four-digit year: text without four digits in a
// row (ASCII or full-width) holds none, and most lines are ruled out without a regex.
bool HasFourDigitRun(std::string_view s) {
  int run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (b >= '0' && b <= '9') {
      if (++run == 4) return true;
    } else if (b == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
               static_cast<unsigned char>(s[i + 2]) >= 0x90 &&
               static_cast<unsigned char>(s[i + 2]) <= 0x99) {
      if (++run == 4) return true;
      i += 2;
    } else {
      run = 0;
    }
  }
  return false;
}

}  // namespace

bool FindDate(std::string_view s_in, DateMatch* match) {
  if (!HasFourDigitRun(s_in)) return false;
  const re2::StringPiece s(s_in.data(), s_in.size());
  bool found = false;
  DateMatch best;
  best.begin = s_in.size();

  // ISO-style numbers.
  {
    re2::StringPiece g[8];
    size_t start = 0;
    while (start < s.size() && IsoDateRe().Match(s, start, s.size(), RE2::UNANCHORED, g, 8)) {
      const size_t b = static_cast<size_t>(g[0].data() - s.data());
      const int y = ToInt(g[1]), mo = ToInt(g[2]), d = ToInt(g[3]);
      if (ValidDate(y, mo, d)) {
        const bool has_time = !g[4].empty();
        const int h = ToInt(g[4]), mi = ToInt(g[5]);
        const bool time_ok = has_time && h < 24 && mi < 60;
        if (b < best.begin) {
          best.begin = b;
          best.end = b + g[0].size();
          if (!time_ok) best.end = static_cast<size_t>(g[3].data() + g[3].size() - s.data());
          best.iso = FormatIso(y, mo, d, h, mi, ToInt(g[6]), time_ok, !g[6].empty(),
                               time_ok ? FormatZone(g[7]) : "");
          found = true;
        }
        break;
      }
      start = b + std::max<size_t>(1, g[0].size());
    }
  }
  // Chinese 年月日.
  {
    re2::StringPiece g[9];
    size_t start = 0;
    while (start < s.size() && ZhDateRe().Match(s, start, s.size(), RE2::UNANCHORED, g, 9)) {
      const size_t b = static_cast<size_t>(g[0].data() - s.data());
      const int y = ToInt(g[1]), mo = ToInt(g[2]), d = ToInt(g[3]);
      if (ValidDate(y, mo, d) &&
          !StartsRange(s_in.substr(static_cast<size_t>(g[0].data() - s.data()) + g[0].size()))) {
        int h = ToInt(g[5]);
        const int mi = ToInt(g[6]);
        const std::string ampm(g[4].data(), g[4].size());
        if ((ampm == "下午" || ampm == "晚上") && h < 12) h += 12;
        const bool time_ok = !g[5].empty() && h < 24 && mi < 60;
        if (b < best.begin) {
          best.begin = b;
          best.end = b + g[0].size();
          best.iso = FormatIso(y, mo, d, h, mi, ToInt(g[7]), time_ok, !g[7].empty(), "");
          found = true;
        }
        break;
      }
      start = b + std::max<size_t>(1, g[0].size());
    }
  }
  // English month names.
  {
    re2::StringPiece g[7];
    if (EnDateRe().Match(s, 0, s.size(), RE2::UNANCHORED, g, 7)) {
      const size_t b = static_cast<size_t>(g[0].data() - s.data());
      int y, mo, d;
      if (!g[1].empty()) {
        mo = MonthFromName(g[1]);
        d = ToInt(g[2]);
        y = ToInt(g[3]);
      } else {
        d = ToInt(g[4]);
        mo = MonthFromName(g[5]);
        y = ToInt(g[6]);
      }
      if (ValidDate(y, mo, d) && b < best.begin) {
        best.begin = b;
        best.end = b + g[0].size();
        best.iso = FormatIso(y, mo, d, 0, 0, 0, false, false, "");
        found = true;
      }
    }
  }
  // Month/day/year, only when the order is certain: a 12-hour clock (the US form) or a
  // part above 12.
  {
    re2::StringPiece g[8];
    if (SlashDateRe().Match(s, 0, s.size(), RE2::UNANCHORED, g, 8)) {
      const size_t b = static_cast<size_t>(g[1].data() - s.data());
      const int a = ToInt(g[1]), c = ToInt(g[2]), y = ToInt(g[3]);
      const bool ampm = !g[7].empty();
      int mo = 0, d = 0;
      if (ampm || (c > 12 && a <= 12)) {
        mo = a, d = c;
      } else if (a > 12 && c <= 12) {
        mo = c, d = a;
      }
      if (mo > 0 && ValidDate(y, mo, d) && b < best.begin) {
        int h = ToInt(g[4]);
        const int mi = ToInt(g[5]);
        const std::string half(g[7].data(), g[7].size());
        if (ampm && (half[0] == 'P' || half[0] == 'p') && h < 12) h += 12;
        if (ampm && (half[0] == 'A' || half[0] == 'a') && h == 12) h = 0;
        const bool time_ok = !g[4].empty() && h < 24 && mi < 60;
        best.begin = b;
        const re2::StringPiece& last = !time_ok        ? g[3]
                                       : !g[7].empty() ? g[7]
                                       : !g[6].empty() ? g[6]
                                                       : g[5];
        best.end = static_cast<size_t>(last.data() + last.size() - s.data());
        best.iso = FormatIso(y, mo, d, h, mi, ToInt(g[6]), time_ok, !g[6].empty(), "");
        found = true;
      }
    }
  }
  if (found && match != nullptr) *match = best;
  return found;
}

std::string ParseDate(std::string_view s) {
  DateMatch m;
  return FindDate(s, &m) ? m.iso : "";
}

namespace {

// Role words that precede a reporter's or translator's name in Chinese bylines.
constexpr std::string_view kAuthorRoles[] = {
    "特約記者", "特约记者", "實習記者", "实习记者", "駐站記者", "驻站记者", "特派員", "特派员",
    "通訊員",   "通讯员",   "記者",     "记者",     "編譯",     "编译",     "譯者",   "译者",
    "撰文",     "撰稿",     "採訪",     "采访",     "作者",     "文字",     "文",     "整理"};

// Words that end a byline after the name: reports, wires, compilations.
constexpr std::string_view kReportWords[] = {
    "綜合外電報導", "综合外电报导", "綜合報導", "综合报导", "综合报道", "綜合報道",
    "綜合外電",     "综合外电",     "外電報導", "外电报导", "報導",     "报导",
    "報道",         "报道",         "外電",     "外电",     "綜合",     "综合",
    "專電",         "专电",         "電",       "电",       "讯",       "訊"};

bool IsSlash(char32_t c) { return c == U'／' || c == U'/' || c == U'｜' || c == U'|'; }

// Removes report words (and a date/place dateline such as 台北25日) from the end of s.
std::string StripReportSuffix(std::string s) {
  bool changed = true;
  while (changed && !s.empty()) {
    changed = false;
    for (std::string_view w : kReportWords) {
      if (EndsWith(s, w) && s.size() > w.size()) {
        s.resize(s.size() - w.size());
        changed = true;
        break;
      }
    }
    static const RE2 day_re("^(.*?)(?:[0-9０-９]{1,2}日)$");
    std::string head;
    if (RE2::FullMatch(s, day_re, &head) && !head.empty()) {
      s = head;
      changed = true;
    }
  }
  return std::string(Trim(s));
}

// A person's name at the start of s: a run of 2..4 Han characters (the first 3 when the
// run is longer, which is where a place name such as 台北 follows) or Latin words.
std::string TakeName(std::string_view s) {
  s = Trim(s);
  size_t pos = 0, end = 0;
  int han = 0;
  while (pos < s.size()) {
    size_t p = pos;
    const char32_t c = utf8::Next(s, &p);
    if (!IsHan(c) && c != U'·' && c != U'．' && c != U'‧') break;
    if (IsHan(c)) ++han;
    pos = p;
    end = p;
  }
  if (han >= 2) {
    if (han <= 4) return std::string(s.substr(0, end));
    size_t q = 0;
    for (int i = 0; i < 3; ++i) utf8::Next(s, &q);
    return std::string(s.substr(0, q));
  }
  static const RE2 latin_re("^([A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,3})");
  std::string name;
  if (RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), latin_re, &name)) return name;
  return "";
}

// "記者張三", "編譯林文彬", "文／王五" (role part only, name in the next part) -> name.
// Returns true when s starts with a role word; *name may stay empty.
bool MatchRoleName(std::string_view s, std::string* name) {
  s = Trim(s);
  for (std::string_view role : kAuthorRoles) {
    if (!StartsWith(s, role)) continue;
    std::string_view rest = s.substr(role.size());
    size_t p = 0;
    while (p < rest.size()) {
      size_t q = p;
      const char32_t c = utf8::Next(rest, &q);
      if (!IsSpace(c) && c != U'：' && c != U':' && c != U'／' && c != U'/') break;
      p = q;
    }
    // A one-character role (文) must be followed by a separator, or it is just a word.
    if (CodePoints(role) == 1 && p == 0 && !rest.empty()) return false;
    *name = TakeName(StripReportSuffix(std::string(rest.substr(p))));
    return true;
  }
  return false;
}

bool IsReportPart(std::string_view part) {
  static const RE2 dateline_re("^.{0,24}?[0-9０-９]{1,2}日(?:專|专)?(?:電|电)$");
  if (RE2::FullMatch(re2::StringPiece(part.data(), part.size()), dateline_re)) return true;
  for (std::string_view w : kReportWords) {
    if (CodePoints(w) < 2) continue;
    if (EndsWith(part, w) && CodePoints(part) <= CodePoints(w) + 4) return true;
  }
  return false;
}

// "中央社／ 台北25日電", "經濟日報／ 編譯林文彬／綜合外電", "記者王明／台北報導", "文／王五".
// st: ComputeStats(text), which the caller has.
bool ParseSlashByline(std::string_view text, const TextStats& st, Byline* out) {
  if (st.code_points > 60 || st.clause_marks > 0) return false;
  const std::vector<std::string> parts = SplitOn(text, IsSlash);
  if (parts.size() < 2 || parts.size() > 5) return false;
  std::string outlet, author;
  bool evidence = false;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string name;
    if (MatchRoleName(parts[i], &name)) {
      if (name.empty() && i + 1 < parts.size()) name = TakeName(parts[i + 1]), ++i;
      if (!name.empty()) {
        SetIfEmpty(&author, name);
        evidence = true;
        continue;
      }
      return false;
    }
    if (IsReportPart(parts[i])) {
      evidence = true;
      continue;
    }
    const size_t n = CodePoints(parts[i]);
    if (i == 0 && n >= 2 && n <= 16) {
      outlet = parts[i];
      continue;
    }
    return false;
  }
  if (!evidence) return false;
  out->outlet = outlet;
  out->author = author;
  return true;
}

// Label: value pairs on a short metadata line: 作者：X, 来源：Y, 責任編輯：Z.
bool ParseLabelled(std::string_view text, Byline* out, size_t* leftover) {
  // Every label is followed by a colon.
  if (text.find(':') == std::string_view::npos && text.find("：") == std::string_view::npos) {
    *leftover = CodePoints(text);
    return false;
  }
  static const RE2 label_re(
      "(作者|來源|来源|出處|出处|記者|记者|撰文|編輯|编辑|責任編輯|责任编辑|責編|责编|"
      "发文机关|發文機關|[Ss]ource|[Aa]uthor)\\s*[:：]\\s*([^\\s:：|｜]{1,30})");
  re2::StringPiece in(text.data(), text.size());
  re2::StringPiece g[3];
  size_t start = 0;
  size_t covered = 0;
  bool any = false;
  while (start < in.size() && label_re.Match(in, start, in.size(), RE2::UNANCHORED, g, 3)) {
    const std::string label(g[1].data(), g[1].size());
    const std::string value(g[2].data(), g[2].size());
    if (label == "发文机关" || label == "發文機關") {
      SetIfEmpty(&out->author, value);  // the issuing body signs an official document
    } else if (label == "作者" || label == "記者" || label == "记者" || label == "撰文" ||
               label == "Author" || label == "author") {
      SetIfEmpty(&out->author, TakeName(value).empty() ? value : TakeName(value));
    } else if (label == "來源" || label == "来源" || label == "出處" || label == "出处" ||
               label == "Source" || label == "source") {
      SetIfEmpty(&out->outlet, value);
    }
    any = true;
    covered += CodePoints(std::string_view(g[0].data(), g[0].size()));
    start = static_cast<size_t>(g[0].data() - in.data()) + g[0].size();
  }
  *leftover = CodePoints(text) - std::min(CodePoints(text), covered);
  return any;
}

}  // namespace

bool MayHoldDate(std::string_view text) { return HasFourDigitRun(text); }

bool ParseBylineBlock(std::string_view text_in, Byline* out) {
  // Every code point but white space and soft hyphens survives CollapseSpaces: more than
  // 140 of them make the line too long, found without copying it (most lines are prose).
  size_t kept = 0;
  for (size_t pos = 0; pos < text_in.size();) {
    const bool lead = (static_cast<unsigned char>(text_in[pos]) & 0xC0) != 0x80;
    const char32_t c = utf8::Next(text_in, &pos);
    if (lead && c != 0xAD && !IsSpace(c) && ++kept > 140) return false;
  }
  const std::string collapsed = CollapseSpaces(text_in);
  const std::string_view text = collapsed;
  if (text.empty() || CodePoints(text) > 140) return false;
  // The posted-label and forum-signature forms need a date (a four-digit year).
  const bool may_hold_date = HasFourDigitRun(text);
  // Every form below needs a year, "By" in front, a slash between parts or a label's
  // colon: other lines (most of a page) are ruled out before any statistics.
  if (!may_hold_date && !(text.size() > 3 && (text[0] == 'B' || text[0] == 'b') &&
                          (text[1] == 'Y' || text[1] == 'y'))) {
    bool mark = false;
    for (std::string_view m : {"/", "|", ":", "／", "｜", "："}) {
      if (text.find(m) != std::string_view::npos) {
        mark = true;
        break;
      }
    }
    if (!mark) return false;
  }
  const TextStats st = ComputeStats(text);
  Byline b;

  // "Wilson (42865)发表于 2024年05月06日 23时48分 星期一": author, then a "posted" word.
  static const RE2 posted_re(
      "^(.{0,60}?)\\s*(?:\\([0-9]+\\))?\\s*(发表于|發表於|发布于|發布於|發佈於|发表时间|"
      "发布日期|發布日期|發佈日期|发表日期|發表日期|成文日期|发文日期|發文日期|刊登日期|"
      "發表時間|发布时间|發布時間|發佈時間|更新时间|更新時間|发稿时间|發稿時間|[Pp]osted on|"
      "[Pp]ublished on|[Pp]osted|[Pp]ublished|[Uu]pdated|date|Date|日期|時間|时间)\\s*[:：]?\\s*"
      "(.*)$");
  std::string who, label, rest;
  if (may_hold_date && st.clause_marks <= 1 &&
      RE2::FullMatch(text, posted_re, &who, &label, &rest)) {
    DateMatch dm;
    who = std::string(Trim(who));
    // Generic labels (日期, date) only count at the start of the line: "比赛时间2025年..."
    // is a sentence, "Wilson 发表于 ..." is a byline.
    const bool generic =
        label == "date" || label == "Date" || label == "日期" || label == "時間" || label == "时间";
    if (FindDate(rest, &dm) && dm.begin <= 4 && !(generic && !who.empty()) &&
        CodePoints(who) <= 30) {
      b.published = dm.iso;
      b.date_labelled =
          label.find("更新") == std::string::npos && label.find("pdated") == std::string::npos;
      b.document_date = label == "成文日期" || label == "发文日期" || label == "發文日期";
      // The poster is a handle or a name before the label ("Wilson 发表于"), or follows
      // the date ("发布时间 2005/05/17 22:11:42 by 眉间尺"); a board name is neither.
      static const RE2 handle_re("^[\\p{Han}A-Za-z0-9_.·-]{2,24}$");
      static const RE2 by_after_re(
          "^\\s*[-–—]?\\s*(?:[Bb][Yy]\\s+|作者\\s*[:：]?\\s*)([^\\s〓|｜()（）]{2,30})");
      std::string after_name;
      if (RE2::PartialMatch(std::string_view(rest).substr(dm.end), by_after_re, &after_name)) {
        b.author = after_name;
      } else if (RE2::FullMatch(who, handle_re)) {
        b.author = who;
      }
      *out = b;
      return true;
    }
  }

  // "本贴由大卫于2005年8月12日16:12:21在〖心灵体操〗发表": forum post signatures.
  static const RE2 post_by_re(
      "^.{0,12}?(?:本贴|本帖|本文|此贴|此帖|該帖|该帖)由\\s*([^\\s]{1,30}?)\\s*[于於]\\s*(.*)$");
  if (may_hold_date && RE2::FullMatch(text, post_by_re, &who, &rest)) {
    DateMatch dm;
    if (FindDate(rest, &dm) && dm.begin == 0) {
      const std::string_view tail = std::string_view(rest).substr(dm.end);
      for (std::string_view verb : {"发表", "發表", "发布", "發布", "发贴", "發貼", "发帖"}) {
        if (tail.find(verb) == std::string_view::npos) continue;
        b.published = dm.iso;
        b.date_labelled = true;
        b.author = who;
        *out = b;
        return true;
      }
    }
  }

  // "By Jane Doe", "By Jane Doe and John Roe, Reuters".
  static const RE2 by_re("^[Bb][Yy]\\s+([A-Z][A-Za-z.'-]+(?:\\s+[A-Z][A-Za-z.'-]+){0,3})(.*)$");
  std::string name, tail;
  if (st.code_points <= 80 && text.size() > 3 && (text[0] == 'B' || text[0] == 'b') &&
      (text[1] == 'Y' || text[1] == 'y') && RE2::FullMatch(text, by_re, &name, &tail) &&
      ComputeStats(tail).sentence_ends <= 1) {
    b.author = name;
    if (FindDate(tail, nullptr)) b.published = ParseDate(tail);
    *out = b;
    return true;
  }

  if (ParseSlashByline(text, st, &b)) {
    *out = b;
    return true;
  }

  // A line that is a date (with labels such as 作者：X 来源：Y around it).
  DateMatch dm;
  const bool has_date = FindDate(text, &dm);
  size_t leftover = st.code_points;
  const bool labelled = ParseLabelled(text, &b, &leftover);
  if (has_date && st.code_points <= 80 && st.clause_marks == 0) {
    const size_t date_cps = CodePoints(text.substr(dm.begin, dm.end - dm.begin));
    const size_t rest = (labelled ? leftover : st.code_points) -
                        std::min(labelled ? leftover : st.code_points, date_cps);
    if (rest <= 10) {
      b.published = dm.iso;
      *out = b;
      return true;
    }
  }
  if (labelled && leftover <= 6 && st.clause_marks == 0) {
    *out = b;
    return true;
  }
  return false;
}

size_t ParseDatelinePrefix(std::string_view text, Byline* out) {
  size_t consumed = 0;
  // 【大纪元2025年08月21日讯】, 【中央社記者張三台北25日電】
  static const RE2 bracket_re("^\\s*【([^【】]{2,40})】\\s*");
  static const RE2 paren_re("^\\s*[（(]([^（）()]{2,40})[）)]\\s*");
  re2::StringPiece in(text.data(), text.size());
  std::string inner;
  if (RE2::Consume(&in, bracket_re, &inner)) {
    std::string s = inner;
    static const RE2 tail_re("^(.*?)(?:(?:專|专)?(?:讯|訊|電|电|报道|報導|报导))$");
    std::string head;
    if (RE2::FullMatch(s, tail_re, &head)) {
      DateMatch dm;
      size_t date_begin = std::string::npos;
      if (FindDate(head, &dm)) {
        SetIfEmpty(&out->published, dm.iso);
        date_begin = dm.begin;
      } else {
        static const RE2 day_re("^(.*?)[0-9０-９]{1,2}日$");
        std::string before;
        if (RE2::FullMatch(head, day_re, &before)) date_begin = before.size();
      }
      if (date_begin != std::string::npos) {
        std::string who = head.substr(0, date_begin);
        for (std::string_view role : {"記者", "记者"}) {
          const size_t r = who.find(role);
          if (r != std::string::npos) {
            SetIfEmpty(&out->author, TakeName(who.substr(r + role.size())));
            who = who.substr(0, r);
          }
        }
        SetIfEmpty(&out->outlet, std::string(Trim(who)));
        consumed = text.size() - in.size();
      }
    }
    if (consumed == 0) return 0;
  }
  // （大纪元记者纪语安综合报导）, （記者王明／台北報導）
  re2::StringPiece rest = in;
  if (RE2::Consume(&rest, paren_re, &inner)) {
    std::string s = inner;
    for (std::string_view role : kAuthorRoles) {
      if (CodePoints(role) < 2) continue;
      const size_t r = s.find(role);
      if (r == std::string::npos) continue;
      std::string name;
      if (MatchRoleName(std::string_view(s).substr(r), &name) && !name.empty()) {
        SetIfEmpty(&out->author, name);
        const std::string before(Trim(std::string_view(s).substr(0, r)));
        if (CodePoints(before) <= 12) SetIfEmpty(&out->outlet, before);
        consumed = text.size() - rest.size();
      }
      break;
    }
  }
  return consumed;
}

std::string CleanTitle(std::string_view title_in, std::string* site_suffix,
                       std::string_view headline_hint) {
  std::string title = CollapseSpaces(title_in);
  static const RE2 sep_re("\\s+[|｜\\-–—_:]{1,2}\\s+|\\s*[|｜_]\\s*|\\s*——\\s*|\\s+-\\s+");
  std::vector<std::string> parts;
  re2::StringPiece in(title);
  re2::StringPiece g[1];
  size_t start = 0, part_start = 0;
  while (start < in.size() && sep_re.Match(in, start, in.size(), RE2::UNANCHORED, g, 1)) {
    const size_t b = static_cast<size_t>(g[0].data() - in.data());
    if (g[0].empty()) break;
    parts.emplace_back(Trim(std::string_view(title).substr(part_start, b - part_start)));
    part_start = start = b + g[0].size();
  }
  parts.emplace_back(Trim(std::string_view(title).substr(part_start)));
  parts.erase(
      std::remove_if(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); }),
      parts.end());
  if (parts.size() < 2) return title;
  const std::string hint = CollapseSpaces(headline_hint);
  if (!hint.empty()) {
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i] != hint) continue;
      if (site_suffix != nullptr) *site_suffix = i + 1 < parts.size() ? parts.back() : parts[0];
      return parts[i];
    }
  }
  // The headline is the longest part; the site name is the last one.
  size_t best = 0;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (CodePoints(parts[i]) > CodePoints(parts[best])) best = i;
  }
  if (best == parts.size() - 1) return title;  // "Site | Headline": leave as it is.
  if (site_suffix != nullptr) *site_suffix = parts.back();
  if (best != 0) return title;  // section names first: keep the whole title
  return parts[0];
}

std::string CleanOutlet(std::string_view outlet) {
  std::string s = CollapseSpaces(outlet);
  static const RE2 sep_re("^(.+?)\\s*(?:–|—|\\||｜|\\s-\\s|_|:|：|,|，)");
  std::string head;
  if (RE2::PartialMatch(s, sep_re, &head) && !Trim(head).empty()) return std::string(Trim(head));
  return s;
}

namespace {

// Brackets nest JSON; nlohmann parses iteratively but deep values are still costly, and
// no real schema.org block nests beyond a few levels.
bool ShallowJson(std::string_view s) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > 64) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

std::string JsonName(const nlohmann::json& v) {
  if (v.is_string()) return CollapseSpaces(v.get<std::string>());
  if (v.is_object()) {
    auto it = v.find("name");
    if (it != v.end() && it->is_string()) return CollapseSpaces(it->get<std::string>());
  }
  if (v.is_array()) {
    std::string all;
    for (const auto& e : v) {
      const std::string n = JsonName(e);
      if (n.empty()) continue;
      if (!all.empty()) all += ", ";
      all += n;
    }
    return all;
  }
  return "";
}

bool IsArticleType(const nlohmann::json& obj) {
  auto it = obj.find("@type");
  if (it == obj.end()) return false;
  auto check = [](const nlohmann::json& t) {
    if (!t.is_string()) return false;
    const std::string s = t.get<std::string>();
    return s.find("Article") != std::string::npos || s == "BlogPosting" || s == "Report" ||
           s == "LiveBlogPosting";
  };
  if (check(*it)) return true;
  if (it->is_array()) {
    for (const auto& t : *it) {
      if (check(t)) return true;
    }
  }
  return false;
}

void ReadArticleObject(const nlohmann::json& obj, DocMeta* meta) {
  auto str = [&](const char* key) -> std::string {
    auto it = obj.find(key);
    if (it != obj.end() && it->is_string()) return CollapseSpaces(it->get<std::string>());
    return "";
  };
  SetIfEmpty(&meta->title, str("headline"));
  SetIfEmpty(&meta->published, ParseDate(str("datePublished")));
  SetIfEmpty(&meta->published, ParseDate(str("dateCreated")));
  if (auto it = obj.find("author"); it != obj.end()) {
    const std::string a = JsonName(*it);
    if (a.find("://") == std::string::npos) SetIfEmpty(&meta->author, a);
  }
  if (auto it = obj.find("publisher"); it != obj.end()) SetIfEmpty(&meta->outlet, JsonName(*it));
  const std::string url = str("url");
  if (StartsWith(url, "http")) SetIfEmpty(&meta->canonical_url, url);
}

}  // namespace

void ParseJsonLd(std::string_view json, DocMeta* meta) {
  if (json.size() > (4u << 20) || !ShallowJson(json)) return;
  const nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr,
                                                   /*allow_exceptions=*/false);
  if (doc.is_discarded()) return;
  std::vector<const nlohmann::json*> todo = {&doc};
  std::vector<const nlohmann::json*> articles;
  while (!todo.empty() && articles.size() < 16) {
    const nlohmann::json* v = todo.back();
    todo.pop_back();
    if (v->is_array()) {
      for (const auto& e : *v) todo.push_back(&e);
    } else if (v->is_object()) {
      if (IsArticleType(*v)) articles.push_back(v);
      if (auto it = v->find("@graph"); it != v->end()) todo.push_back(&*it);
    }
  }
  for (const nlohmann::json* a : articles) ReadArticleObject(*a, meta);
}

void DetectLanguage(const Article& article, std::string* language, std::string* script) {
  // Sample at most 64 KiB of body: enough for stable ratios.
  const std::string_view body(article.body.data(), std::min<size_t>(article.body.size(), 64 << 10));
  const TextStats st = ComputeStats(body);
  language->clear();
  script->clear();
  if (st.cjk >= 10 && st.cjk * 4 >= st.latin) {
    uint32_t han = 0, changed = 0;
    const std::string_view folded = article.folded;
    size_t pos = 0;
    while (pos < folded.size()) {
      const size_t at = pos;
      const char32_t f = utf8::Next(folded, &pos);
      if (!IsHan(f)) continue;
      const uint32_t b = article.folded_to_body[at];
      if (b >= body.size()) break;
      size_t bp = b;
      const char32_t o = utf8::Next(article.body, &bp);
      if (!IsHan(o)) continue;
      ++han;
      if (o != f) ++changed;
    }
    // Traditional text changes on a quarter or more of its characters under t2s;
    // Simplified text changes on almost none (a quoted Traditional name at most).
    *language = "zh";
    *script = (han > 0 && changed * 100 >= han * 6) ? "zh-Hant" : "zh-Hans";
  } else if (st.latin >= 20 && st.cjk * 20 < st.latin) {
    if (st.words > 0 && st.stopwords * 100 >= st.words * 10) {
      *language = "en";
      *script = "en";
    }
  }
}

namespace {

// True when s holds one of the code points in set: the first characters of the labels a
// pattern requires, checked before running it.
bool HoldsAnyOf(std::string_view s, std::u32string_view set) {
  for (size_t pos = 0; pos < s.size();) {
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
      continue;
    }
    if (set.find(utf8::Next(s, &pos)) != std::u32string_view::npos) return true;
  }
  return false;
}

}  // namespace

std::string FindAuthorLabel(std::string_view text) {
  // The first characters of the labels below (作者, 记者, 撰稿, 编辑, 责任编辑, 责编, 文, ...).
  if (!HoldsAnyOf(text, U"作记記撰编編责責文")) return "";
  // "作者： 罗银胜", "记者 伊琳 李清芬", "编辑：山石", "本报记者罗科苏盈发自北京". The label must
  // not follow a Han character ("该记者说" is prose) unless it is 本报/本刊/特约.
  static const RE2 label_re(
      "(?:^|[^\\p{Han}]|本报|本報|本刊|特约|特約)(?:(?:作者|记者|記者|撰稿|编辑|編輯|"
      "责任编辑|責任編輯|责编|責編)\\s*[:：/／]?|(?:文|撰文)\\s*[:：/／])\\s*"
      "(\\p{Han}{2,4}(?:\\s+\\p{Han}{2,4}){0,4})(?:$|[^\\p{Han}。？！?!…，,]|发自|發自|报道|報導|"
      "报导|摄|攝)");
  std::string name;
  const std::string collapsed = CollapseSpaces(text);
  if (!RE2::PartialMatch(collapsed, label_re, &name)) return "";
  return name;
}

namespace {

// Drops a trailing place-and-report token from a name list: "彭冲 山东冠县报道" -> "彭冲".
std::string DropReportTokens(const std::string& names) {
  std::string out;
  for (const std::string& tok : SplitOn(names, [](char32_t c) { return IsSpace(c); })) {
    bool report = false;
    for (std::string_view w : kReportWords) {
      if (CodePoints(w) >= 2 && EndsWith(tok, w)) report = true;
    }
    if (report || tok.empty()) break;
    if (!out.empty()) out += ' ';
    out += tok;
  }
  return out;
}

// Words that end organisation names, which brackets and labels also hold ("（新华社）").
bool LooksLikeOrganisation(std::string_view name) {
  for (std::string_view w :
       {"社", "网", "網", "报", "報", "台", "刊",   "站",   "部",   "局",  "院",
        "会", "會", "处", "處", "办", "辦", "中心", "公司", "集团", "集團"}) {
    if (EndsWith(name, w)) return true;
  }
  return false;
}

}  // namespace

std::string FindWriterLabel(std::string_view text) {
  // The first characters of the labels below (作者, 记者, 撰稿, 执笔, 主笔, 通讯员, 文, ...).
  if (!HoldsAnyOf(text, U"作记記撰执執主通文")) return "";
  const std::string collapsed = CollapseSpaces(text);
  // The label must not follow a Han character ("该记者说" is prose) unless it is 本报/本刊/
  // 特约, or the line is short enough to be a byline ("新京报记者 彭冲 山东冠县报道").
  static const RE2 label_re(
      "(?:^|[^\\p{Han}]|本报|本報|本刊|特约|特約)(?:(?:作者|记者|記者|撰稿人|撰稿|执笔人|執筆人|"
      "执笔|執筆|主笔|主筆|通讯员|通訊員)"
      "\\s*[:：/／]?|(?:文|撰文)\\s*[:：/／])\\s*"
      "(\\p{Han}{2,4}(?:\\s+\\p{Han}{2,6}){0,4})(?:$|[^\\p{Han}。？！?!…，,]|发自|發自|报道|報導|"
      "报导|摄|攝)");
  static const RE2 short_re(
      "^\\p{Han}{1,8}?(?:记者|記者|通讯员|通訊員)\\s*(\\p{Han}{2,4}(?:\\s+\\p{Han}{2,6}){0,4})"
      "(?:$|[^\\p{Han}。？！?!…，,]|发自|發自|报道|報導|报导|摄|攝)");
  std::string name;
  if (!RE2::PartialMatch(collapsed, label_re, &name) &&
      !(CodePoints(collapsed) <= 40 && RE2::PartialMatch(collapsed, short_re, &name))) {
    return "";
  }
  name = DropReportTokens(name);
  if (LooksLikeOrganisation(name)) return "";
  return name;
}

std::string FindTrailingAuthor(std::string_view line_in) {
  // Chinese news often ends with the author in brackets, on its own line ("（袁源）") or
  // closing the last paragraph ("……高质量发展。（记者 胡晓蓉）").
  const std::string line = CollapseSpaces(line_in);
  static const RE2 trailing_re(
      "(^|[。！？!?”」』.…])\\s*[（(]\\s*(?:(?:记者|記者|通讯员|通訊員|作者|文)\\s*[:：/／]?\\s*)?"
      "(\\p{Han}{2,3}(?:\\s*[ 、，,]\\s*\\p{Han}{2,3}){0,5})\\s*[）)]\\s*$");
  std::string lead, name;
  if (!RE2::PartialMatch(line, trailing_re, &lead, &name)) return "";
  for (std::string_view w : {"完", "待续", "待續", "全文完", "本文完", "图", "圖", "组图", "組圖",
                             "资料图", "資料圖", "未完", "续完", "續完", "下同", "同上"}) {
    if (name == w) return "";
  }
  std::string out;
  for (const std::string& n : SplitOn(
           name, [](char32_t c) { return IsSpace(c) || c == U'、' || c == U'，' || c == ','; })) {
    if (n.empty()) continue;
    if (LooksLikeOrganisation(n)) return "";
    if (!out.empty()) out += ' ';
    out += n;
  }
  return out;
}

namespace {

// Common Chinese surnames (Simplified and Traditional), compound ones first.
constexpr std::string_view kCompoundSurnames[] = {
    "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫", "令狐", "慕容",
    "尉迟", "尉遲", "长孙", "長孫", "宇文", "司徒", "公孙", "公孫", "夏侯", "轩辕", "軒轅", "端木"};
constexpr std::string_view kSurnames =
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮"
    "邓鄧曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范"
    "金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢"
    "严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷"
    "詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁"
    "冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司卓古吉缪繆简簡"
    "车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟邬"
    "鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺官封谈談"
    "匡鞠惠荆荊乐樂冀郁胥南班储儲原栗燕楚鄢劳勞谌諶奚皮粟冼蔺藺楼樓盘盤满滿闻聞位厉厲伊仝区"
    "區郜海阚闞花权權强強帅帥屠豆朴盖蓋练練廉禹井祖漆巴丰瞿睢扬揚";

bool HasSurname(std::string_view name) {
  for (std::string_view c : kCompoundSurnames) {
    if (StartsWith(name, c)) return true;
  }
  size_t p = 0;
  utf8::Next(name, &p);
  return kSurnames.find(name.substr(0, p)) != std::string_view::npos;
}

}  // namespace

bool IsPersonNameLine(std::string_view line) {
  const std::string s = CollapseSpaces(line);
  static const RE2 names_re("^\\p{Han}{2,4}(?: \\p{Han}{2,4}){0,3}$");
  if (!RE2::FullMatch(s, names_re)) return false;
  const std::vector<std::string> names = SplitOn(s, [](char32_t c) { return c == ' '; });
  for (const std::string& n : names) {
    bool compound = false;
    for (std::string_view c : kCompoundSurnames) compound |= StartsWith(n, c);
    if (!HasSurname(n) || LooksLikeOrganisation(n) || (CodePoints(n) == 4 && !compound)) {
      return false;
    }
  }
  return true;
}

}  // namespace newsclaim::normalize::internal
