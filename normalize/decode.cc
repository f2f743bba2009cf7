// Charset choice and conversion. Order of evidence: a BOM (unambiguous, as in WHATWG
// encoding sniffing), the transport's label, <meta> in the head, the XML declaration,
// then strict UTF-8 validity, then ICU's statistical detector.
#include "normalize/decode.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "core/utf8.h"
#include "normalize/text_util.h"

namespace newsclaim::normalize::internal {
namespace {

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':';
}

// Finds `charset` [spaces] = [spaces] [quote] value inside one tag's text.
std::string CharsetAttribute(std::string_view tag_lower, std::string_view tag) {
  size_t at = 0;
  while ((at = tag_lower.find("charset", at)) != std::string_view::npos) {
    size_t p = at + 7;
    while (p < tag.size() && (tag[p] == ' ' || tag[p] == '\t' || tag[p] == '\n')) ++p;
    if (p < tag.size() && tag[p] == '=') {
      ++p;
      while (p < tag.size() && (tag[p] == ' ' || tag[p] == '"' || tag[p] == '\'')) ++p;
      const size_t begin = p;
      while (p < tag.size() && IsLabelChar(tag[p])) ++p;
      if (p > begin) return std::string(tag.substr(begin, p - begin));
    }
    at += 7;
  }
  return "";
}

struct ToUContext {
  uint32_t replaced = 0;
};

// Substitutes U+FFFD like ICU's default callback, and counts the bytes it replaced so the
// loss is reported instead of silent.
void CountingToUCallback(const void* context, UConverterToUnicodeArgs* args, const char* code_units,
                         int32_t length, UConverterCallbackReason reason, UErrorCode* err) {
  if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR) {
    static_cast<ToUContext*>(const_cast<void*>(context))->replaced += static_cast<uint32_t>(length);
  }
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, code_units, length, reason, err);
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

// Converts bytes from `charset` to UTF-8. Returns false when ICU cannot open the charset.
bool ConvertWithIcu(std::string_view bytes, const std::string& charset, std::string* out,
                    uint32_t* replaced) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterCloser> conv(ucnv_open(charset.c_str(), &status));
  if (U_FAILURE(status) || conv == nullptr) return false;
  ToUContext ctx;
  ucnv_setToUCallBack(conv.get(), CountingToUCallback, &ctx, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return false;
  // No ICU charset yields more than two UTF-16 units per input byte.
  std::vector<UChar> u16(bytes.size() * 2 + 16);
  UChar* target = u16.data();
  const char* source = bytes.data();
  ucnv_toUnicode(conv.get(), &target, u16.data() + u16.size(), &source, bytes.data() + bytes.size(),
                 nullptr, /*flush=*/true, &status);
  if (U_FAILURE(status)) return false;
  const int32_t n16 = static_cast<int32_t>(target - u16.data());
  int32_t n8 = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8WithSub(nullptr, 0, &n8, u16.data(), n16, 0xFFFD, nullptr, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) return false;
  out->assign(static_cast<size_t>(n8), '\0');
  status = U_ZERO_ERROR;
  u_strToUTF8WithSub(out->data(), n8, &n8, u16.data(), n16, 0xFFFD, nullptr, &status);
  if (U_FAILURE(status)) return false;
  *replaced = ctx.replaced;
  return true;
}

std::string DetectCharset(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  UCharsetDetector* csd = ucsdet_open(&status);
  if (U_FAILURE(status)) return "";
  // The detector only needs a sample; the first 256 KiB carry enough evidence.
  const int32_t len = static_cast<int32_t>(std::min<size_t>(bytes.size(), 256 << 10));
  ucsdet_enableInputFilter(csd, true);
  ucsdet_setText(csd, bytes.data(), len, &status);
  const UCharsetMatch* match = U_SUCCESS(status) ? ucsdet_detect(csd, &status) : nullptr;
  std::string name;
  if (match != nullptr && U_SUCCESS(status)) {
    const char* n = ucsdet_getName(match, &status);
    if (U_SUCCESS(status) && n != nullptr) name = n;
  }
  ucsdet_close(csd);
  return name.empty() ? "" : CanonicalCharset(name);
}

bool IsAsciiCompatible(const std::string& charset) {
  const std::string l = AsciiLower(charset);
  return !(StartsWith(l, "utf-16") || StartsWith(l, "utf-32") || StartsWith(l, "iso-2022") ||
           l == "hz-gb-2312" || StartsWith(l, "utf-7"));
}

