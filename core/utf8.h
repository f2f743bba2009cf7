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
// advance by one byte. ASCII is decoded inline: most text callers walk is ASCII markup or
// English.
inline char32_t Next(std::string_view s, size_t* pos) {
  const unsigned char c = static_cast<unsigned char>(s[*pos]);
  if (c < 0x80) {
    ++*pos;
    return c;
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
