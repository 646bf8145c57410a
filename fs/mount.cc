#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "fs/allocator.h"
#include "fs/cli.h"
#include "fs/fuse.h"
#include "fs/kernel_pages.h"
#include "fs/ops.h"
#include "fs/stop_on_signal.h"
#include "fs/size_index.h"
#include "fs/tree.h"
#include "parser/reader.h"

namespace ostfs::cli {
namespace {

constexpr const char* kMountUsage =
    "Usage: ostfs mount [-f] [-d] [-o OPTION[,OPTION...]] FILE MOUNTPOINT\n"
    "Mount the PST or OST file FILE read-only at MOUNTPOINT.\n"
    "\n"
    "  -f            stay in the foreground\n"
    "  -d            debug: foreground, and log every FUSE request to stderr\n"
    "  -o OPTIONS    comma-separated mount options:\n"
    "                  uid=N, gid=N   owner of all files (default: the user who mounts)\n"
    "                  umask=NNN      octal mask for the 0555/0444 modes (default 022)\n"
    "                  vcard=3|4      vCard version of contact files (default 3)\n"
    "                  recover        show deleted and orphaned items in \"Recovered Items (ostfs)\"\n"
"                  nosizecache    neither use nor save the file sizes of earlier mounts\n"
    "                  nopush         serve every read as it comes, instead of putting the\n"
    "                                 files a reader will read next into the kernel's cache\n"
    "                  any FUSE option, e.g. allow_other, default_permissions, fsname=NAME\n"
    "  -h, --help    show this help\n"
    "\n"
    "Without -f the command returns once the mount is ready and keeps serving it in the\n"
    "background. Unmount with: fusermount3 -u MOUNTPOINT\n";

struct MountArgs {
  std::string file;
  std::string mountpoint;
  bool foreground = false;
  bool debug = false;
  bool size_cache = true;  // the persistent size index (fs/size_index.h)
  bool push = true;        // push mode (fs/kernel_pages.h)
  fs::ViewOptions view;
  std::vector<std::string> fuse_options;
};

void split_options(const std::string& list, MountArgs& out) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string option = list.substr(start, end - start);
    start = end + 1;
    if (option.empty()) continue;
    auto value_of = [&](const char* key) -> std::optional<std::string> {
      const size_t n = std::strlen(key);
      if (option.compare(0, n, key) == 0) return option.substr(n);
      return std::nullopt;
    };
    auto parse_number = [&](const std::string& text, int base) {
      size_t used = 0;
      unsigned long value = 0;
      try {
        value = std::stoul(text, &used, base);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != text.size()) throw std::invalid_argument("bad value in mount option '" + option + "'");
      return value;
    };
    if (auto v = value_of("uid=")) out.view.uid = static_cast<uid_t>(parse_number(*v, 10));
    else if (auto v = value_of("gid=")) out.view.gid = static_cast<gid_t>(parse_number(*v, 10));
    else if (auto v = value_of("umask=")) out.view.umask = static_cast<mode_t>(parse_number(*v, 8) & 0777);
    else if (auto v = value_of("vcard=")) {
      out.view.vcard_version = static_cast<int>(parse_number(*v, 10));
      if (out.view.vcard_version != 3 && out.view.vcard_version != 4)
        throw std::invalid_argument("vcard= takes 3 or 4");
    }
    else if (option == "recover") out.view.recover = true;
    else if (option == "nosizecache") out.size_cache = false;
    else if (option == "nopush") out.push = false;
    else if (option == "ro") continue;  // always read-only
    else if (option == "rw") throw std::invalid_argument("ostfs mounts are read-only; 'rw' is not supported");
    else out.fuse_options.push_back(option);
    if (start > list.size()) break;
  }
}

// Throws std::invalid_argument with a usage message.
MountArgs parse(const std::vector<std::string>& args) {
  MountArgs out;
  out.view.uid = getuid();
  out.view.gid = getgid();
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-f") out.foreground = true;
    else if (a == "-d") out.debug = out.foreground = true;
    else if (a == "-o") {
      if (i + 1 >= args.size()) throw std::invalid_argument("-o needs a value");
      split_options(args[++i], out);
    } else if (a.rfind("-o", 0) == 0) split_options(a.substr(2), out);
    else if (a == "--") {
      positional.insert(positional.end(), args.begin() + i + 1, args.end());
      break;
    } else if (!a.empty() && a[0] == '-') throw std::invalid_argument("unknown option '" + a + "'");
    else positional.push_back(a);
  }
  if (positional.size() != 2) throw std::invalid_argument("expected FILE and MOUNTPOINT");
  out.file = positional[0];
  out.mountpoint = positional[1];
  return out;
}

// Returns a problem with the mountpoint, or nothing when it can be used.
std::optional<std::string> mountpoint_problem(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return "mountpoint does not exist";
    if (errno == ENOTCONN) return "mountpoint is a broken FUSE mount; run: fusermount3 -u " + path;
    return std::string("cannot use mountpoint: ") + std::strerror(errno);
  }
  if (!S_ISDIR(st.st_mode)) return "mountpoint is not a directory";
  struct stat parent{};
  const std::string parent_path = path + "/..";
  if (::stat(parent_path.c_str(), &parent) == 0 && (parent.st_dev != st.st_dev || parent.st_ino == st.st_ino))
    return "mountpoint is already in use (something is mounted there)";
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
  if (!dir) return std::string("cannot read mountpoint: ") + std::strerror(errno);
  while (const dirent* entry = ::readdir(dir.get())) {
    if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0)
      return "mountpoint is not empty";
  }
  return std::nullopt;
}

