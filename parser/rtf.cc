// [MS-OXRTFCP] Rich Text Format (RTF) Compression Algorithm: decompression of
// PR_RTF_COMPRESSED. De-encapsulation ([MS-OXRTFEX]) is in rtf_deencapsulate.cc.
#include "parser/rtf.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string_view>

#include <isa-l/crc.h>

namespace ostfs::rtf {
namespace {

// [MS-OXRTFCP] 2.1.3.1.1: COMPTYPE values.
constexpr uint32_t kCOMPRESSED = 0x75465A4C;    // "LZFu"
constexpr uint32_t kUNCOMPRESSED = 0x414C454D;  // "MELA"

// [MS-OXRTFCP] 2.1.3.1.1: COMPSIZE counts the CONTENTS plus the 12 header bytes after it.
constexpr size_t kHeaderSize = 16;
constexpr uint32_t kCompSizeHeaderPart = 12;

// [MS-OXRTFCP] 2.1.2.1: the dictionary is 4096 bytes and starts with this string.
constexpr size_t kDictionarySize = 4096;
constexpr std::string_view kInitialDictionary =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
    "\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0"
    "\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
static_assert(kInitialDictionary.size() == 207);

// A control byte and eight 2-byte references yield at most 8 * 17 bytes: no stream can
// expand more than 8-fold, whatever RAWSIZE claims.
constexpr size_t kMaxExpansion = 8;

// [MS-OXRTFCP] 2.1.3.2: the CRC-32 of polynomial 0xEDB88320 starting at 0 with no final
// inversion. ISA-L's gzip CRC inverts on the way in and out, so starting it from ~0 and
// inverting its result gives this one.
uint32_t crc(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return 0;
  return ~crc32_gzip_refl(0xFFFFFFFFu, bytes.data(), bytes.size());
}

uint32_t read_le32(std::span<const uint8_t> bytes, size_t offset) {
  return static_cast<uint32_t>(bytes[offset]) | static_cast<uint32_t>(bytes[offset + 1]) << 8 |
         static_cast<uint32_t>(bytes[offset + 2]) << 16 |
         static_cast<uint32_t>(bytes[offset + 3]) << 24;
}

std::string hex32(uint32_t v) {
  char buf[11];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

[[noreturn]] void fail(const std::string& what) {
  throw RtfError("PR_RTF_COMPRESSED: " + what);
}

// [MS-OXRTFCP] 2.2.3: runs of a control byte (read from its low bit up) and up to 8
// tokens; a set bit marks a 2-byte big-endian dictionary reference (12-bit offset,
// 4-bit length - 2), a clear bit a literal byte. A reference to the write position ends
// the data.
std::string decompress_lzfu(std::span<const uint8_t> contents, uint32_t raw_size) {
  // The dictionary is the last 4096 bytes written, so the output itself serves as the
  // dictionary: a reference to slot `offset` reads `distance` bytes back from the write
  // position, with distance = (write - offset) mod 4096 whatever the slot. In front of the
  // output sit the initial dictionary and, before it, zeros for the slots not written yet
  // (the reference may reach 4095 bytes back). No ring buffer to keep up for every byte.
  constexpr size_t kLead = kDictionarySize;
  const size_t limit = std::min<size_t>(raw_size, contents.size() * kMaxExpansion);
  std::string buffer(kLead + limit, '\0');
  std::copy(kInitialDictionary.begin(), kInitialDictionary.end(),
            buffer.begin() + static_cast<std::ptrdiff_t>(kLead - kInitialDictionary.size()));
  char* const begin = buffer.data() + kLead;
  char* const end = begin + limit;
  char* at = begin;
  // The ring buffer's write position: it starts after the initial dictionary.
  auto write_slot = [&] { return (kInitialDictionary.size() + static_cast<size_t>(at - begin)) & (kDictionarySize - 1); };
  auto finish = [&] {
    buffer.resize(static_cast<size_t>(at - buffer.data()));
    buffer.erase(0, kLead);
    // A short body would otherwise carry the dictionary's 4 KiB lead along in its capacity.
    if (buffer.capacity() > 2 * buffer.size() + 64) buffer.shrink_to_fit();
    return std::move(buffer);
  };

  const uint8_t* in = contents.data();
  const uint8_t* const in_end = in + contents.size();
  // A control byte and its eight tokens take at most 17 input bytes and write at most
  // 8 * 17 output bytes (one more: a reference copies 18 bytes whatever its length, and the
  // bytes past its length are written again by what follows); while both fit, a run needs
  // no bounds checks per token.
  constexpr ptrdiff_t kRunInput = 17, kRunOutput = 8 * 17 + 1;
  while (in_end - in >= kRunInput && end - at >= kRunOutput) {
    const unsigned control = *in++;
    for (int bit = 0; bit < 8; ++bit) {
      if ((control & (1u << bit)) == 0) {
        *at++ = static_cast<char>(*in++);
        continue;
      }
      const unsigned reference = static_cast<unsigned>(in[0]) << 8 | in[1];
      in += 2;
      const size_t distance = (write_slot() - (reference >> 4)) & (kDictionarySize - 1);
      if (distance == 0) return finish();
      const size_t length = (reference & 0x0F) + 2;
      const char* from = at - distance;
      if (distance >= 18) {
        // Fixed-size copies (no call, no length test); all 18 source bytes are written already.
        std::memcpy(at, from, 16);
        std::memcpy(at + 16, from + 16, 2);
        at += length;
      } else {
        for (size_t k = 0; k < length; ++k) *at++ = from[k];  // reads what it writes (3.1.2)
      }
    }
  }
  while (in < in_end) {
    const uint8_t control = *in++;
    for (int bit = 0; bit < 8; ++bit) {
      if (at == end) {
        if (limit == raw_size) return finish();
        break;  // RAWSIZE claims more than CONTENTS can hold: fails below
      }
      if (in == in_end) break;
      if ((control & (1u << bit)) == 0) {
        *at++ = static_cast<char>(*in++);
        continue;
      }
      if (in_end - in < 2)
        fail("dictionary reference cut off at CONTENTS offset " + std::to_string(in - contents.data()));
      const unsigned reference = static_cast<unsigned>(in[0]) << 8 | in[1];
      in += 2;
      const size_t offset = reference >> 4;
      const size_t distance = (write_slot() - offset) & (kDictionarySize - 1);
      if (distance == 0) return finish();  // a reference to the write position ends the data
      const size_t length = std::min<size_t>((reference & 0x0F) + 2, static_cast<size_t>(end - at));
      // Byte by byte, so that a reference may read what it is writing (section 3.1.2).
      const char* from = at - distance;
      for (size_t k = 0; k < length; ++k) *at++ = from[k];
    }
  }
  if (at == end && limit == raw_size) return finish();
  fail("compressed data ends without its end marker after " + std::to_string(at - begin) +
       " of RAWSIZE " + std::to_string(raw_size) + " bytes");
}

}  // namespace

std::string decompress(std::span<const uint8_t> compressed) {
  if (compressed.size() < kHeaderSize)
    fail("stream of " + std::to_string(compressed.size()) + " bytes is shorter than the " +
         std::to_string(kHeaderSize) + "-byte header");
  const uint32_t comp_size = read_le32(compressed, 0);
  const uint32_t raw_size = read_le32(compressed, 4);
  const uint32_t comp_type = read_le32(compressed, 8);
  const uint32_t header_crc = read_le32(compressed, 12);

  if (comp_type != kCOMPRESSED && comp_type != kUNCOMPRESSED)
    fail("invalid COMPTYPE " + hex32(comp_type));
  if (comp_size < kCompSizeHeaderPart)
    fail("invalid COMPSIZE " + std::to_string(comp_size) + " (less than " +
         std::to_string(kCompSizeHeaderPart) + ")");
  const uint64_t stream_end = uint64_t{comp_size} + (kHeaderSize - kCompSizeHeaderPart);
  if (stream_end > compressed.size())
    fail("truncated: COMPSIZE " + std::to_string(comp_size) + " needs " +
         std::to_string(stream_end) + " bytes, stream has " + std::to_string(compressed.size()));
  // Bytes after COMPSIZE are padding some writers leave; they are not part of CONTENTS.
  const auto contents = compressed.subspan(kHeaderSize, stream_end - kHeaderSize);

  if (comp_type == kUNCOMPRESSED) {
    // MELA carries no CRC (the field is 0), so there is nothing to check. Some writers
    // set RAWSIZE to COMPSIZE (12 bytes too many), so COMPSIZE bounds the data and
    // RAWSIZE only caps it.
    const size_t n = std::min<size_t>(contents.size(), raw_size);
    return std::string(reinterpret_cast<const char*>(contents.data()), n);
  }

  const uint32_t computed_crc = crc(contents);
  if (computed_crc != header_crc)
    fail("CRC mismatch: header has " + hex32(header_crc) + ", CONTENTS give " +
         hex32(computed_crc));
  return decompress_lzfu(contents, raw_size);
}

}  // namespace ostfs::rtf
