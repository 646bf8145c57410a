#include "parser/pff_worker.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "parser/pff_protocol.h"

extern char** environ;

namespace ostfs::parser {
namespace {

using protocol::FailKind;
using protocol::Op;
using protocol::Reply;

// A listing that loses its worker this many times gives up on the rest: each loss costs a new
// worker that opens the file again.
constexpr int kMaxLossesPerListing = 32;
// Opening the file and the recovery scan read all of it (minutes for a large file).
constexpr int kSlowFactor = 20;

// Owns a descriptor until it is handed on.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

class SpawnActions {
 public:
  SpawnActions() { ::posix_spawn_file_actions_init(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  ~SpawnActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

std::string describe_status(int status) {
  if (WIFSIGNALED(status)) {
    const char* name = ::sigabbrev_np(WTERMSIG(status));
    return std::string("libpff crashed (SIG") + (name ? name : std::to_string(WTERMSIG(status)).c_str()) + ")";
  }
  if (WIFEXITED(status)) return "the libpff worker exited with status " + std::to_string(WEXITSTATUS(status));
  return "the libpff worker stopped";
}

// `opening`: the request was open(); a worker restarted after a crash opens the file again on
// its first request, and failing then is that request's ItemError.
[[noreturn]] void throw_fail(wire::Reader& r, bool opening = false) {
  const auto kind = static_cast<FailKind>(r.u8());
  const std::string reason = r.str();
  if (kind == FailKind::Open && opening) throw OpenError(reason);
  throw ItemError(reason);
}

// The value of a one-frame reply, or its Fail as an exception.
template <typename Decode>
auto decode_result(const std::vector<uint8_t>& reply, Decode&& decode, bool opening = false) {
  try {
    wire::Reader r(reply);
    if (static_cast<Reply>(r.u8()) != Reply::Result) throw_fail(r, opening);
    return decode(r);
  } catch (const wire::WireError& e) {
    throw ItemError(std::string("the libpff worker's reply is damaged: ") + e.what());
  }
}

}  // namespace

PffWorker::PffWorker(std::filesystem::path file) : file_(std::move(file)) {}

PffWorker::~PffWorker() {
  leave_if_forked();
  if (pid_ > 0) stop(false);
}

std::filesystem::path PffWorker::program() {
  if (const char* set = std::getenv("OSTFS_PFF_WORKER"); set && *set) return set;
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path beside = self.parent_path() / "ostfs-pff-worker";
    if (std::filesystem::exists(beside, ec)) return beside;
  }
#ifdef OSTFS_PFF_WORKER_INSTALLED
  if (std::filesystem::exists(OSTFS_PFF_WORKER_INSTALLED, ec)) return OSTFS_PFF_WORKER_INSTALLED;
#endif
#ifdef OSTFS_PFF_WORKER_BUILT
  if (std::filesystem::exists(OSTFS_PFF_WORKER_BUILT, ec)) return OSTFS_PFF_WORKER_BUILT;
#endif
  throw ItemError("ostfs-pff-worker, which reads with libpff, is not installed");
}

int PffWorker::reply_timeout_ms() {
  if (const char* set = std::getenv("OSTFS_PFF_WORKER_TIMEOUT")) {
    const double seconds = std::strtod(set, nullptr);
    if (seconds > 0) return static_cast<int>(seconds * 1000);
  }
  return 60'000;
}

void PffWorker::start() {
  const std::filesystem::path worker = program();
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    throw ItemError(std::string("cannot start the libpff worker: socketpair: ") + std::strerror(errno));
  Fd mine(pair[0]);
  Fd theirs(pair[1]);
  if (theirs.get() == protocol::kWorkerFd) {
    // dup2 onto itself would keep close-on-exec set, and the worker would find no socket.
    const int moved = ::fcntl(theirs.get(), F_DUPFD_CLOEXEC, protocol::kWorkerFd + 1);
    if (moved < 0) throw ItemError(std::string("cannot start the libpff worker: ") + std::strerror(errno));
    theirs.reset(moved);
  }
  SpawnActions actions;
  ::posix_spawn_file_actions_adddup2(actions.get(), theirs.get(), protocol::kWorkerFd);
  // Nothing of the caller's: a worker holding `ostfs mount`'s stdout would keep a script
  // waiting for its end after the mount command returned.
  ::posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addopen(actions.get(), STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_addopen(actions.get(), STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  const std::string program_text = worker.string();
  const std::string file_text = file_.string();
  char* argv[] = {const_cast<char*>(program_text.c_str()), const_cast<char*>(file_text.c_str()), nullptr};
  pid_t pid = -1;
  const int failed = ::posix_spawn(&pid, program_text.c_str(), actions.get(), nullptr, argv, environ);
  if (failed != 0)
    throw ItemError("cannot start the libpff worker " + program_text + ": " + std::strerror(failed));
  pid_ = pid;
  owner_ = ::getpid();
  socket_ = mine.release();
  opened_ = false;
}

void PffWorker::leave_if_forked() {
  if (pid_ < 0 || owner_ == ::getpid()) return;
  // This process is a fork of the one that started the worker (`ostfs mount` becoming a
  // daemon): the worker is not our child, so we could neither reap it nor learn how it died.
  // Closing our end lets it exit once the other process is gone too; we start our own.
  ::close(socket_);
  socket_ = -1;
  pid_ = -1;
  opened_ = false;
}

std::string PffWorker::stop(bool timed_out) {
  ::close(socket_);
  socket_ = -1;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  opened_ = false;
  if (timed_out) return "libpff did not answer within " + std::to_string(reply_timeout_ms() / 1000) + " s";
  return describe_status(status);
}

std::vector<uint8_t> PffWorker::call(wire::Writer& request, bool slow) {
  leave_if_forked();
  if (pid_ < 0) start();
  const int timeout = reply_timeout_ms() * (slow || !opened_ ? kSlowFactor : 1);
  bool timed_out = false;
  std::optional<std::vector<uint8_t>> reply;
  if (protocol::write_frame(socket_, request.data())) reply = protocol::read_frame(socket_, timeout, &timed_out);
  if (!reply) throw ItemError(stop(timed_out));
  opened_ = true;
  return std::move(*reply);
}

int PffWorker::listing(const std::function<void(wire::Writer&, int start)>& request, const std::string& entry_label,
                       const std::function<void(int index, wire::Reader& entry)>& on_entry,
                       std::vector<std::string>* errors, bool slow) {
  auto note = [&](int index, const std::string& reason) {
    if (errors) errors->push_back(entry_label + " " + std::to_string(index) + ": " + reason);
  };
  std::optional<int> count;
  int start = 0;
  int losses = 0;
  for (;;) {
    wire::Writer w;
    request(w, start);
    std::vector<uint8_t> frame = call(w, slow || !count);
    int next = start;  // the entry the worker is on
    for (;;) {
      try {
        wire::Reader r(frame);
        const auto kind = static_cast<Reply>(r.u8());
        if (kind == Reply::End) return count.value_or(0);
        if (kind == Reply::Fail) throw_fail(r);
        if (kind == Reply::Count) {
          count = static_cast<int>(r.u32());
        } else {
          const int index = static_cast<int>(r.u32());
          if (kind == Reply::Entry) on_entry(index, r);
          else if (kind == Reply::EntryError) note(index, r.str());
          else if (kind != Reply::Skipped) throw wire::WireError("a reply out of place");
          next = index + 1;
        }
      } catch (const wire::WireError& e) {
        // The rest of this listing is still on its way: a new worker starts clean.
        stop(false);
        throw ItemError(std::string("the libpff worker's reply is damaged: ") + e.what());
      }
      bool timed_out = false;
      std::optional<std::vector<uint8_t>> more = protocol::read_frame(socket_, reply_timeout_ms(), &timed_out);
      if (more) {
        frame = std::move(*more);
        continue;
      }
      const std::string why = stop(timed_out);
      if (!count) throw ItemError(why);
      note(next, why);
      start = next + 1;
      if (start >= *count) return *count;
      if (++losses >= kMaxLossesPerListing) {
        note(start, "not read: libpff failed on " + std::to_string(losses) + " entries before it");
        return *count;
      }
      break;
    }
  }
}

PffDescription PffWorker::open() {
  wire::Writer w;
  w.u8(static_cast<uint8_t>(Op::Describe));
  std::vector<uint8_t> reply;
  try {
    reply = call(w, true);
  } catch (const ItemError& e) {
    throw OpenError(std::string("libpff cannot open it: ") + e.what());
  }
  return decode_result(reply, wire::get_description, true);
}

model::Folder PffWorker::folder(uint32_t nid) {
  wire::Writer w;
  w.u8(static_cast<uint8_t>(Op::Folder));
  w.u32(nid);
  return decode_result(call(w, false), wire::get_folder);
}

std::vector<uint32_t> PffWorker::subfolders(uint32_t folder_nid, std::vector<std::string>* errors) {
  std::vector<uint32_t> nids;
  listing(
      [&](wire::Writer& w, int start) {
        w.u8(static_cast<uint8_t>(Op::Subfolders));
        w.u32(folder_nid);
        w.u32(static_cast<uint32_t>(start));
      },
      "subfolder", [&](int, wire::Reader& r) { nids.push_back(r.u32()); }, errors, false);
  return nids;
}

std::vector<MessageSummary> PffWorker::messages(uint32_t folder_nid, std::vector<std::string>* errors, int* count) {
  std::vector<MessageSummary> out;
  *count = listing(
      [&](wire::Writer& w, int start) {
        w.u8(static_cast<uint8_t>(Op::Messages));
        w.u32(folder_nid);
        w.u32(static_cast<uint32_t>(start));
      },
      "message", [&](int, wire::Reader& r) { out.push_back(wire::get_summary(r)); }, errors, false);
  return out;
}

model::Message PffWorker::load_message(uint32_t folder_nid, int index, std::optional<uint32_t> nid, bool with_data) {
  wire::Writer w;
  w.u8(static_cast<uint8_t>(Op::LoadMessage));
  w.u32(folder_nid);
  w.u32(static_cast<uint32_t>(index));
  w.u32(nid.value_or(0));
  w.u8(with_data ? 1 : 0);
  return decode_result(call(w, false), wire::get_message);
}

std::vector<MessageSummary> PffWorker::recovered(std::vector<std::string>* errors) {
  std::vector<MessageSummary> out;
  listing(
      [&](wire::Writer& w, int start) {
        w.u8(static_cast<uint8_t>(Op::Recovered));
        w.u32(static_cast<uint32_t>(start));
      },
      "recovered item", [&](int, wire::Reader& r) { out.push_back(wire::get_summary(r)); }, errors, true);
  return out;
}

model::Message PffWorker::load_recovered(int index, bool with_data) {
  wire::Writer w;
  w.u8(static_cast<uint8_t>(Op::LoadRecovered));
  w.u32(static_cast<uint32_t>(index));
  w.u8(with_data ? 1 : 0);
  return decode_result(call(w, false), wire::get_message);
}

}  // namespace ostfs::parser