// Drops NUL and C0/C1 control characters (except tab and newline) and turns CR LF / CR
// into LF, so later stages see one line ending.
std::string CleanControls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t run = 0;  // start of the pending run of bytes copied as they are
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  for (size_t i = 0; i < s.size(); ++i) {
#ifdef __SSE2__
    // Sixteen bytes at a time while none is a control character but tab and newline, or
    // 0xC2 (which leads the C1 controls).
    while (i + 16 <= s.size()) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      const __m128i below_space = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);
      const __m128i tab_or_newline = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\t')),
                                                  _mm_cmpeq_epi8(x, _mm_set1_epi8('\n')));
      const __m128i c2 = _mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(0xC2)));
      const __m128i stop = _mm_or_si128(_mm_andnot_si128(tab_or_newline, below_space), c2);
      if (_mm_movemask_epi8(stop) != 0) break;
      i += 16;
    }
#endif
    // Eight bytes at a time while none is below 0x20 or equal to 0xC2.
    while (i + 8 <= s.size()) {
      uint64_t x;
      std::memcpy(&x, s.data() + i, 8);
      const uint64_t below_space = (x - 0x20 * kOnes) & ~x & kHigh;
      const uint64_t c2 = x ^ (0xC2 * kOnes);
      const uint64_t has_c2 = (c2 - kOnes) & ~c2 & kHigh;
      if ((below_space | has_c2) != 0) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    // Fast path: printable ASCII, tab, newline, and every byte but 0xC2 of UTF-8.
    if ((c >= 0x20 && c != 0xC2) || c == '\t' || c == '\n') continue;
    if (c == 0xC2 && !(i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                       static_cast<unsigned char>(s[i + 1]) < 0xA0)) {
      continue;
    }
    out.append(s.data() + run, i - run);
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else if (c == 0xC2) {
      ++i;  // C1 control (U+0080..U+009F): mojibake residue, never text.
    } else if (c == '\f' || c == '\v') {
      out.push_back('\n');
    }
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  return out;
}

bool HasNonAscii(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    if ((x & 0x8080808080808080ULL) != 0) return true;
  }
  for (; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return true;
  }
  return false;
}

