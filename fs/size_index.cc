#include "fs/size_index.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <new>
#include <system_error>

namespace ostfs::fs {
namespace {

// File layout, little-endian: magic, format version, key length and key, entry count, the
// entries (inode, size) in strictly increasing inode order, then an FNV-1a 64 checksum of
// everything before it.
constexpr char kMagic[8] = {'O', 'S', 'T', 'F', 'S', 'I', 'D', 'X'};
constexpr uint32_t kFormatVersion = 1;
// No mailbox item renders to a terabyte; a larger size can only be damage.
constexpr uint64_t kMaxSize = uint64_t{1} << 40;

uint64_t fnv1a(std::string_view bytes, uint64_t h = 14695981039346656037ULL) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xF]);
  }
  return out;
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

std::optional<std::string> build_id_of(const dl_phdr_info& info) {
  for (ElfW(Half) i = 0; i < info.dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info.dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const auto* p = reinterpret_cast<const unsigned char*>(info.dlpi_addr + ph.p_vaddr);
    const unsigned char* end = p + ph.p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) note;
      std::memcpy(&note, p, sizeof note);
      const unsigned char* name = p + sizeof note;
      const unsigned char* desc = name + ((note.n_namesz + 3) & ~3u);
      const unsigned char* next = desc + ((note.n_descsz + 3) & ~3u);
      if (next > end) break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0)
        return hex(desc, note.n_descsz);
      p = next;
    }
  }
  return std::nullopt;
}

std::string file_stamp(const char* path) {
  struct stat st{};
  if (::stat(path, &st) != 0) return std::string(path) + ":unknown";
  return std::string(path) + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

int add_build_id(dl_phdr_info* info, size_t, void* data) {
  auto& out = *static_cast<std::vector<std::string>*>(data);
  if (auto id = build_id_of(*info)) {
    out.push_back(*id);
  } else {
    const char* name = info->dlpi_name && *info->dlpi_name ? info->dlpi_name : "/proc/self/exe";
    out.push_back(file_stamp(name));
  }
  return 0;
}

}  // namespace

std::string loaded_build_ids() {
  std::vector<std::string> ids;
  dl_iterate_phdr(add_build_id, &ids);
  // Load order may differ between runs; the set is what matters.
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (const std::string& id : ids) out += id + ",";
  return out;
}

std::optional<std::string> source_identity(const std::filesystem::path& source) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(source, ec);
  if (ec) return std::nullopt;
  struct stat st{};
  if (::stat(absolute.c_str(), &st) != 0) return std::nullopt;
  return absolute.string() + "\ndev=" + std::to_string(st.st_dev) + "\nino=" + std::to_string(st.st_ino) +
         "\nsize=" + std::to_string(st.st_size) + "\nmtime=" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + "\nctime=" + std::to_string(st.st_ctim.tv_sec) + "." +
         std::to_string(st.st_ctim.tv_nsec);
}

std::optional<std::string> size_index_key(const std::filesystem::path& source, std::string_view view) {
  auto identity = source_identity(source);
  if (!identity) return std::nullopt;
  return "source=" + *identity + "\nview=" + std::string(view) + "\nbuild=" + loaded_build_ids();
}

std::optional<std::filesystem::path> size_index_path(const std::filesystem::path& source) {
  std::filesystem::path dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && xdg[0] == '/') {
    dir = xdg;
  } else if (const char* home = std::getenv("HOME"); home && home[0] == '/') {
    dir = std::filesystem::path(home) / ".cache";
  } else {
    return std::nullopt;
  }
  std::error_code ec;
  const std::string absolute = std::filesystem::absolute(source, ec).string();
  if (ec) return std::nullopt;
  const uint64_t h = fnv1a(absolute);
  const auto* bytes = reinterpret_cast<const unsigned char*>(&h);
  return dir / "ostfs" / (hex(bytes, sizeof h) + ".sizes");
}

SizeMap::SizeMap(std::vector<Entry> entries) : owned_(std::move(entries)) {
  // In place (a stable sort would take a buffer as large): of equal inodes, the smallest
  // size stays.
  std::sort(owned_.begin(), owned_.end());
  owned_.erase(std::unique(owned_.begin(), owned_.end(),
                           [](const Entry& a, const Entry& b) { return a.first == b.first; }),
               owned_.end());
  entries_ = owned_;
}

SizeMap SizeMap::over(std::span<const Entry> sorted) {
  SizeMap map;
  map.entries_ = sorted;
  return map;
}

