// index: folding for search, duplicate signatures (MinHash by one permutation hashing),
// the incremental index update and duplicate clustering (union-find over exact and
// LSH-candidate pairs).
#include "index/index.h"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/sha256.h"
#include "core/utf8.h"
#include "normalize/normalize.h"
#include "store/search_tokenizer.h"

namespace newsclaim::index {
namespace {

using store::Store;

// OpenCC tw2sp, loaded once per process (loading the dictionaries costs tens of ms), with
// the role of every code point in its dictionaries.
using Tw2sp = normalize::OpenCcConversion;

const Tw2sp* Tw2spConverter(std::string* error) {
  static const StatusOr<std::unique_ptr<const Tw2sp>> tw2sp = Tw2sp::Load("tw2sp.json");
  if (!tw2sp.ok()) {
    if (error != nullptr) *error = tw2sp.status().message();
    return nullptr;
  }
  return tw2sp->get();
}

// OpenCC-clean text: well-formed UTF-8 without NUL bytes: text itself when it is, else a
// cleaned copy in *storage.
std::string_view CleanForOpenCC(std::string_view text, std::string* storage) {
  if (utf8::IsValid(text) && text.find('\0') == std::string_view::npos) return text;
  std::string& clean = *storage;
  clean.clear();
  size_t pos = 0;
  while (pos < text.size()) {
    const char32_t c = utf8::Next(text, &pos);
    utf8::Append(c == 0 ? U' ' : c, &clean);
  }
  return clean;
}

// splitmix64's finaliser: a good 64-bit mixer.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t HashBytes(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ull;
  return Mix(h);
}

constexpr int kBinBits = 7;  // 2^7 = kMinhashBins
static_assert((1 << kBinBits) == kMinhashBins, "bins must be a power of two");
static_assert(kMinhashBins % kBands == 0, "bands must divide the bins");
// A bucket member is compared with at most this many earlier members of its bucket, so a
// huge bucket (many copies of one story) costs linear time.
constexpr size_t kMaxBucketHeads = 4;

StatusOr<Store::IndexEntry> MakeEntry(const Store::IndexSource& src) {
  Store::IndexEntry e;
  e.article_id = src.article_id;
  StatusOr<std::string> title = FoldForSearch(src.title);
  if (!title.ok()) return title.status();
  StatusOr<std::string> body = FoldForSearch(src.body);
  if (!body.ok()) return body.status();
  e.title = std::move(title).value();
  e.body = std::move(body).value();
  Signature sig = ComputeSignature(e.body);
  e.body_hash = std::move(sig.body_hash);
  e.shingles = sig.shingles;
  for (uint32_t v : sig.minhash) {
    for (int b = 0; b < 4; ++b) e.minhash.push_back(static_cast<char>((v >> (8 * b)) & 0xFF));
  }
  // Figures of one article share sentences and sources: fold each distinct text once.
  std::unordered_map<std::string, std::string> folds;
  for (const Store::IndexClaim& c : src.claims) {
    Store::IndexClaim f;
    f.figure_id = c.figure_id;
    for (auto [in, out] : {std::pair{&c.text, &f.text}, std::pair{&c.sentence, &f.sentence},
                           std::pair{&c.source, &f.source}}) {
      auto it = folds.find(*in);
      if (it == folds.end()) {
        StatusOr<std::string> folded = FoldForSearch(*in);
        if (!folded.ok()) return folded.status();
        it = folds.emplace(*in, std::move(folded).value()).first;
      }
      *out = it->second;
    }
    e.claims.push_back(std::move(f));
  }
  return e;
}

std::vector<uint32_t> DecodeMinhash(const std::string& bytes) {
  std::vector<uint32_t> out(bytes.size() / 4);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (size_t i = 0; i < out.size(); ++i, p += 4) {
    out[i] = static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
             (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
  }
  return out;
}

// Union-find over the articles that have a duplicate; the root of a set is its smallest
// id, so the cluster id does not depend on the order of the unions.
class UnionFind {
 public:
  int64_t Find(int64_t x) {
    auto it = parent_.find(x);
    if (it == parent_.end()) return x;
    while (it->second != it->first) {
      it->second = parent_.find(it->second)->second;  // path halving
      it = parent_.find(it->second);
    }
    return it->first;
  }
  void Union(int64_t a, int64_t b) {
    parent_.emplace(a, a);
    parent_.emplace(b, b);
    const int64_t ra = Find(a), rb = Find(b);
    if (ra == rb) return;
    if (ra < rb) {
      parent_[rb] = ra;
    } else {
      parent_[ra] = rb;
    }
  }
  std::vector<int64_t> Members() const {
    std::vector<int64_t> out;
    out.reserve(parent_.size());
    for (const auto& [k, v] : parent_) out.push_back(k);
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::unordered_map<int64_t, int64_t> parent_;
};

Status Recluster(Store& store, UpdateStats* stats) {
  UnionFind uf;
  std::unordered_set<int64_t> body_twins;
  // Exact duplicates: equal hashes of the normalised body.
  std::string prev_hash;
  int64_t first = 0;
  NC_RETURN_IF_ERROR(store.ForEachBodyHash([&](int64_t id, const std::string& hash) {
    if (hash.empty()) return Status::Ok();
    if (hash == prev_hash) {
      uf.Union(first, id);
      body_twins.insert(first);
      body_twins.insert(id);
    } else {
      prev_hash = hash;
      first = id;
    }
    return Status::Ok();
  }));
  // Near duplicates: members of one LSH bucket are compared with the bucket's first
  // members and linked when the estimated Jaccard similarity reaches the threshold.
  // Signatures are read only for comparisons: most buckets have one member.
  struct Member {
    int64_t id = 0;
    std::vector<uint32_t> minhash;
    bool loaded = false;
    Status Load(Store& store) {
      if (loaded) return Status::Ok();
      StatusOr<std::string> bytes = store.GetMinhash(id);
      if (!bytes.ok()) return bytes.status();
      minhash = DecodeMinhash(*bytes);
      loaded = true;
      return Status::Ok();
    }
  };
  std::vector<Member> heads;
  int cur_band = -1;
  std::string cur_key;
  constexpr int kBandBytes = 4 * kMinhashBins / kBands;
  NC_RETURN_IF_ERROR(store.ForEachMinhashBand(
      kBands, kBandBytes, [&](int band, const std::string& key, int64_t id) -> Status {
        if (band != cur_band || key != cur_key) {
          cur_band = band;
          cur_key = key;
          heads.clear();
        }
        Member mine;
        mine.id = id;
        for (Member& h : heads) {
          if (uf.Find(h.id) == uf.Find(id)) continue;
          NC_RETURN_IF_ERROR(h.Load(store));
          NC_RETURN_IF_ERROR(mine.Load(store));
          if (EstimateJaccard(h.minhash, mine.minhash) >= kNearDuplicateJaccard) uf.Union(h.id, id);
        }
        if (heads.size() < kMaxBucketHeads) heads.push_back(std::move(mine));
        return Status::Ok();
      }));
  std::vector<Store::ClusterAssignment> linked;
  stats->clusters = 0;
  stats->clustered = 0;
  for (int64_t id : uf.Members()) {
    const int64_t root = uf.Find(id);
    ++stats->clustered;
    if (root == id) {
      ++stats->clusters;
      continue;
    }
    linked.push_back({id, root, body_twins.count(id) ? "body" : "near"});
  }
  stats->reclustered = true;
  return store.ReplaceClusters(linked);
}

}  // namespace

StatusOr<Store::IndexEntry> MakeIndexEntry(const Article& article, const Claims& claims) {
  // What UnindexedArticles reads back once the article is stored (store/rebuild.cc
  // InsertArticleRows writes the figures in this order, a sentence only when its index
  // is valid, a source name only when the figure names one).
  Store::IndexSource src;
  src.title = article.title;
  src.body = article.body;
  src.claims.reserve(claims.figures.size());
  for (const Figure& f : claims.figures) {
    Store::IndexClaim c;
    c.text = f.text;
    if (f.sentence >= 0 && static_cast<size_t>(f.sentence) < article.sentences.size()) {
      const Span& s = article.sentences[f.sentence];
      if (s.end >= s.begin && s.end <= article.body.size()) {
        c.sentence = article.body.substr(s.begin, s.end - s.begin);
      }
    }
    if (f.source >= 0 && static_cast<size_t>(f.source) < claims.sources.size()) {
      c.source = claims.sources[f.source].name;
    }
    src.claims.push_back(std::move(c));
  }
  return MakeEntry(src);
}

StatusOr<std::string> FoldForSearch(std::string_view text) {
  std::string error;
  const Tw2sp* tw2sp = Tw2spConverter(&error);
  if (tw2sp == nullptr) return InternalError(error);
  std::string storage;
  const std::string_view clean = CleanForOpenCC(text, &storage);
  // The text is cut around characters no dictionary key holds (no match, and no
  // segment boundary decision, can depend on what lies across them), and only the pieces
  // holding a character some key changes go through OpenCC: the others would come out as
  // they went in. The result equals OpenCC over the whole text (FoldForSearchWhole) at a
  // fraction of the cost: English text never reaches OpenCC, Chinese text only by clause.
  std::string out;
  out.reserve(clean.size());
  // clean[copied, ...) is not in out yet; the piece being read starts at `piece`.
  size_t copied = 0, piece = 0;
  bool piece_changes = false;
  try {
    // The piece clean[piece, end) ends: converted when it may change, else left to be
    // copied with what follows.
    auto flush = [&](size_t end) {
      if (!piece_changes) return;
      const std::string_view chunk = clean.substr(piece, end - piece);
      // A piece with a character some key changes goes through OpenCC only when such a
      // key occurs in it (characters of keys that change length all count as changed).
      if (!tw2sp->MayChange(chunk)) return;
      out.append(clean, copied, piece - copied);
      out += tw2sp->Convert(chunk);
      copied = end;
    };
    size_t pos = 0;
    while (pos < clean.size()) {
      const size_t start = pos;
      const char32_t c = utf8::Next(clean, &pos);
      const Tw2sp::Role role = tw2sp->RoleOf(c);
      if (role == Tw2sp::kInNoKey) {
        flush(start);
        piece = pos;
        piece_changes = false;
      } else if (role == Tw2sp::kChangedByKey) {
        piece_changes = true;
      }
    }
    flush(clean.size());
    out.append(clean, copied, clean.size() - copied);
  } catch (const std::exception& e) {
    return InternalError(std::string("OpenCC tw2sp: ") + e.what());
  }
  return out;
}

StatusOr<std::string> FoldForSearchWhole(std::string_view text) {
  std::string error;
  const Tw2sp* tw2sp = Tw2spConverter(&error);
  if (tw2sp == nullptr) return InternalError(error);
  std::string storage;
  const std::string_view clean = CleanForOpenCC(text, &storage);
  if (clean.empty()) return std::string();
  try {
    return tw2sp->Convert(clean);
  } catch (const std::exception& e) {
    return InternalError(std::string("OpenCC tw2sp: ") + e.what());
  }
}

Signature ComputeSignature(std::string_view folded_body) {
  Signature sig;
  // The tokens (Store::TokenizeForSearch, kUnits) joined by \x1f, and their hashes.
  std::string canonical;
  canonical.reserve(folded_body.size() + folded_body.size() / 2);
  std::vector<uint64_t> token_hashes;
  token_hashes.reserve(folded_body.size() / 3);
  store::tokenizer::ForEachToken(folded_body, Store::TokenizeMode::kUnits,
                                 [&](std::string_view t, uint32_t, uint32_t, bool) {
                                   canonical += t;
                                   canonical += '\x1f';
                                   token_hashes.push_back(HashBytes(t));
                                 });
  std::vector<uint64_t> shingles;
  if (!token_hashes.empty()) {
    const size_t n = token_hashes.size() < static_cast<size_t>(kShingleTokens)
                         ? 1
                         : token_hashes.size() - kShingleTokens + 1;
    shingles.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      uint64_t h = 0;
      for (size_t k = i; k < std::min(token_hashes.size(), i + kShingleTokens); ++k) {
        h = Mix(h * 0x100000001B3ull + token_hashes[k]);
      }
      shingles.push_back(h);
    }
    std::sort(shingles.begin(), shingles.end());
    shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  }
  sig.shingles = static_cast<int64_t>(shingles.size());
  if (sig.shingles < kMinShingles) return sig;  // too short for any duplicate
  sig.body_hash = Sha256Hex(canonical);
  // One permutation hashing: the top bits choose the bin, the low 32 bits compete.
  std::vector<uint32_t> mins(kMinhashBins, 0);
  std::vector<bool> filled(kMinhashBins, false);
  for (uint64_t s : shingles) {
    const uint64_t h = Mix(s);
    const size_t bin = static_cast<size_t>(h >> (64 - kBinBits));
    const uint32_t v = static_cast<uint32_t>(h);
    if (!filled[bin] || v < mins[bin]) {
      mins[bin] = v;
      filled[bin] = true;
    }
  }
  // Densification (Shrivastava 2017): an empty bin takes the value of a filled bin chosen
  // by a hash of (bin, attempt), the same sequence for every document, so equal sets give
  // equal signatures and the collision probability stays the Jaccard similarity.
  sig.minhash = mins;
  for (size_t j = 0; j < static_cast<size_t>(kMinhashBins); ++j) {
    if (filled[j]) continue;
    for (uint64_t attempt = 1;; ++attempt) {
      const size_t k = static_cast<size_t>(Mix((j << 32) | attempt) % kMinhashBins);
      if (filled[k]) {
        sig.minhash[j] = mins[k];
        break;
      }
    }
  }
  return sig;
}

double EstimateJaccard(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() || a.size() != b.size()) return 0;
  size_t same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  return static_cast<double>(same) / static_cast<double>(a.size());
}