// UTF-8 with a few corrupt bytes (a truncated download, one bad paste) is still UTF-8:
// legacy CJK encodings almost never form valid multi-byte UTF-8 sequences by chance.
bool MostlyUtf8(std::string_view bytes) {
  size_t pos = 0, valid = 0, invalid = 0;
  while (pos < bytes.size()) {
    if (static_cast<unsigned char>(bytes[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const size_t start = pos;
    const char32_t c = utf8::Next(bytes, &pos);
    if (c == 0xFFFD && !(pos - start == 3 && bytes.substr(start, 3) == "\xEF\xBF\xBD")) {
      ++invalid;
    } else {
      ++valid;
    }
  }
  return valid >= 8 && valid >= invalid * 10;
}

}  // namespace

std::string CanonicalCharset(std::string_view label_in) {
  std::string label = AsciiLower(Trim(label_in));
  while (!label.empty() && (label.back() == '"' || label.back() == '\'' || label.back() == ';'))
    label.pop_back();
  if (label.empty()) return "";
  // Superset mappings: servers label GBK and GB18030 text as gb2312, and Hong Kong Big5
  // pages use HKSCS characters whatever they declare.
  static constexpr std::pair<std::string_view, std::string_view> kMap[] = {
      {"gb2312", "GB18030"},
      {"gbk", "GB18030"},
      {"x-gbk", "GB18030"},
      {"cp936", "GB18030"},
      {"windows-936", "GB18030"},
      {"gb_2312-80", "GB18030"},
      {"gb_2312", "GB18030"},
      {"euc-cn", "GB18030"},
      {"csgb2312", "GB18030"},
      {"chinese", "GB18030"},
      {"gb18030", "GB18030"},
      {"iso-ir-58", "GB18030"},
      {"big5", "Big5-HKSCS"},
      {"x-x-big5", "Big5-HKSCS"},
      {"cp950", "Big5-HKSCS"},
      {"big5-hkscs", "Big5-HKSCS"},
      {"cn-big5", "Big5-HKSCS"},
      {"x-big5", "Big5-HKSCS"},
      {"csbig5", "Big5-HKSCS"},
      {"utf-8", "UTF-8"},
      {"utf8", "UTF-8"},
      {"unicode-1-1-utf-8", "UTF-8"},
      {"iso-8859-1", "windows-1252"},
      {"latin1", "windows-1252"},
      {"us-ascii", "windows-1252"},
      {"ascii", "windows-1252"},
      {"iso8859-1", "windows-1252"},
      {"utf-16", "UTF-16LE"},
      {"unicode", "UTF-16LE"}};
  for (const auto& [from, to] : kMap) {
    if (label == from) return std::string(to);
  }
  UErrorCode status = U_ZERO_ERROR;
  const char* name = ucnv_getCanonicalName(label.c_str(), "", &status);
  if (U_FAILURE(status) || name == nullptr || *name == '\0') {
    status = U_ZERO_ERROR;
    name = ucnv_getCanonicalName(label.c_str(), "IANA", &status);
  }
  if (U_FAILURE(status) || name == nullptr || *name == '\0') return "";
  return label;
}

// s[at...] starts with lower_word, ignoring ASCII case (lower_word is lower case).
bool StartsWithCi(std::string_view s, size_t at, std::string_view lower_word) {
  if (at > s.size() || s.size() - at < lower_word.size()) return false;
  for (size_t k = 0; k < lower_word.size(); ++k) {
    char c = s[at + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_word[k]) return false;
  }
  return true;
}

// The first position >= from where s has lower_needle (lower case, starting with '<'),
// ignoring ASCII case; npos when none.
size_t FindCi(std::string_view s, std::string_view lower_needle, size_t from) {
  for (size_t at = s.find(lower_needle[0], from); at != std::string_view::npos;
       at = s.find(lower_needle[0], at + 1)) {
    if (StartsWithCi(s, at, lower_needle)) return at;
  }
  return std::string_view::npos;
}

std::string PrescanMetaCharset(std::string_view bytes) {
  // Portals (sina, 163, many Big5 sites) put <meta charset> after kilobytes of scripts
  // and styles, so the whole head is scanned, not WHATWG's first 1024 bytes.
  const std::string_view s = bytes.substr(0, std::min<size_t>(bytes.size(), 1 << 20));
  size_t i = 0;
  while ((i = s.find('<', i)) != std::string_view::npos) {
    auto starts_ci = [&](std::string_view word) { return StartsWithCi(s, i, word); };
    if (starts_ci("<!--")) {
      const size_t end = s.find("-->", i + 4);
      if (end == std::string_view::npos) return "";
      i = end + 3;
      continue;
    }
    if (starts_ci("</head") || starts_ci("<body")) return "";
    if (starts_ci("<script") || starts_ci("<style")) {
      const bool script = starts_ci("<script");
      const size_t gt = s.find('>', i);
      if (gt == std::string_view::npos) return "";
      const size_t end = FindCi(s, script ? "</script" : "</style", gt);
      if (end == std::string_view::npos) return "";
      i = end;
      continue;
    }
    if (starts_ci("<meta") && i + 5 < s.size() &&
        (s[i + 5] == ' ' || s[i + 5] == '\t' || s[i + 5] == '\n' || s[i + 5] == '/')) {
      const size_t gt = s.find('>', i);
      const std::string_view tag =
          s.substr(i, gt == std::string_view::npos ? s.size() - i : gt - i);
      const std::string label = CharsetAttribute(AsciiLower(tag), tag);
      if (!label.empty()) return label;
      if (gt == std::string_view::npos) return "";
      i = gt;
      continue;
    }
    ++i;
  }
  return "";
}

std::string XmlDeclaredCharset(std::string_view bytes) {
  if (!StartsWith(bytes, "<?xml")) return "";
  const size_t end = bytes.find("?>");
  if (end == std::string_view::npos || end > 512) return "";
  const std::string_view decl = bytes.substr(0, end);
  const size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return "";
  size_t p = at + 8;
  while (p < decl.size() && (decl[p] == ' ' || decl[p] == '=' || decl[p] == '"' || decl[p] == '\''))
    ++p;
  const size_t begin = p;
  while (p < decl.size() && IsLabelChar(decl[p])) ++p;
  return std::string(decl.substr(begin, p - begin));
}

StatusOr<Decoded> DecodeBytes(const RawDocument& raw, const NormalizeOptions& options) {
  std::string_view bytes = raw.bytes;
  if (Trim(bytes).empty()) return InvalidArgumentError("empty document");

  Decoded d;
  std::string charset;
  const auto u8 = [](char c) { return static_cast<unsigned char>(c); };
  if (bytes.size() >= 3 && u8(bytes[0]) == 0xEF && u8(bytes[1]) == 0xBB && u8(bytes[2]) == 0xBF) {
    charset = "UTF-8";
    bytes.remove_prefix(3);
  } else if (bytes.size() >= 2 && u8(bytes[0]) == 0xFF && u8(bytes[1]) == 0xFE) {
    charset = "UTF-16LE";
    bytes.remove_prefix(2);
  } else if (bytes.size() >= 2 && u8(bytes[0]) == 0xFE && u8(bytes[1]) == 0xFF) {
    charset = "UTF-16BE";
    bytes.remove_prefix(2);
  }

  if (charset.empty()) {
    size_t nuls = 0;
    for (const char* p = bytes.data();
         (p = static_cast<const char*>(std::memchr(p, 0, bytes.size() - (p - bytes.data())))) !=
         nullptr;
         ++p) {
      ++nuls;
    }
    if (nuls > 0 && nuls * 1000 >= bytes.size()) {
      // UTF-16 without a BOM is the only text with many NUL bytes; anything else is
      // binary. A stray NUL in a web page is dropped with the other control characters.
      const std::string guess = DetectCharset(bytes);
      if (!StartsWith(guess, "UTF-16") && !StartsWith(guess, "UTF-32")) {
        return InvalidArgumentError("binary input: " + std::to_string(nuls) + " NUL bytes");
      }
      charset = guess;
    }
  }

  if (charset.empty()) {
    std::vector<std::string> labels;
    for (const std::string& l :
         {raw.declared_charset, PrescanMetaCharset(bytes), XmlDeclaredCharset(bytes)}) {
      std::string c = CanonicalCharset(l);
      if (!c.empty()) labels.push_back(std::move(c));
    }
    const bool has_non_ascii = HasNonAscii(bytes);
    if (utf8::IsValid(bytes)) {
      // Valid multi-byte UTF-8 is almost never legacy CJK text by accident, while pages
      // that declare gb2312 but were re-saved as UTF-8 are common.
      if (!has_non_ascii && !labels.empty() && IsAsciiCompatible(labels[0])) {
        d.charset = labels[0];
      } else {
        d.charset = "UTF-8";
      }
      d.text = CleanControls(bytes);
      return d;
    }
    if (!labels.empty()) {
      charset = labels[0];
    } else if (MostlyUtf8(bytes)) {
      charset = "UTF-8";
    } else {
      charset = DetectCharset(bytes);
      if (charset.empty()) charset = "UTF-8";
    }
  }

  std::string text;
  uint32_t replaced = 0;
  if (!ConvertWithIcu(bytes, charset, &text, &replaced)) {
    charset = DetectCharset(bytes);
    if (charset.empty() || !ConvertWithIcu(bytes, charset, &text, &replaced)) {
      return InternalError("ICU cannot convert from charset '" + charset + "'");
    }
  }
  // A wrong label (Big5 declared, GBK sent) shows as many replacements: let the detector
  // propose another charset and keep whichever loses fewer bytes.
  if (replaced > 8 && replaced > bytes.size() / 500) {
    const std::string guess = DetectCharset(bytes);
    std::string alt_text;
    uint32_t alt_replaced = 0;
    // Only a multi-byte guess may replace a label: a single-byte charset decodes any
    // bytes at all, so switching to one would hide the loss instead of reporting it.
    const std::string g = AsciiLower(guess);
    const bool multibyte = g == "utf-8" || g == "gb18030" || g == "big5-hkscs" ||
                           g == "shift_jis" || g == "euc-jp" || g == "euc-kr";
    if (multibyte && guess != charset && ConvertWithIcu(bytes, guess, &alt_text, &alt_replaced) &&
        alt_replaced < replaced) {
      charset = guess;
      text = std::move(alt_text);
      replaced = alt_replaced;
    }
  }
  if (bytes.size() > 0 &&
      static_cast<double>(replaced) > options.max_replaced_fraction * bytes.size()) {
    return DataLossError("undecodable text: " + std::to_string(replaced) + " of " +
                         std::to_string(bytes.size()) + " bytes invalid as " + charset);
  }
  d.charset = charset;
  d.replaced_bytes = replaced;
  d.text = CleanControls(text);
  return d;
}

}  // namespace newsclaim::normalize::internal
