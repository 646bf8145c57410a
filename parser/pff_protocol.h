// The pipe between the reader and its libpff worker (pff_worker.h, pff_worker_main.cc): frames
// of an 8-byte little-endian length and that many bytes, over a Unix socket (a dead worker then
// gives the reader an error, not SIGPIPE). A request is one frame: an Op and its arguments. A
// reply is one Result or Fail frame; a listing replies Count, then one Entry or EntryError per
// entry, then End, so that a listing cut short by a crash shows where it stopped.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace ostfs::parser::protocol {

enum class Op : uint8_t {
  Describe = 1,        // -> Result(PffDescription) or Fail
  Folder = 2,          // u32 nid -> Result(Folder) or Fail
  Subfolders = 3,      // u32 folder nid, u32 start -> listing of u32 nids
  Messages = 4,        // u32 folder nid, u32 start -> listing of MessageSummary
  LoadMessage = 5,     // u32 folder nid, u32 index, u32 nid (0: unknown), u8 with data -> Result(Message)
  Recovered = 6,       // u32 start -> listing of MessageSummary
  LoadRecovered = 7,   // u32 index, u8 with data -> Result(Message)
};

enum class Reply : uint8_t {
  Result = 1,
  Fail = 2,        // u8 kind (FailKind), string reason
  Count = 3,       // u32 entries
  Entry = 4,       // u32 index, then the entry
  EntryError = 5,  // u32 index, string reason
  End = 6,
  Skipped = 7,     // u32 index: not an entry of this listing (a recovered item that is no message)
};

enum class FailKind : uint8_t { Item = 1, Open = 2 };

// A frame larger than this is not one the other side wrote: attachment data is capped at 4 GiB
// by the reader, and a message travels in one frame.
constexpr uint64_t kMaxFrame = (uint64_t{1} << 32) + (uint64_t{1} << 28);

// The worker writes to this descriptor; its stdout stays free for anything libpff prints.
constexpr int kWorkerFd = 3;

// Writes one frame; false when the other side is gone.
bool write_frame(int fd, const std::vector<uint8_t>& payload);
// Reads one frame: nullopt at end of stream (the other side closed or died), or when nothing
// came within `timeout_ms` (-1: wait for good), with `timed_out` set then.
std::optional<std::vector<uint8_t>> read_frame(int fd, int timeout_ms, bool* timed_out = nullptr);

}  // namespace ostfs::parser::protocol
