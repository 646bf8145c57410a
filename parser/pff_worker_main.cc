// ostfs-pff-worker: serves libpff reads of one file to the reader (pff_worker.h) over the
// socket on descriptor 3, one request at a time, until the reader closes it. libpff runs here
// and nowhere else, so whatever damage makes it crash or hang costs this process only.
//
//   ostfs-pff-worker FILE
//
// Built a second time as ostfs-pff-worker-testing with OSTFS_PFF_WORKER_TEST_HOOKS, for tests
// only: it dies of SIGSEGV when it meets node OSTFS_TEST_WORKER_CRASH_NID in a listing or a
// read, or node OSTFS_TEST_WORKER_CRASH_READ_NID in a read, and hangs when it reads node
// OSTFS_TEST_WORKER_HANG_READ_NID.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "parser/model_wire.h"
#include "parser/pff_protocol.h"
#include "parser/pff_reader.h"

namespace ostfs::parser {
namespace {

using protocol::FailKind;
using protocol::Op;
using protocol::Reply;

#ifdef OSTFS_PFF_WORKER_TEST_HOOKS
uint32_t nid_from_env(const char* name) {
  const char* value = std::getenv(name);
  return value ? static_cast<uint32_t>(std::strtoul(value, nullptr, 0)) : 0;
}

// `reading`: a full read of the item, not its listing entry.
void test_hooks(uint32_t nid, bool reading) {
  static const uint32_t crash = nid_from_env("OSTFS_TEST_WORKER_CRASH_NID");
  static const uint32_t crash_read = nid_from_env("OSTFS_TEST_WORKER_CRASH_READ_NID");
  static const uint32_t hang_read = nid_from_env("OSTFS_TEST_WORKER_HANG_READ_NID");
  if (nid == 0) return;
  if (nid == crash || (reading && nid == crash_read)) {
    // Die as a crashing libpff would, without a sanitizer's handler turning it into a report.
    std::signal(SIGSEGV, SIG_DFL);
    std::raise(SIGSEGV);
  }
  if (reading && nid == hang_read)
    for (;;) ::pause();
}
#else
void test_hooks(uint32_t, bool) {}
#endif

class Server {
 public:
  explicit Server(std::filesystem::path path) : path_(std::move(path)) {}

  // Answers requests until the reader goes away.
  void serve() {
    while (auto request = protocol::read_frame(protocol::kWorkerFd, -1)) {
      wire::Reader args(*request);
      try {
        handle(args);
      } catch (const OpenError& e) {
        fail(FailKind::Open, e.what());
      } catch (const std::exception& e) {
        fail(FailKind::Item, e.what());
      }
    }
  }

 private:
  PffFile& file() {
    if (!file_) file_ = std::make_unique<PffFile>(path_);
    return *file_;
  }

  void send(wire::Writer& w) {
    if (!protocol::write_frame(protocol::kWorkerFd, w.data())) std::_Exit(0);  // the reader is gone
  }

  void fail(FailKind kind, const std::string& reason) {
    wire::Writer w;
    w.u8(static_cast<uint8_t>(Reply::Fail));
    w.u8(static_cast<uint8_t>(kind));
    w.str(reason);
    send(w);
  }

  template <typename Put>
  void result(Put&& put) {
    wire::Writer w;
    w.u8(static_cast<uint8_t>(Reply::Result));
    put(w);
    send(w);
  }

  ListingSink sink() {
    ListingSink s;
    s.count = [this](int count) {
      wire::Writer w;
      w.u8(static_cast<uint8_t>(Reply::Count));
      w.u32(static_cast<uint32_t>(count));
      send(w);
    };
    s.message = [this](int index, const MessageSummary& summary) {
      test_hooks(summary.nid, false);
      wire::Writer w;
      w.u8(static_cast<uint8_t>(Reply::Entry));
      w.u32(static_cast<uint32_t>(index));
      wire::put(w, summary);
      send(w);
    };
    s.folder = [this](int index, uint32_t nid) {
      test_hooks(nid, false);
      wire::Writer w;
      w.u8(static_cast<uint8_t>(Reply::Entry));
      w.u32(static_cast<uint32_t>(index));
      w.u32(nid);
      send(w);
    };
    s.skipped = [this](int index) {
      wire::Writer w;
      w.u8(static_cast<uint8_t>(Reply::Skipped));
      w.u32(static_cast<uint32_t>(index));
      send(w);
    };
    s.error = [this](int index, const std::string& reason) {
      wire::Writer w;
      w.u8(static_cast<uint8_t>(Reply::EntryError));
      w.u32(static_cast<uint32_t>(index));
      w.str(reason);
      send(w);
    };
    return s;
  }

  void end() {
    wire::Writer w;
    w.u8(static_cast<uint8_t>(Reply::End));
    send(w);
  }

  void handle(wire::Reader& args) {
    switch (static_cast<Op>(args.u8())) {
      case Op::Describe: {
        const PffDescription d = file().describe();
        result([&](wire::Writer& w) { wire::put(w, d); });
        return;
      }
      case Op::Folder: {
        const uint32_t nid = args.u32();
        test_hooks(nid, true);
        const model::Folder folder = file().folder(nid);
        result([&](wire::Writer& w) { wire::put(w, folder); });
        return;
      }
      case Op::Subfolders: {
        const uint32_t nid = args.u32();
        const int start = static_cast<int>(args.u32());
        file().list_subfolders(nid, start, sink());
        end();
        return;
      }
      case Op::Messages: {
        const uint32_t nid = args.u32();
        const int start = static_cast<int>(args.u32());
        file().list_messages(nid, start, sink());
        end();
        return;
      }
      case Op::LoadMessage: {
        const uint32_t folder_nid = args.u32();
        const int index = static_cast<int>(args.u32());
        const uint32_t nid = args.u32();
        const bool with_data = args.u8() != 0;
        test_hooks(nid, true);
        const model::Message message =
            file().load_message(folder_nid, index, nid ? std::optional(nid) : std::nullopt, with_data);
        test_hooks(message.nid, true);
        result([&](wire::Writer& w) { wire::put(w, message); });
        return;
      }
      case Op::Recovered: {
        const int start = static_cast<int>(args.u32());
        file().list_recovered(start, sink());
        end();
        return;
      }
      case Op::LoadRecovered: {
        const int index = static_cast<int>(args.u32());
        const bool with_data = args.u8() != 0;
        const model::Message message = file().load_recovered(index, with_data);
        test_hooks(message.nid, true);
        result([&](wire::Writer& w) { wire::put(w, message); });
        return;
      }
    }
    throw ItemError("unknown request");
  }

  std::filesystem::path path_;
  std::unique_ptr<PffFile> file_;
};

}  // namespace
}  // namespace ostfs::parser

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: ostfs-pff-worker FILE (started by ostfs, not by hand)\n");
    return 2;
  }
  ostfs::parser::Server(argv[1]).serve();
  return 0;
}
