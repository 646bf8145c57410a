#include "export/ndb/file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <stdexcept>
#include <system_error>

namespace ostfs::pstw {

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {
int open_for_writing(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "Cannot create " + path.string());
  return fd;
}

// NBT entries sorted in memory at a time: 4 MB.
constexpr size_t kNbtRunEntries = 128 * 1024;
// BBT entries gathered before they are appended to their file.
constexpr size_t kBbtAppendBytes = 1 << 20;

// The B-tree entries (24 bytes a block, 32 a node) wait beside the output, on the disk that
// has room for it; where no file can be made there (an output named by /proc/self/fd/N), in
// $TMPDIR.
SpillFile spill_beside(const std::filesystem::path& output) {
  try {
    return SpillFile::create_in(output.parent_path());
  } catch (const std::system_error&) {
    return SpillFile::create();
  }
}

}  // namespace

FileWriter::FileWriter(const std::filesystem::path& path, Layout layout)
    : layout_(ndb_layout(layout)),
      path_(path),
      fd_(open_for_writing(path)),
      buffer_(layout_.region_size(), 0),
      bits_(layout_.page_data_size(), 0),
      bbt_(spill_beside(path)),
      nbt_(spill_beside(path), layout_.ndb.nbtentry_size, kNbtRunEntries) {
  // The header area stays zero (an invalid file) until finish() writes the real header.
  Bytes zeros(layout_.first_amap_offset, 0);
  pwrite_all(zeros, 0);
  start_region(0);
}

void FileWriter::pwrite_all(std::span<const uint8_t> data, uint64_t offset) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::pwrite(fd_.get(), data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(),
                              "Cannot write " + path_.string() + " at offset " + std::to_string(offset + done));
    }
    done += static_cast<size_t>(n);
  }
}

void FileWriter::start_region(uint64_t r) {
  region_ = r;
  std::fill(buffer_.begin(), buffer_.end(), 0);
  std::fill(bits_.begin(), bits_.end(), 0);
  cursor_ = region_map_bytes(layout_, r);
  amap_mark(bits_, 0, cursor_, layout_.block_unit());
}

void FileWriter::flush_region() {
  const uint64_t base = layout_.region_offset(region_);
  const Bytes all_set(layout_.page_data_size(), 0xFF);
  for (const MapPage& map : region_map_pages(layout_, region_)) {
    // FMap pages cover later regions too; finish() writes them once every region is known.
    if (map.type == ptype::FMap) continue;
    // PMaps and FPMaps are deprecated: all bits set ("no free page here"), as Outlook writes
    // its PMaps and rgbFP, so an old client grows the file rather than trusting them.
    const Bytes page = encode_map_page(layout_, map.type == ptype::AMap ? bits_ : all_set, map.type, base + map.offset);
    std::copy(page.begin(), page.end(), buffer_.begin() + static_cast<ptrdiff_t>(map.offset));
  }
  pwrite_all(buffer_, base);
  free_slots_.push_back(static_cast<uint16_t>(amap_free_slots(bits_)));
  longest_free_.push_back(static_cast<uint16_t>(amap_longest_free_run(bits_)));
}

uint64_t FileWriter::allocate(uint64_t size, uint64_t align) {
  uint64_t start = align_up(cursor_, align);
  if (start + size > layout_.region_size()) {
    flush_region();
    start_region(region_ + 1);
    start = align_up(cursor_, align);
  }
  uint64_t slots = align_up(size, layout_.block_unit());
  amap_mark(bits_, start, slots, layout_.block_unit());
  cursor_ = start + slots;
  return start;  // offset inside the current region
}

uint64_t FileWriter::next_bid(bool internal) {
  uint64_t bid = bidNextB_ | (internal ? kBidInternal : 0);
  bidNextB_ += 4;
  return bid;
}

DataRef FileWriter::write_block(std::span<const uint8_t> data, bool internal) {
  if (finished_) throw std::logic_error("FileWriter used after finish()");
  const PackedBlock packed = pack_block(layout_, data, !internal);
  const uint64_t bid = next_bid(internal);
  const uint64_t in_region = allocate(block_total_size(layout_, packed.stored.size()), layout_.block_unit());
  const uint64_t ib = layout_.region_offset(region_) + in_region;
  Bytes block = seal_block(layout_, packed, bid, ib);
  std::copy(block.begin(), block.end(), buffer_.begin() + static_cast<ptrdiff_t>(in_region));
  // Every block is referenced exactly once; Outlook's cRef counts references + 1.
  bbt_pending_.resize(bbt_pending_.size() + layout_.ndb.bbtentry_size);
  encode_bbt_entry(layout_, {bid, ib, static_cast<uint16_t>(packed.stored.size()), 2, packed.cbInflated},
                   bbt_pending_.data() + bbt_pending_.size() - layout_.ndb.bbtentry_size);
  ++bbt_count_;
  if (bbt_pending_.size() >= kBbtAppendBytes) {
    bbt_.append(bbt_pending_);
    bbt_pending_.clear();
  }
  return {bid, internal ? 0 : data.size()};
}

