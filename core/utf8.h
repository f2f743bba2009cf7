// Small UTF-8 helpers shared by every stage (standard library only).
#ifndef NEWSCLAIM_CORE_UTF8_H_
#define NEWSCLAIM_CORE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace newsclaim::utf8 {

// Next for a lead byte of 0x80 and above.
char32_t NextMultiByte(std::string_view s, size_t* pos);

// Decodes the code point at s[*pos] and advances *pos. Invalid bytes yield U+FFFD and
// advance by one byte. ASCII and most three-byte forms are decoded inline: most text
// callers walk is ASCII markup, English or Chinese.
inline char32_t Next(std::string_view s, size_t* pos) {
  const size_t i = *pos;
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *pos = i + 1;
    return c;
  }
  // Three-byte forms led by E1..EC, EE or EF (U+1000..U+FFFF but surrogates) can be
  // neither overlong nor surrogates: decoded inline too, since CJK text is mostly these.
  if (c >= 0xE1 && c != 0xED && i + 2 < s.size()) {
    const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    const unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
    if (c < 0xF0 && (c1 & 0xC0) == 0x80 && (c2 & 0xC0) == 0x80) {
      *pos = i + 3;
      return (static_cast<char32_t>(c & 0x0F) << 12) | (static_cast<char32_t>(c1 & 0x3F) << 6) |
             (c2 & 0x3F);
    }
  }
  return NextMultiByte(s, pos);
}
// Appends the UTF-8 encoding of cp to out.
void Append(char32_t cp, std::string* out);
// True when s is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
bool IsValid(std::string_view s);
// Number of code points in s[0, byte_offset).
size_t CodePointCount(std::string_view s, size_t byte_offset);

}  // namespace newsclaim::utf8

#endif  // NEWSCLAIM_CORE_UTF8_H_
