#include "parser/ltp/bth.h"

#include <string>
#include <unordered_set>

#include "parser/ndb/errors.h"

namespace ostfs::ltp {

using ndb::CorruptError;
using ndb::hex;

Bth::Bth(const Heap& heap, Hid header) : heap_(heap) {
  auto where = [&] { return "BTH " + hex(header) + " of node " + hex(heap.nid()); };
  const std::span<const uint8_t> h = heap.get(header);
  if (h.size() < 8) throw CorruptError(where() + ": BTHHEADER too short");
  if (h[0] != client_sig::BTH) throw CorruptError(where() + ": bType " + hex(h[0]) + ", expected 0xB5");
  cbKey_ = h[1];
  cbEnt_ = h[2];
  bIdxLevels_ = h[3];
  hidRoot_ = ndb::load_u32(h.data() + 4);
  if (cbKey_ == 0 || cbKey_ > 8) throw CorruptError(where() + ": cbKey " + std::to_string(cbKey_) + " not supported");
  if (bIdxLevels_ > kMaxBthLevels) throw CorruptError(where() + ": bIdxLevels " + std::to_string(bIdxLevels_));
}

uint64_t Bth::key_at(const uint8_t* p) const {
  uint64_t v = 0;
  for (int i = cbKey_ - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::optional<std::span<const uint8_t>> Bth::find(uint64_t key) const {
  if (hidRoot_ == 0) return std::nullopt;
  Hid hid = hidRoot_;
  for (int level = bIdxLevels_;; --level) {
    const size_t record = cbKey_ + (level > 0 ? 4 : cbEnt_);
    const std::span<const uint8_t> a = heap_.get(hid);
    const size_t n = a.size() / record;
    // Last record whose key is <= `key`.
    size_t lo = 0, hi = n;
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (key_at(a.data() + mid * record) <= key) lo = mid + 1;
      else hi = mid;
    }
    if (lo == 0) return std::nullopt;
    const uint8_t* r = a.data() + (lo - 1) * record;
    if (level == 0) {
      if (key_at(r) != key) return std::nullopt;
      return std::span<const uint8_t>(r + cbKey_, cbEnt_);
    }
    hid = ndb::load_u32(r + cbKey_);
  }
}

void Bth::for_each(const std::function<void(uint64_t, std::span<const uint8_t>)>& visit) const {
  if (hidRoot_ == 0) return;
  std::unordered_set<Hid> seen;
  std::function<void(Hid, int)> walk = [&](Hid hid, int level) {
    if (!seen.insert(hid).second)
      throw CorruptError("BTH of node " + hex(heap_.nid()) + ": allocation " + hex(hid) + " reached twice");
    const size_t record = cbKey_ + (level > 0 ? 4 : cbEnt_);
    const std::span<const uint8_t> a = heap_.get(hid);
    if (a.size() % record != 0)
      throw CorruptError("BTH of node " + hex(heap_.nid()) + ": allocation " + hex(hid) + " of " +
                         std::to_string(a.size()) + " bytes is not whole records of " + std::to_string(record));
    for (size_t off = 0; off < a.size(); off += record) {
      const uint8_t* r = a.data() + off;
      if (level == 0) visit(key_at(r), std::span<const uint8_t>(r + cbKey_, cbEnt_));
      else walk(ndb::load_u32(r + cbKey_), level - 1);
    }
  };
  walk(hidRoot_, bIdxLevels_);
}

}  // namespace ostfs::ltp
