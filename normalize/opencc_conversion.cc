// OpenCcConversion: an OpenCC converter loaded once, and the role of every code point in
// its dictionaries (see normalize.h), for the fast folding paths of normalize and index.
#include <opencc/opencc.h>

#include <algorithm>
#include <deque>
#include <exception>
#include <opencc/Config.hpp>
#include <opencc/Conversion.hpp>
#include <opencc/ConversionChain.hpp>
#include <opencc/Converter.hpp>
#include <opencc/Dict.hpp>
#include <opencc/DictEntry.hpp>
#include <opencc/Lexicon.hpp>
#include <opencc/MaxMatchSegmentation.hpp>
#include <string>
#include <unordered_set>

#include "core/utf8.h"
#include "normalize/normalize.h"

namespace newsclaim::normalize {
namespace {

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (size_t pos = 0; pos < s.size(); ++n) utf8::Next(s, &pos);
  return n;
}

// Tables indexed by code point are only as long as the largest code point in the
// dictionaries (a few hundred KB instead of the 4.4 MB that zeroing all of Unicode costs at
// start-up); past their end every code point is in no key.
template <typename T>
T& Grown(std::vector<T>* table, char32_t c) {
  if (c >= table->size()) table->resize(size_t{c} + 1, T{});
  return (*table)[c];
}

// Keys some conversion step changes, for MayChange: the keys themselves and, by first
// code point, the longest such key's length in bytes.
struct ChangingKeys {
  std::deque<std::string> storage;  // stable addresses for the views below
  std::unordered_set<std::string_view> keys;
  std::vector<uint16_t> longest;  // by first code point; 0 (or past the end): no changing key
  bool any_text = false;          // a key too long to index: every text may change
};

void CollectChangingKeys(const opencc::DictPtr& dict, ChangingKeys* out) {
  const opencc::LexiconPtr lexicon = dict->GetLexicon();
  for (const auto& entry : *lexicon) {
    const std::string& key = entry->Key();
    if (key.empty() || entry->GetDefault() == key) continue;
    if (key.size() > 0xFFFF) {
      out->any_text = true;
      continue;
    }
    size_t pos = 0;
    const char32_t first = utf8::Next(key, &pos);
    if (first > 0x10FFFF) {
      out->any_text = true;
      continue;
    }
    uint16_t& longest = Grown(&out->longest, first);
    longest = static_cast<uint16_t>(std::max<size_t>(longest, key.size()));
    if (out->keys.count(key) == 0) out->keys.insert(out->storage.emplace_back(key));
  }
}

// Raises roles[c] for every code point c of every key in dict.
void ScanDictionary(const opencc::DictPtr& dict, std::vector<uint8_t>* roles) {
  // Held: a group's lexicon is built for the call and would die before the loop.
  const opencc::LexiconPtr lexicon = dict->GetLexicon();
  for (const auto& entry : *lexicon) {
    const std::string& key = entry->Key();
    const std::string& to = entry->GetDefault();
    // Key and value are compared code point by code point; when their lengths differ, every
    // code point of the key changes.
    const bool same_length = CountCodePoints(key) == CountCodePoints(to);
    size_t k = 0, t = 0;
    while (k < key.size()) {
      const char32_t c = utf8::Next(key, &k);
      const bool changes = !same_length || c != utf8::Next(to, &t);
      if (c > 0x10FFFF) continue;
      uint8_t& role = Grown(roles, c);
      role = std::max<uint8_t>(
          role, changes ? OpenCcConversion::kChangedByKey : OpenCcConversion::kKeptByKeys);
    }
  }
}

}  // namespace

struct OpenCcConversion::Impl {
  opencc::ConverterPtr converter;
  ChangingKeys changing;
};

OpenCcConversion::OpenCcConversion() : impl_(std::make_unique<Impl>()) {}
OpenCcConversion::~OpenCcConversion() = default;

StatusOr<std::unique_ptr<const OpenCcConversion>> OpenCcConversion::Load(
    const std::string& config) {
  std::string error;
  for (const std::string& path : {config, "/usr/share/opencc/" + config}) {
    try {
      std::unique_ptr<OpenCcConversion> c(new OpenCcConversion());
      opencc::Config loader;
      c->impl_->converter = loader.NewFromFile(path);
      static_assert(kInNoKey == 0, "Grown() fills new table entries with 0");
      if (auto seg = std::dynamic_pointer_cast<opencc::MaxMatchSegmentation>(
              c->impl_->converter->GetSegmentation())) {
        ScanDictionary(seg->GetDict(), &c->roles_);
      }
      for (const opencc::ConversionPtr& step :
           c->impl_->converter->GetConversionChain()->GetConversions()) {
        ScanDictionary(step->GetDict(), &c->roles_);
        CollectChangingKeys(step->GetDict(), &c->impl_->changing);
      }
      return std::unique_ptr<const OpenCcConversion>(std::move(c));
    } catch (const std::exception& e) {
      error = "OpenCC " + config + ": " + e.what();
    }
  }
  return InternalError(error);
}

bool OpenCcConversion::MayChange(std::string_view text) const {
  const ChangingKeys& ck = impl_->changing;
  if (ck.any_text) return true;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t c = utf8::Next(text, &pos);
    const size_t longest = c < ck.longest.size() ? ck.longest[c] : 0;
    if (longest == 0) continue;
    // Every prefix of text[start...] that ends on a code point boundary, up to the longest
    // changing key starting with c.
    for (size_t end = pos; end - start <= longest;) {
      if (ck.keys.count(text.substr(start, end - start)) > 0) return true;
      if (end >= text.size()) break;
      utf8::Next(text, &end);
    }
  }
  return false;
}

std::string OpenCcConversion::Convert(std::string_view text) const {
  return impl_->converter->Convert(std::string(text));
}

}  // namespace newsclaim::normalize
