#include "export/ltp/heap.h"

#include <stdexcept>
#include <string>

#include "export/ndb/block.h"

namespace ostfs::pstw {
namespace {
constexpr size_t kMaxAllocsPerBlock = 2047;  // the HID's 11-bit index

bool is_bitmap_block(size_t i) { return i >= 8 && (i - 8) % 128 == 0; }

// Fill level nibble of a block with `free_bytes` free ([MS-PST] 2.3.1.5 FILL_LEVEL_*).
uint8_t fill_level(size_t free_bytes) {
  static constexpr size_t kThresholds[] = {3584, 2560, 2048, 1792, 1536, 1280, 1024, 768, 512, 256, 128, 64, 32, 16, 8};
  for (uint8_t i = 0; i < 15; ++i)
    if (free_bytes >= kThresholds[i]) return i;
  return 15;
}
}  // namespace

size_t HeapBuilder::header_size(size_t i) {
  if (i == 0) return 12;              // HNHDR
  if (is_bitmap_block(i)) return 66;  // HNBITMAPHDR
  return 2;                           // HNPAGEHDR
}

size_t HeapBuilder::block_size(size_t header, size_t used, size_t count) {
  return align_up(header + used, 2) + 4 + 2 * (count + 1);
}

void HeapBuilder::start_block() {
  if (blocks_.size() >= 65536) throw std::length_error("heap with more than 65,536 blocks");
  if (sink_ && !blocks_.empty()) {
    const size_t last = blocks_.size() - 1;
    if (last != 0 && !is_bitmap_block(last)) {
      Bytes page = finish_page(last);
      blocks_[last].handed_over = true;
      sink_(last, std::move(page));
    }
  }
  Block fresh;
  fresh.page.reserve(kMaxBlockData);
  fresh.page.resize(header_size(blocks_.size()), 0);
  blocks_.push_back(std::move(fresh));
}

Hid HeapBuilder::allocate(std::span<const uint8_t> data) {
  if (data.size() > kMaxHeapAllocation)
    throw std::length_error("heap allocation of " + std::to_string(data.size()) + " bytes exceeds 3580");
  const auto fits = [&](const Block& b, size_t index) {
    const size_t header = header_size(index);
    return b.starts.size() < kMaxAllocsPerBlock &&
           block_size(header, b.page.size() - header + data.size(), b.starts.size() + 1) <= kMaxBlockData;
  };
  if (blocks_.empty() || !fits(blocks_.back(), blocks_.size() - 1)) start_block();
  Block& b = blocks_.back();
  b.starts.push_back(static_cast<uint16_t>(b.page.size()));
  b.page.insert(b.page.end(), data.begin(), data.end());
  return make_hid(static_cast<uint32_t>(blocks_.size() - 1), static_cast<uint32_t>(b.starts.size()));
}

void HeapBuilder::update(Hid hid, std::span<const uint8_t> data) {
  Block& b = blocks_.at(hid >> 16);
  if (b.handed_over) throw std::logic_error("heap update of a page already written");
  const size_t index = ((hid >> 5) & 0x7FF) - 1;
  const size_t start = b.starts.at(index);
  const size_t end = index + 1 < b.starts.size() ? b.starts[index + 1] : b.page.size();
  if (end - start != data.size()) throw std::invalid_argument("heap update changes the allocation size");
  std::copy(data.begin(), data.end(), b.page.begin() + static_cast<ptrdiff_t>(start));
}

Bytes HeapBuilder::finish_page(size_t i) {
  Bytes b = std::move(blocks_[i].page);
  const std::vector<uint16_t> starts = std::move(blocks_[i].starts);
  const uint16_t end_of_allocations = static_cast<uint16_t>(b.size());
  if (b.size() % 2) b.push_back(0);
  const uint16_t ibHnpm = static_cast<uint16_t>(b.size());
  append_u16(b, static_cast<uint16_t>(starts.size()));  // cAlloc
  append_u16(b, 0);                                     // cFree
  for (uint16_t o : starts) append_u16(b, o);
  append_u16(b, end_of_allocations);
  store_u16(b.data(), ibHnpm);
  if (i == 0) {
    b[2] = kHeapSignature;
    b[3] = bClientSig_;
    store_u32(b.data() + 4, hidUserRoot_);
  }
  if (fill_levels_.size() <= i) fill_levels_.resize(i + 1, 0);
  fill_levels_[i] = fill_level(kMaxBlockData - b.size());
  return b;
}

std::vector<Bytes> HeapBuilder::serialize() && {
  if (blocks_.empty()) start_block();
  std::vector<Bytes> out(blocks_.size());
  for (size_t i = 0; i < blocks_.size(); ++i)
    if (!blocks_[i].handed_over) out[i] = finish_page(i);
  // Outlook writes zero fill levels for single-block heaps and real ones otherwise. The pages
  // that hold them (0 and the bitmap pages) are never handed over early.
  if (out.size() > 1) {
    for (size_t i = 0; i < out.size(); ++i) {
      size_t holder = i < 8 ? 0 : 8 + ((i - 8) / 128) * 128;
      size_t slot = i < 8 ? i : (i - 8) % 128;
      uint8_t* area = out[holder].data() + (holder == 0 ? 8 : 2);
      area[slot / 2] |= static_cast<uint8_t>(fill_levels_[i] << (4 * (slot % 2)));
    }
  }
  blocks_.clear();
  return out;
}

std::span<const uint8_t> heap_lookup(const std::vector<Bytes>& blocks, Hid hid) {
  const size_t bi = hid >> 16;
  const size_t idx = (hid >> 5) & 0x7FF;
  if ((hid & 0x1F) != 0 || bi >= blocks.size() || idx == 0)
    throw std::out_of_range("invalid HID " + std::to_string(hid));
  const Bytes& b = blocks[bi];
  const uint16_t ibHnpm = load_u16(b.data());
  const uint16_t cAlloc = load_u16(b.data() + ibHnpm);
  if (idx > cAlloc) throw std::out_of_range("HID " + std::to_string(hid) + " beyond cAlloc");
  const uint16_t start = load_u16(b.data() + ibHnpm + 4 + 2 * (idx - 1));
  const uint16_t end = load_u16(b.data() + ibHnpm + 4 + 2 * idx);
  return std::span<const uint8_t>(b.data() + start, end - start);
}

}  // namespace ostfs::pstw