DataRef FileWriter::write_leaf_bids(const std::vector<uint64_t>& leaves, uint64_t total) {
  if (total > 0xFFFFFFFFull) throw std::length_error("data stream of 4 GiB or more");
  const uint32_t lcb = static_cast<uint32_t>(total);
  const size_t fanout = layout_.xblock_max_entries();
  const size_t leaf_size = layout_.max_block_data();
  if (leaves.size() == 1) return {leaves.front(), total};
  if (leaves.size() <= fanout) {
    Bytes x = encode_xblock(1, lcb, leaves, layout_);
    return {write_block(x, true).bid, total};
  }
  // XXBLOCK: XBLOCKs of `fanout` leaves each. lcbTotal of every XBLOCK is its own share.
  std::vector<uint64_t> xblocks;
  for (size_t i = 0; i < leaves.size(); i += fanout) {
    size_t n = std::min(fanout, leaves.size() - i);
    uint64_t share = std::min<uint64_t>(n * leaf_size, total - i * leaf_size);
    Bytes x = encode_xblock(1, static_cast<uint32_t>(share), std::span<const uint64_t>(leaves.data() + i, n), layout_);
    xblocks.push_back(write_block(x, true).bid);
  }
  if (xblocks.size() > fanout) throw std::length_error("data stream too large for an XXBLOCK");
  Bytes xx = encode_xblock(2, lcb, xblocks, layout_);
  return {write_block(xx, true).bid, total};
}

DataRef FileWriter::write_stream(std::span<const uint8_t> data) {
  if (data.empty()) return {};
  const size_t leaf_size = layout_.max_block_data();
  std::vector<uint64_t> leaves;
  for (size_t off = 0; off < data.size(); off += leaf_size) {
    size_t n = std::min(leaf_size, data.size() - off);
    leaves.push_back(write_block(data.subspan(off, n)).bid);
  }
  return write_leaf_bids(leaves, data.size());
}

DataRef FileWriter::write_stream(uint64_t size,
                                 const std::function<void(uint64_t offset, std::span<uint8_t> out)>& read) {
  if (size == 0) return {};
  const size_t leaf_size = layout_.max_block_data();
  std::vector<uint8_t> block(leaf_size);
  std::vector<uint64_t> leaves;
  for (uint64_t off = 0; off < size; off += leaf_size) {
    const auto n = static_cast<size_t>(std::min<uint64_t>(leaf_size, size - off));
    read(off, std::span(block.data(), n));
    leaves.push_back(write_block(std::span<const uint8_t>(block.data(), n)).bid);
  }
  return write_leaf_bids(leaves, size);
}

DataRef FileWriter::write_block_list(const std::vector<Bytes>& blocks) {
  std::vector<uint64_t> bids;
  std::vector<uint64_t> sizes;
  bids.reserve(blocks.size());
  sizes.reserve(blocks.size());
  for (const Bytes& b : blocks) {
    bids.push_back(write_block(b).bid);
    sizes.push_back(b.size());
  }
  return link_blocks(bids, sizes);
}

DataRef FileWriter::link_blocks(const std::vector<uint64_t>& bids, const std::vector<uint64_t>& sizes) {
  if (bids.size() != sizes.size()) throw std::invalid_argument("link_blocks: a size for every block");
  if (bids.empty()) return {};
  uint64_t total = 0;
  for (uint64_t size : sizes) total += size;
  if (bids.size() == 1) return {bids.front(), total};
  const size_t fanout = layout_.xblock_max_entries();
  if (bids.size() <= fanout) {
    Bytes x = encode_xblock(1, static_cast<uint32_t>(total), bids, layout_);
    return {write_block(x, true).bid, total};
  }
  // XXBLOCK shares assume full blocks; heap pages may be shorter, so each XBLOCK says its own.
  std::vector<uint64_t> xblocks;
  uint64_t lcb = 0;
  for (size_t i = 0; i < bids.size(); i += fanout) {
    const size_t n = std::min(fanout, bids.size() - i);
    uint64_t share = 0;
    for (size_t k = 0; k < n; ++k) share += sizes[i + k];
    lcb += share;
    Bytes x = encode_xblock(1, static_cast<uint32_t>(share), std::span<const uint64_t>(bids.data() + i, n), layout_);
    xblocks.push_back(write_block(x, true).bid);
  }
  if (xblocks.size() > fanout) throw std::length_error("data tree too large for an XXBLOCK");
  Bytes xx = encode_xblock(2, static_cast<uint32_t>(lcb), xblocks, layout_);
  return {write_block(xx, true).bid, total};
}