std::optional<uint64_t> SizeMap::find(uint64_t ino) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), ino,
                             [](const Entry& e, uint64_t key) { return e.first < key; });
  if (it == entries_.end() || it->first != ino) return std::nullopt;
  return it->second;
}

namespace {

// Reads an index file a buffer at a time, little-endian fields failing (not throwing) past its
// end, keeping the checksum of what it has handed out.
class IndexReader {
 public:
  IndexReader(const std::filesystem::path& file, size_t buffer_bytes)
      : fd_(::open(file.c_str(), O_RDONLY | O_CLOEXEC)), buffer_(buffer_bytes) {
    struct stat st{};
    if (fd_ >= 0 && ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) size_ = static_cast<uint64_t>(st.st_size);
  }
  ~IndexReader() {
    if (fd_ >= 0) ::close(fd_);
  }
  IndexReader(const IndexReader&) = delete;
  IndexReader& operator=(const IndexReader&) = delete;

  // The file's size; nullopt when it cannot be read or is not a regular file.
  std::optional<uint64_t> size() const { return size_; }
  bool take(size_t n, std::string& out) {
    out.resize(n);
    return fill(out.data(), n, true);
  }
  template <typename T>
  bool number(T& v, bool checksummed = true) {
    unsigned char raw[sizeof(T)];
    if (!fill(raw, sizeof raw, checksummed)) return false;
    v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(raw[i]) << (8 * i);
    return true;
  }
  uint64_t checksum() const { return checksum_; }

 private:
  bool fill(void* out, size_t n, bool checksummed) {
    if (!size_) return false;
    auto* to = static_cast<char*>(out);
    while (n > 0) {
      if (at_ == end_) {
        const ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        at_ = 0;
        end_ = static_cast<size_t>(got);
      }
      const size_t step = std::min(n, end_ - at_);
      if (checksummed) checksum_ = fnv1a({buffer_.data() + at_, step}, checksum_);
      std::memcpy(to, buffer_.data() + at_, step);
      at_ += step;
      to += step;
      n -= step;
    }
    return true;
  }
  int fd_;
  std::optional<uint64_t> size_;
  std::vector<char> buffer_;
  size_t at_ = 0, end_ = 0;
  uint64_t checksum_ = fnv1a({});
};

// The header up to the key: magic, format version, key length and key. nullopt for anything
// that is not an index of this format (a key over 1 MiB included).
std::optional<std::string> read_key(IndexReader& in) {
  std::string magic, key;
  uint32_t version = 0, key_size = 0;
  if (!in.take(sizeof kMagic, magic) || magic != std::string_view(kMagic, sizeof kMagic)) return std::nullopt;
  if (!in.number(version) || version != kFormatVersion) return std::nullopt;
  if (!in.number(key_size) || key_size > (1u << 20) || !in.take(key_size, key)) return std::nullopt;
  return key;
}

}  // namespace

std::optional<SizeMap> load_size_index(const std::filesystem::path& file, std::string_view key, PagedArena* pages) {
  IndexReader in(file, size_t{1} << 20);
  const std::optional<uint64_t> file_size = in.size();
  const std::optional<std::string> stored_key = read_key(in);
  uint64_t count = 0;
  if (!file_size || stored_key != key || !in.number(count)) return std::nullopt;
  const uint64_t header = sizeof kMagic + 4 + 4 + key.size() + 8;
  if (count > *file_size / 16 || *file_size != header + count * 16 + sizeof(uint64_t)) return std::nullopt;

  std::vector<SizeMap::Entry> owned;
  SizeMap::Entry* entries = nullptr;
  if (pages) {
    entries = static_cast<SizeMap::Entry*>(pages->allocate(count * sizeof(SizeMap::Entry), alignof(SizeMap::Entry)));
  } else {
    owned.resize(count);
    entries = owned.data();
  }
  uint64_t previous = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t ino = 0, size = 0;
    if (!in.number(ino) || !in.number(size)) return std::nullopt;
    if ((i > 0 && ino <= previous) || ino == 0 || size > kMaxSize) return std::nullopt;
    previous = ino;
    new (entries + i) SizeMap::Entry(ino, size);
    // Written once, read by lookups one here and one there: they need not stay resident.
    if (pages && i % (uint64_t{1} << 16) == 0xFFFF) pages->release_resident();
  }
  const uint64_t computed = in.checksum();
  uint64_t checksum = 0;
  if (!in.number(checksum, false) || checksum != computed) return std::nullopt;
  if (pages) return SizeMap::over({entries, count});
  return SizeMap(std::move(owned));
}

