// The two NDB data-block ciphers ([MS-PST] 5.1 permutation, 5.2 cyclic). Only external
// (non-internal) data blocks are encoded; B-tree pages and internal blocks never are.
#pragma once

#include <cstdint>
#include <span>

namespace ostfs::ndb {

// bCryptMethod values ([MS-PST] 2.2.2.6).
enum class CryptMethod : uint8_t { None = 0, Permute = 1, Cyclic = 2 };

// NDB_CRYPT_PERMUTE, in place: 64 bytes at a time on CPUs with AVX-512 VBMI, else byte by byte.
void permute_decode(std::span<uint8_t> data);
// The same from `in` to `out` (same size; throws std::invalid_argument otherwise).
void permute_decode(std::span<const uint8_t> in, std::span<uint8_t> out);
void permute_encode(std::span<uint8_t> data);  // the PST writer (export/) encodes with it
// NDB_CRYPT_CYCLIC, in place; the cipher is its own inverse. `key` is the low 32 bits of
// the block's BID.
void cyclic_crypt(std::span<uint8_t> data, uint32_t key);

namespace detail {
// permute_decode without vector instructions: what tests compare the fast path with.
void permute_decode_bytewise(std::span<uint8_t> data);
}  // namespace detail

}  // namespace ostfs::ndb
