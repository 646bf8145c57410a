#include "parser/ndb/block.h"

#include <isa-l/igzip_lib.h>

#include <string>

#include "parser/ndb/crc.h"
#include "parser/ndb/errors.h"

namespace ostfs::ndb {

size_t block_disk_size(const BbtEntry& entry, const Layout& layout) {
  const size_t raw = entry.cb + layout.block_trailer_size;
  return (raw + layout.block_alignment - 1) / layout.block_alignment * layout.block_alignment;
}

namespace {

// zlib-inflates `data` into exactly `out.size()` bytes, checking the stream's Adler-32. ISA-L's
// one-shot inflate, not zlib's: zlib took a third of the time of reading and rendering a
// compressed OST (bench/RESULTS.md, "Session 10").
void inflate_into(std::span<const uint8_t> data, std::span<uint8_t> out) {
  // A few dozen KB of tables, set up again for each block, not allocated again.
  thread_local inflate_state state;
  isal_inflate_init(&state);
  state.crc_flag = ISAL_ZLIB;
  state.next_in = const_cast<uint8_t*>(data.data());  // ISA-L does not write through it
  state.avail_in = static_cast<uint32_t>(data.size());
  state.next_out = out.data();
  state.avail_out = static_cast<uint32_t>(out.size());
  const int rc = isal_inflate_stateless(&state);
  if (rc != ISAL_DECOMP_OK)
    throw CorruptError("zlib stream does not inflate to " + std::to_string(out.size()) + " bytes (ISA-L error " +
                       std::to_string(rc) + ")");
  if (state.total_out != out.size())
    throw CorruptError("zlib stream inflates to " + std::to_string(state.total_out) + " bytes, not " +
                       std::to_string(out.size()));
}

// What a block's trailer says, once checked against its BBT entry and its CRC.
struct CheckedBlock {
  std::span<const uint8_t> stored;  // the data as stored (cb bytes)
  bool compressed = false;
  size_t size = 0;                  // bytes once decoded
};

CheckedBlock check_block(std::span<const uint8_t> raw, const BbtEntry& entry, const Layout& layout) {
  // Built only for an error: a full read of a mailbox checks millions of blocks.
  auto where = [&] { return "block " + hex(entry.bid) + " at " + hex(entry.ib); };
  if (raw.size() != block_disk_size(entry, layout) || raw.size() > layout.max_block_size)
    throw CorruptError(where() + ": cb " + std::to_string(entry.cb) + " too large");
  const uint8_t* t = raw.data() + raw.size() - layout.block_trailer_size;
  const uint16_t cb = load_u16(t);
  uint32_t stored_crc = 0;
  uint64_t bid = 0;
  if (layout.format == Format::Ansi) {
    bid = load_u32(t + 4);
    stored_crc = load_u32(t + 8);
  } else {
    stored_crc = load_u32(t + 4);
    bid = load_u64(t + 8);
  }
  if (cb != entry.cb)
    throw CorruptError(where() + ": trailer cb " + std::to_string(cb) + ", BBT says " + std::to_string(entry.cb));
  if ((bid & ~uint64_t{1}) != (entry.bid & ~uint64_t{1}))
    throw CorruptError(where() + ": trailer bid " + hex(bid) + " does not match");
  CheckedBlock block;
  block.stored = raw.first(cb);
  // Some writers leave dwCRC zero; Outlook always sets it.
  if (stored_crc != 0) {
    const uint32_t crc = compute_crc(block.stored);
    if (crc != stored_crc) throw CrcError(where() + ": bad CRC (stored " + hex(stored_crc) + ", computed " + hex(crc) + ")");
  }
  block.compressed = layout.compressed_blocks && entry.cb != 0 && entry.cbInflated != 0 && entry.cb != entry.cbInflated;
  block.size = cb;
  if (block.compressed) {
    const uint16_t trailer_inflated = load_u16(t + 18);
    if (trailer_inflated != entry.cbInflated)
      throw CorruptError(where() + ": trailer inflated size " + std::to_string(trailer_inflated) + ", BBT says " +
                         std::to_string(entry.cbInflated));
    block.size = entry.cbInflated;
  }
  return block;
}

void inflate_block(const CheckedBlock& block, const BbtEntry& entry, std::span<uint8_t> out) {
  try {
    inflate_into(block.stored, out);
  } catch (const CorruptError& e) {
    throw CorruptError("block " + hex(entry.bid) + " at " + hex(entry.ib) + ": " + e.what());
  }
}

// Undoes the file's cipher on a block's data; internal blocks are never encoded.
void decrypt(std::span<uint8_t> data, const BbtEntry& entry, CryptMethod crypt) {
  if (is_internal(entry.bid)) return;
  if (crypt == CryptMethod::Permute) permute_decode(data);
  else if (crypt == CryptMethod::Cyclic) cyclic_crypt(data, static_cast<uint32_t>(entry.bid));
}

}  // namespace

Bytes inflate_exact(std::span<const uint8_t> data, size_t size) {
  Bytes out(size);
  inflate_into(data, out);
  return out;
}

Bytes decode_block(Bytes raw, const BbtEntry& entry, const Layout& layout, CryptMethod crypt) {
  const CheckedBlock block = check_block(raw, entry, layout);
  Bytes data;
  if (block.compressed) {
    data.resize(block.size);
    inflate_block(block, entry, data);
  } else {
    // The data is decoded where it was read: the trailer and padding are cut off.
    data = std::move(raw);
    data.resize(block.size);
  }
  decrypt(data, entry, crypt);
  return data;
}

void decode_block_into(std::span<const uint8_t> raw, const BbtEntry& entry, const Layout& layout, CryptMethod crypt,
                       std::span<uint8_t> out) {
  const CheckedBlock block = check_block(raw, entry, layout);
  if (out.size() != block.size)
    throw CorruptError("block " + hex(entry.bid) + ": " + std::to_string(block.size) + " bytes, expected " +
                       std::to_string(out.size()));
  if (block.compressed) {
    inflate_block(block, entry, out);
    decrypt(out, entry, crypt);
  } else if (crypt == CryptMethod::Permute && !is_internal(entry.bid)) {
    permute_decode(block.stored, out);  // one pass: decoded on the way to `out`
  } else {
    std::copy(block.stored.begin(), block.stored.end(), out.begin());
    decrypt(out, entry, crypt);
  }
}

}  // namespace ostfs::ndb
