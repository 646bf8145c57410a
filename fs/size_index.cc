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
#include <fstream>
#include <iterator>
#include <stdexcept>
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

// Reads little-endian fields from a byte string, failing (not throwing) past its end.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}
  bool take(size_t n, std::string_view& out) {
    if (bytes_.size() - pos_ < n) return false;
    out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool u32(uint32_t& v) { return number(v); }
  bool u64(uint64_t& v) { return number(v); }
  size_t position() const { return pos_; }
  size_t left() const { return bytes_.size() - pos_; }

 private:
  template <typename T>
  bool number(T& v) {
    std::string_view raw;
    if (!take(sizeof(T), raw)) return false;
    v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<unsigned char>(raw[i])) << (8 * i);
    return true;
  }
  std::string_view bytes_;
  size_t pos_ = 0;
};

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

SizeMap::SizeMap(std::vector<Entry> entries) : entries_(std::move(entries)) {
  // In place (a stable sort would take a buffer as large): of equal inodes, the smallest
  // size stays.
  std::sort(entries_.begin(), entries_.end());
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [](const Entry& a, const Entry& b) { return a.first == b.first; }),
                 entries_.end());
}

std::optional<uint64_t> SizeMap::find(uint64_t ino) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), ino,
                             [](const Entry& e, uint64_t key) { return e.first < key; });
  if (it == entries_.end() || it->first != ino) return std::nullopt;
  return it->second;
}

std::optional<SizeMap> load_size_index(const std::filesystem::path& file, std::string_view key) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  if (bytes.size() < sizeof(uint64_t)) return std::nullopt;

  const std::string_view body(bytes.data(), bytes.size() - sizeof(uint64_t));
  Cursor c(bytes);
  std::string_view magic, stored_key;
  uint32_t version = 0, key_size = 0;
  uint64_t count = 0;
  if (!c.take(sizeof kMagic, magic) || magic != std::string_view(kMagic, sizeof kMagic)) return std::nullopt;
  if (!c.u32(version) || version != kFormatVersion) return std::nullopt;
  if (!c.u32(key_size) || !c.take(key_size, stored_key) || stored_key != key) return std::nullopt;
  if (!c.u64(count) || count > c.left() / 16 || c.left() != count * 16 + sizeof(uint64_t)) return std::nullopt;

  std::vector<SizeMap::Entry> sizes;
  sizes.reserve(count);
  uint64_t previous = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t ino = 0, size = 0;
    c.u64(ino);
    c.u64(size);
    if ((i > 0 && ino <= previous) || ino == 0 || size > kMaxSize) return std::nullopt;
    previous = ino;
    sizes.emplace_back(ino, size);
  }
  uint64_t checksum = 0;
  if (!c.u64(checksum) || checksum != fnv1a(body)) return std::nullopt;
  return SizeMap(std::move(sizes));
}

namespace {
// The source path an index file was made for, from its key ("source=PATH\ndev=..."), read
// from the header alone. nullopt for anything that is not an index of this format.
std::optional<std::filesystem::path> indexed_source(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char header[sizeof kMagic + 8];
  if (!in.read(header, sizeof header)) return std::nullopt;
  const std::string_view head(header, sizeof header);
  Cursor c(head);
  std::string_view magic;
  uint32_t version = 0, key_size = 0;
  if (!c.take(sizeof kMagic, magic) || magic != std::string_view(kMagic, sizeof kMagic)) return std::nullopt;
  if (!c.u32(version) || version != kFormatVersion || !c.u32(key_size) || key_size > (1u << 20)) return std::nullopt;
  std::string key(key_size, '\0');
  if (!in.read(key.data(), key_size)) return std::nullopt;
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
  auto fail = [&](const std::string& what) {
    return std::runtime_error("size index " + file.string() + ": " + what);
  };
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) throw fail("cannot make its directory: " + ec.message());
  std::string temp = file.string() + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) throw fail(std::string("cannot create a temporary file: ") + std::strerror(errno));
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
        ::close(fd);
        ::unlink(temp.c_str());
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
  put_u64(out, sorted.size());
  for (const auto& [ino, size] : sorted) {
    put_u64(out, ino);
    put_u64(out, size);
    flush(false);
  }
  flush(true);
  if (::close(fd) != 0 || ::rename(temp.c_str(), file.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw fail(std::string("cannot store: ") + std::strerror(err));
  }
}

}  // namespace ostfs::fs