namespace {
// The source path an index file was made for, from its key ("source=PATH\ndev=..."), read
// from the header alone. nullopt for anything that is not an index of this format.
std::optional<std::filesystem::path> indexed_source(const std::filesystem::path& file) {
  // Only the header is wanted: a small buffer, not a megabyte of every index in the cache.
  IndexReader in(file, 4096);
  const std::optional<std::string> found = read_key(in);
  if (!found) return std::nullopt;
  const std::string& key = *found;
  // source_identity(): the path, then "\ndev=" (a path may hold a line break of its own).
  constexpr std::string_view kPrefix = "source=";
  const size_t end = key.find("\ndev=");
  if (!key.starts_with(kPrefix) || end == std::string::npos || end <= kPrefix.size()) return std::nullopt;
  std::filesystem::path source = key.substr(kPrefix.size(), end - kPrefix.size());
  if (!source.is_absolute()) return std::nullopt;
  return source;
}
}  // namespace

size_t prune_size_indexes(const std::filesystem::path& directory) {
  size_t removed = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const std::filesystem::path& file = it->path();
    if (file.extension() != ".sizes" || !it->is_regular_file(ec)) continue;
    const std::optional<std::filesystem::path> source = indexed_source(file);
    if (!source) continue;
    std::error_code missing;
    if (std::filesystem::exists(*source, missing) || missing) continue;
    if (std::filesystem::remove(file, missing)) ++removed;
  }
  return removed;
}

void save_size_index(const std::filesystem::path& file, std::string_view key,
                     std::vector<std::pair<uint64_t, uint64_t>> sizes) {
  const SizeMap sorted(std::move(sizes));
  save_size_index(file, key, {sorted.entries()});
}

void save_size_index(const std::filesystem::path& file, std::string_view key,
                     const std::vector<std::span<const SizeMap::Entry>>& runs,
                     const std::function<void()>& progress) {
  uint64_t count = 0;
  for (const auto& run : runs) count += run.size();
  auto fail = [&](const std::string& what) {
    return std::runtime_error("size index " + file.string() + ": " + what);
  };
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) throw fail("cannot make its directory: " + ec.message());
  std::string temp = file.string() + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) throw fail(std::string("cannot create a temporary file: ") + std::strerror(errno));
  auto give_up = [&] {
    ::close(fd);
    ::unlink(temp.c_str());
  };
  // Written a megabyte at a time, the checksum kept as it goes: a million files make 16 MB.
  uint64_t checksum = fnv1a({});
  std::string out;
  auto flush = [&](bool last) {
    if (!last && out.size() < (1u << 20)) return;
    checksum = fnv1a(out, checksum);
    if (last) put_u64(out, checksum);
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::write(fd, out.data() + done, out.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int err = errno;
        give_up();
        throw fail(std::string("cannot write: ") + std::strerror(err));
      }
      done += static_cast<size_t>(n);
    }
    out.clear();
  };
  out.append(kMagic, sizeof kMagic);
  put_u32(out, kFormatVersion);
  put_u32(out, static_cast<uint32_t>(key.size()));
  out.append(key);
  put_u64(out, count);
  // The runs merged: the smallest next inode of all of them, each time.
  std::vector<size_t> next(runs.size(), 0);
  uint64_t previous = 0;
  for (uint64_t written = 0; written < count; ++written) {
    size_t from = runs.size();
    for (size_t r = 0; r < runs.size(); ++r)
      if (next[r] < runs[r].size() && (from == runs.size() || runs[r][next[r]].first < runs[from][next[from]].first))
        from = r;
    const auto& [ino, size] = runs[from][next[from]++];
    if (written > 0 && ino <= previous) {
      give_up();
      throw std::logic_error("size index " + file.string() + ": inode " + std::to_string(ino) +
                             " out of order or in two runs");
    }
    previous = ino;
    put_u64(out, ino);
    put_u64(out, size);
    flush(false);
    if (progress && written % (uint64_t{1} << 16) == 0xFFFF) progress();
  }
  flush(true);
  if (::close(fd) != 0 || ::rename(temp.c_str(), file.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw fail(std::string("cannot store: ") + std::strerror(err));
  }
}

}  // namespace ostfs::fs
