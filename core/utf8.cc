// UTF-8 decoding and encoding without third-party code.
#include "core/utf8.h"

#include <cstring>

namespace newsclaim::utf8 {

char32_t NextMultiByte(std::string_view s, size_t* pos) {
  const size_t i = *pos;
  const unsigned char c = static_cast<unsigned char>(s[i]);
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    *pos = i + 1;
    return 0xFFFD;
  }
  if (i + len > s.size()) {
    *pos = i + 1;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      *pos = i + 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return 0xFFFD;
  }
  *pos = i + len;
  return cp;
}

void Append(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsValid(std::string_view s) {
  // Well-formed UTF-8 as in Unicode's table 3-7: no overlong forms, surrogates or values
  // above U+10FFFF (exactly what Next decodes without a replacement), checked on the bytes
  // without decoding.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t pos = 0;
  while (pos < n) {
    // Eight ASCII bytes at a time.
    if (pos + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + pos, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        pos += 8;
        continue;
      }
    }
    const unsigned char c = p[pos];
    if (c < 0x80) {
      ++pos;
      continue;
    }
    auto cont = [&](size_t k) { return pos + k < n && (p[pos + k] & 0xC0) == 0x80; };
    if (c < 0xC2) return false;  // a continuation byte, or an overlong 2-byte form
    if (c < 0xE0) {
      if (!cont(1)) return false;
      pos += 2;
    } else if (c < 0xF0) {
      if (!cont(1) || !cont(2)) return false;
      if ((c == 0xE0 && p[pos + 1] < 0xA0) || (c == 0xED && p[pos + 1] >= 0xA0)) return false;
      pos += 3;
    } else if (c < 0xF5) {
      if (!cont(1) || !cont(2) || !cont(3)) return false;
      if ((c == 0xF0 && p[pos + 1] < 0x90) || (c == 0xF4 && p[pos + 1] >= 0x90)) return false;
      pos += 4;
    } else {
      return false;
    }
  }
  return true;
}

size_t CodePointCount(std::string_view s, size_t byte_offset) {
  size_t n = 0;
  for (size_t i = 0; i < byte_offset && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace newsclaim::utf8