// libfuse splits options at commas; a backslash keeps one literal.
std::string escape_option_value(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == ',' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// Where the sizes of earlier mounts of the same file are kept, and under which key.
struct SizeIndexPlace {
  std::filesystem::path source;  // absolute: the daemon changes its directory
  std::filesystem::path file;
  std::string key;
  std::string source_identity;
};

std::optional<SizeIndexPlace> size_index_place(const MountArgs& options) {
  if (!options.size_cache) return std::nullopt;
  // Everything in the view that changes a file's bytes.
  const std::string view = "vcard=" + std::to_string(options.view.vcard_version) +
                           ";recover=" + std::to_string(options.view.recover ? 1 : 0);
  auto file = fs::size_index_path(options.file);
  auto key = fs::size_index_key(options.file, view);
  auto identity = fs::source_identity(options.file);
  std::error_code ec;
  auto source = std::filesystem::absolute(options.file, ec);
  if (!file || !key || !identity || ec) return std::nullopt;
  return SizeIndexPlace{source, *file, *key, *identity};
}

// Saves what this mount worked out, unless the source changed under it.
void save_sizes(fs::Tree& tree, const SizeIndexPlace& place) {
  if (fs::source_identity(place.source) != place.source_identity) return;
  try {
    tree.save_sizes(place.file, place.key);
  } catch (const std::exception& e) {
    std::cerr << "ostfs: " << e.what() << "\n";
  }
  // Indexes of files that are gone would stay in the cache for ever.
  fs::prune_size_indexes(place.file.parent_path());
}

struct SessionDeleter {
  void operator()(fuse_session* session) const { fuse_session_destroy(session); }
};
struct LoopConfigDeleter {
  void operator()(fuse_loop_config* config) const { fuse_loop_cfg_destroy(config); }
};

}  // namespace

int run_mount(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << kMountUsage;
      return Ok;
    }
  }
  MountArgs options;
  try {
    options = parse(args);
  } catch (const std::invalid_argument& e) {
    std::cerr << "ostfs mount: " << e.what() << "\n" << "Try 'ostfs mount --help'.\n";
    return Usage;
  }

  std::unique_ptr<parser::Store> store;
  try {
    store = parser::Store::open(options.file);
  } catch (const parser::OpenError& e) {
    report(options.file, e.what());
    return BadSource;
  }
  if (auto problem = mountpoint_problem(options.mountpoint)) {
    report(options.mountpoint, *problem);
    return BadMountpoint;
  }

  // Before the tree: its read-ahead threads store through it until they are joined.
  fs::KernelPages pages;
  fs::Tree tree(*store, options.view);
  // Keyed before the first render, so that the libraries loaded are those of the next mount.
  const std::optional<SizeIndexPlace> size_index = size_index_place(options);
  if (size_index)
    tree.preload_sizes_from(size_index->file, size_index->key);
  const fuse_lowlevel_ops ops = fs::make_operations();
  fs::Served served{tree, pages, options.push};

  std::error_code ec;
  const std::string source = std::filesystem::absolute(options.file, ec).string();
  std::string mount_options = "ro,fsname=" + escape_option_value(source) + ",subtype=ostfs";
  for (const std::string& o : options.fuse_options) mount_options += "," + o;
  std::vector<std::string> argv_strings = {"ostfs", "-o", mount_options};
  if (options.debug) argv_strings.push_back("-d");
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  fuse_args fargs = FUSE_ARGS_INIT(static_cast<int>(argv.size()), argv.data());

  std::unique_ptr<fuse_session, SessionDeleter> session(fuse_session_new(&fargs, &ops, sizeof ops, &served));
  fuse_opt_free_args(&fargs);  // the session keeps its own copy
  if (!session) {
    report(options.mountpoint, "FUSE rejected the mount options '" + mount_options + "'");
    return Usage;
  }
  pages.attach(session.get());
  std::optional<fs::StopOnSignal> signals;
  try {
    signals.emplace();
  } catch (const std::system_error& e) {
    report(options.mountpoint, std::string("cannot install signal handlers: ") + e.what());
    return MountFailed;
  }
  if (fuse_session_mount(session.get(), options.mountpoint.c_str()) != 0) {
    report(options.mountpoint, "cannot mount (is /dev/fuse available and fusermount3 installed?)");
    return MountFailed;
  }
  // The kernel mount exists now; requests wait until the loop runs, so the parent may return
  // and a script may use the mountpoint at once.
  fuse_daemonize(options.foreground ? 1 : 0);
  fs::tune_allocator_for_daemon();

  std::unique_ptr<fuse_loop_config, LoopConfigDeleter> config(fuse_loop_cfg_create());
  fuse_loop_cfg_set_clone_fd(config.get(), 0);
  fuse_loop_cfg_set_max_threads(config.get(), 8);
  signals->watch(session.get(), pages);
  const int loop_result = fuse_session_loop_mt(session.get(), config.get());
  signals.reset();
  // Ended by the kernel (unmounted): it fails the stores under way, and none starts now.
  pages.stop_new();
  while (!pages.try_detach()) ::usleep(1000);

  fuse_session_unmount(session.get());
  tree.forget_rendered();
  if (size_index) save_sizes(tree, *size_index);
  if (options.foreground) {
    for (const fs::Tree::ErrorRecord& e : tree.errors())
      std::cerr << "ostfs: " << options.file << ": " << e.path << " (node " << e.nid << "): " << e.reason << "\n";
  }
  // A signal (stop_on_signal.h) and fusermount3 -u both end the loop with 0.
  return loop_result == 0 ? Ok : MountFailed;
}

}  // namespace ostfs::cli
