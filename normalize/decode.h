// Bytes to UTF-8 text: charset choice (transport label, BOM, <meta> prescan, XML
// declaration, UTF-8 validity, ICU detection) and conversion with counted replacements.
#ifndef NEWSCLAIM_NORMALIZE_DECODE_H_
#define NEWSCLAIM_NORMALIZE_DECODE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/types.h"
#include "normalize/normalize.h"

namespace newsclaim::normalize::internal {

struct Decoded {
  std::string text;     // UTF-8, BOM removed, NUL and C0 controls (but \t \n) removed
  std::string charset;  // name of the encoding used, e.g. "UTF-8", "GB18030", "Big5-HKSCS"
  uint32_t replaced_bytes = 0;
};

// Maps a charset label (any case, with WHATWG aliases) to the converter newsclaim uses:
// GB2312/GBK/x-gbk/cp936 -> "GB18030", Big5/x-x-big5/cp950 -> "Big5-HKSCS",
// ISO-8859-1/US-ASCII -> "windows-1252", utf8 -> "UTF-8". Returns "" for a label ICU does
// not know.
std::string CanonicalCharset(std::string_view label);

// The charset named by <meta charset> or <meta http-equiv="Content-Type" content=...>
// anywhere before </head> or <body (bounded to the first 1 MiB), or "" when none.
std::string PrescanMetaCharset(std::string_view bytes);
// The encoding of an <?xml ... encoding="..."?> declaration at the start, or "".
std::string XmlDeclaredCharset(std::string_view bytes);

// Decodes raw.bytes. Errors: kInvalidArgument for empty or binary input (NUL bytes),
// kDataLoss when more than options.max_replaced_fraction of the bytes are undecodable,
// kInternal when ICU fails.
StatusOr<Decoded> DecodeBytes(const RawDocument& raw, const NormalizeOptions& options);

}  // namespace newsclaim::normalize::internal

#endif  // NEWSCLAIM_NORMALIZE_DECODE_H_
