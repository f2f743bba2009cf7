// OpenCcConversion: an OpenCC converter loaded once, and the role of every code point in
// its dictionaries (see normalize.h), for the fast folding paths of normalize and index.
#include <opencc/opencc.h>

#include <algorithm>
#include <exception>
#include <opencc/Config.hpp>
#include <opencc/Conversion.hpp>
#include <opencc/ConversionChain.hpp>
#include <opencc/Converter.hpp>
#include <opencc/Dict.hpp>
#include <opencc/DictEntry.hpp>
#include <opencc/Lexicon.hpp>
#include <opencc/MaxMatchSegmentation.hpp>

#include "core/utf8.h"
#include "normalize/normalize.h"

namespace newsclaim::normalize {
namespace {

std::vector<char32_t> CodePointsOf(std::string_view s) {
  std::vector<char32_t> out;
  size_t pos = 0;
  while (pos < s.size()) out.push_back(utf8::Next(s, &pos));
  return out;
}

// Raises roles[c] for every code point c of every key in dict.
void ScanDictionary(const opencc::DictPtr& dict, std::vector<uint8_t>* roles) {
  // Held: a group's lexicon is built for the call and would die before the loop.
  const opencc::LexiconPtr lexicon = dict->GetLexicon();
  for (const auto& entry : *lexicon) {
    const std::vector<char32_t> key = CodePointsOf(entry->Key());
    const std::vector<char32_t> to = CodePointsOf(entry->GetDefault());
    for (size_t j = 0; j < key.size(); ++j) {
      if (key[j] >= roles->size()) continue;
      const bool changes = key.size() != to.size() || key[j] != to[j];
      uint8_t& role = (*roles)[key[j]];
      role = std::max<uint8_t>(
          role, changes ? OpenCcConversion::kChangedByKey : OpenCcConversion::kKeptByKeys);
    }
  }
}

}  // namespace

struct OpenCcConversion::Impl {
  opencc::ConverterPtr converter;
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
      c->roles_.assign(0x110000, kInNoKey);
      if (auto seg = std::dynamic_pointer_cast<opencc::MaxMatchSegmentation>(
              c->impl_->converter->GetSegmentation())) {
        ScanDictionary(seg->GetDict(), &c->roles_);
      }
      for (const opencc::ConversionPtr& step :
           c->impl_->converter->GetConversionChain()->GetConversions()) {
        ScanDictionary(step->GetDict(), &c->roles_);
      }
      return std::unique_ptr<const OpenCcConversion>(std::move(c));
    } catch (const std::exception& e) {
      error = "OpenCC " + config + ": " + e.what();
    }
  }
  return InternalError(error);
}

std::string OpenCcConversion::Convert(std::string_view text) const {
  return impl_->converter->Convert(std::string(text));
}

}  // namespace newsclaim::normalize
