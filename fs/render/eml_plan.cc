#include "fs/render/eml_plan.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "fs/render/mime_text.h"

namespace ostfs::render {
namespace {

constexpr uint64_t kLineData = 57;  // input bytes a full base64 line encodes

// Bytes [from, from + out.size()) of the base64 of an attachment's `data_size` bytes.
void read_base64(const EmlPlan::Streamed& part, size_t index, uint64_t from, std::span<char> out,
                 const AttachmentReader& read_data) {
  const uint64_t first_line = from / kBase64LineSize;
  const uint64_t last_line = (from + out.size() - 1) / kBase64LineSize;
  const uint64_t data_from = first_line * kLineData;
  const uint64_t data_to = std::min(part.data_size, (last_line + 1) * kLineData);
  // Kept from READ to READ: zeroing a new one cost more than the copy into it.
  thread_local std::vector<uint8_t> buffer;
  if (buffer.size() < data_to - data_from) buffer.resize(data_to - data_from);
  const std::span<const uint8_t> data(buffer.data(), data_to - data_from);
  read_data(index, data_from, std::span(buffer.data(), data.size()));
  // Line n of the whole data is line n - first_line of `data`. A line the range takes whole is
  // encoded in place; one it cuts (its first and last) goes through `line`.
  std::array<char, kBase64LineSize> line{};
  size_t done = 0;
  for (uint64_t n = first_line; n <= last_line && done < out.size(); ++n) {
    const uint64_t skip = from + done - n * kBase64LineSize;  // non-zero on the first line only
    if (skip == 0 && out.size() - done >= kBase64LineSize) {
      done += base64_line(data, n - first_line, out.data() + done);
      continue;
    }
    const size_t length = base64_line(data, n - first_line, line.data());
    if (skip >= length) break;
    const size_t take = std::min<size_t>(length - skip, out.size() - done);
    std::memcpy(out.data() + done, line.data() + skip, take);
    done += take;
  }
}

}  // namespace

uint64_t EmlPlan::size() const {
  uint64_t total = text.size();
  for (const Streamed& part : streamed) total += base64_encoded_size(part.data_size);
  return total;
}

size_t read_eml_plan(const EmlPlan& plan, uint64_t offset, std::span<char> out, const AttachmentReader& read_data) {
  size_t done = 0;
  uint64_t text_at = 0;  // where in `text` the file is at `file_at`
  uint64_t file_at = 0;
  // The file is text, base64, text, ..., base64, text.
  for (size_t i = 0; i <= plan.streamed.size() && done < out.size(); ++i) {
    const uint64_t text_end = i < plan.streamed.size() ? plan.streamed[i].offset : plan.text.size();
    const uint64_t text_size = text_end - text_at;
    const uint64_t want = offset + done;
    if (want < file_at + text_size) {
      const size_t take = static_cast<size_t>(std::min<uint64_t>(file_at + text_size - want, out.size() - done));
      std::memcpy(out.data() + done, plan.text.data() + text_at + (want - file_at), take);
      done += take;
    }
    file_at += text_size;
    text_at = text_end;
    if (i == plan.streamed.size() || done == out.size()) break;
    const EmlPlan::Streamed& part = plan.streamed[i];
    const uint64_t encoded = base64_encoded_size(part.data_size);
    const uint64_t now = offset + done;
    if (now < file_at + encoded) {
      const size_t take = static_cast<size_t>(std::min<uint64_t>(file_at + encoded - now, out.size() - done));
      read_base64(part, i, now - file_at, out.subspan(done, take), read_data);
      done += take;
    }
    file_at += encoded;
  }
  return done;
}

}  // namespace ostfs::render