uint64_t FileWriter::write_subnodes(std::vector<SlEntry> entries) {
  if (entries.empty()) return 0;
  std::sort(entries.begin(), entries.end(), [](const SlEntry& a, const SlEntry& b) { return a.nid < b.nid; });
  for (size_t i = 1; i < entries.size(); ++i)
    if (entries[i].nid == entries[i - 1].nid)
      throw std::invalid_argument("duplicate subnode NID " + std::to_string(entries[i].nid));
  const size_t per_sl = layout_.slblock_max_entries();
  if (entries.size() <= per_sl) return write_block(encode_slblock(entries, layout_), true).bid;
  std::vector<SiEntry> index;
  for (size_t i = 0; i < entries.size(); i += per_sl) {
    size_t n = std::min(per_sl, entries.size() - i);
    uint64_t bid = write_block(encode_slblock(std::span<const SlEntry>(entries.data() + i, n), layout_), true).bid;
    index.push_back({entries[i].nid, bid});
  }
  if (index.size() > layout_.siblock_max_entries())
    throw std::length_error("more than " + std::to_string(per_sl * layout_.siblock_max_entries()) +
                            " subnodes in one node");
  return write_block(encode_siblock(index, layout_), true).bid;
}

void FileWriter::add_node(const NbtEntry& entry) {
  uint8_t record[32];
  encode_nbt_entry(layout_, entry, record);
  nbt_.add(record);
}

Bref FileWriter::place_page() {
  uint64_t in_region = allocate(layout_.page_size(), layout_.page_size());
  return {bidNextP_++, layout_.region_offset(region_) + in_region};
}

void FileWriter::write_page(uint64_t ib, std::span<const uint8_t> page) {
  const uint64_t base = layout_.region_offset(region_);
  if (page.size() != layout_.page_size() || ib < base || ib + page.size() > base + layout_.region_size())
    throw std::logic_error("page outside the current region");
  std::copy(page.begin(), page.end(), buffer_.begin() + static_cast<ptrdiff_t>(ib - base));
}

void FileWriter::finish(const std::array<uint32_t, 32>& rgnid) {
  if (finished_) throw std::logic_error("FileWriter::finish called twice");
  Header header;
  header.root.BREFNBT = build_nbt(layout_, nbt_.count(), [&](size_t, size_t count, uint8_t* out) {
    nbt_.read_next(count, out);
  }, *this);
  // The B-tree's own pages take BIDs from the page counter, not the block one, so the entries
  // are complete and in order.
  bbt_.append(bbt_pending_);
  bbt_pending_ = {};
  const size_t cb = layout_.ndb.bbtentry_size;
  header.root.BREFBBT = build_bbt(layout_, bbt_count_, [&](size_t first, size_t count, uint8_t* out) {
    if (bbt_.read(first * cb, std::span<uint8_t>(out, count * cb)) != count * cb)
      throw std::logic_error("BBT entries missing from their temporary file");
  }, *this);
  flush_region();
  finished_ = true;
  const uint64_t regions = region_ + 1;

  for (uint64_t r = 0; r < regions; ++r) {
    const std::optional<uint64_t> at = region_map_page_offset(layout_, r, ptype::FMap);
    if (!at) continue;
    // One byte per AMap from region r on: the longest free run, in slots, capped at 255.
    Bytes fm(layout_.page_data_size(), 0);
    for (uint64_t k = 0; k < fm.size() && r + k < regions; ++k)
      fm[k] = static_cast<uint8_t>(std::min<uint16_t>(255, longest_free_[r + k]));
    const uint64_t ib = layout_.region_offset(r) + *at;
    pwrite_all(encode_map_page(layout_, fm, ptype::FMap, ib), ib);
  }

  uint64_t free_total = 0;
  std::vector<DListEntry> dlist;
  for (uint64_t r = 0; r < regions; ++r) {
    free_total += static_cast<uint64_t>(free_slots_[r]) * layout_.block_unit();
    if (r + 1 < regions && free_slots_[r] > 0) dlist.push_back({static_cast<uint32_t>(r), free_slots_[r]});
  }
  std::stable_sort(dlist.begin(), dlist.end(),
                   [](const DListEntry& a, const DListEntry& b) { return a.free_slots > b.free_slots; });
  if (dlist.size() > 119) dlist.resize(119);
  // The DList only speeds up Outlook's allocator. Its 12-bit free-slot counts cannot hold a
  // 4 KiB-page region's, and Outlook's own OST leaves it empty (fe01.ost): do the same there.
  const Bytes dl = layout_.pmap_fmap_fpmap
                       ? encode_dlist(layout_, 0x01, static_cast<uint32_t>(region_), dlist, bidNextP_)
                       : encode_dlist(layout_, 0x00, 0, {}, bidNextP_);
  pwrite_all(dl, layout_.dlist_offset);

  header.bidNextP = bidNextP_;
  header.bidNextB = bidNextB_;
  header.dwUnique = ++dwUnique_;
  header.rgnid = rgnid;
  header.bCryptMethod = layout_.bCryptMethod;
  header.root.ibFileEof = layout_.region_offset(regions);
  header.root.ibAMapLast = layout_.region_offset(region_);
  header.root.cbAMapFree = free_total;
  header.root.cbPMapFree = 0;
  header.root.fAMapValid = VALID_AMAP2;
  if (::fsync(fd_.get()) != 0)
    throw std::system_error(errno, std::generic_category(), "Cannot sync " + path_.string());
  auto bytes = encode_header(header, layout_);
  pwrite_all(bytes, 0);
  if (::fsync(fd_.get()) != 0)
    throw std::system_error(errno, std::generic_category(), "Cannot sync " + path_.string());
}

}  // namespace ostfs::pstw