StatusOr<double> Similarity(Store& store, int64_t article_a, int64_t article_b) {
  StatusOr<std::string> a = store.GetMinhash(article_a);
  if (!a.ok()) return a.status();
  StatusOr<std::string> b = store.GetMinhash(article_b);
  if (!b.ok()) return b.status();
  return EstimateJaccard(DecodeMinhash(*a), DecodeMinhash(*b));
}

StatusOr<UpdateStats> Update(Store& store, const UpdateOptions& options) {
  UpdateStats stats;
  StatusOr<int64_t> removed = store.RemoveStaleIndexRows();
  if (!removed.ok()) return removed.status();
  stats.removed = *removed;
  const int threads =
      std::max(1, options.threads > 0 ? options.threads
                                      : static_cast<int>(std::thread::hardware_concurrency()));
  const int batch_size = std::max(1, options.batch) * threads;
  int64_t after = 0;
  while (true) {
    StatusOr<std::vector<Store::IndexSource>> batch = store.UnindexedArticles(after, batch_size);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    after = batch->back().article_id;
    const size_t n = batch->size();
    std::vector<Store::IndexEntry> entries(n);
    std::vector<Status> errors(n);
    auto work = [&](size_t t, size_t stride) {
      for (size_t i = t; i < n; i += stride) {
        StatusOr<Store::IndexEntry> e = MakeEntry((*batch)[i]);
        if (e.ok()) {
          entries[i] = std::move(e).value();
        } else {
          errors[i] = e.status();
        }
      }
    };
    const size_t workers = std::min<size_t>(threads, n);
    std::vector<std::thread> pool;
    for (size_t t = 1; t < workers; ++t) pool.emplace_back(work, t, workers);
    work(0, workers);
    for (std::thread& th : pool) th.join();
    for (const Status& s : errors) NC_RETURN_IF_ERROR(s);
    NC_RETURN_IF_ERROR(store.PutIndexEntries(entries));
    stats.indexed += static_cast<int64_t>(n);
  }
  StatusOr<int64_t> unclustered = store.CountUnclusteredArticles();
  if (!unclustered.ok()) return unclustered.status();
  if (stats.indexed > 0 || stats.removed > 0 || *unclustered > 0) {
    NC_RETURN_IF_ERROR(Recluster(store, &stats));
  }
  return stats;
}

StatusOr<std::unique_ptr<Store>> OpenForSearch(const std::string& path, bool update,
                                               UpdateStats* stats) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotFoundError("no database at " + path);
  if (update) {
    StatusOr<std::unique_ptr<Store>> rw = Store::Open(path, store::StoreOptions());
    if (rw.ok()) {
      StatusOr<UpdateStats> st = Update(**rw);
      if (!st.ok()) return st.status();
      if (stats != nullptr) *stats = *st;
      return rw;
    }
    if (rw.status().code() != StatusCode::kFailedPrecondition) return rw.status();
  }
  store::StoreOptions ro;
  ro.read_only = true;
  return Store::Open(path, ro);
}

}  // namespace newsclaim::index
