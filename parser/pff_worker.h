// The reader's side of the libpff worker process (pff_worker_main.cc). libpff 20180714 can
// crash or hang on damaged input; it runs in this child process so that one bad item costs an
// ItemError naming it, never the mount or the export. A worker that dies or stops answering is
// killed and reaped, and the next call starts a new one; a listing it was in the middle of
// goes on after the entry that broke it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "parser/model.h"
#include "parser/model_wire.h"
#include "parser/pff_description.h"
#include "parser/reader.h"

namespace ostfs::parser {

class PffWorker {
 public:
  explicit PffWorker(std::filesystem::path file);
  PffWorker(const PffWorker&) = delete;
  PffWorker& operator=(const PffWorker&) = delete;
  ~PffWorker();

  // Starts the worker, opens the file with libpff and describes it. Throws OpenError.
  PffDescription open();
  // The calls below throw ItemError, also when libpff crashed or hung on the item.
  model::Folder folder(uint32_t nid);
  // Listings: what cannot be read goes to `errors` ("subfolder 3: ...", "message 7: ...",
  // "recovered item 2: ..."); ItemError when the folder cannot be listed at all.
  std::vector<uint32_t> subfolders(uint32_t folder_nid, std::vector<std::string>* errors);
  // `count`: how many messages libpff says the folder has, readable or not.
  std::vector<MessageSummary> messages(uint32_t folder_nid, std::vector<std::string>* errors, int* count);
  model::Message load_message(uint32_t folder_nid, int index, std::optional<uint32_t> nid, bool with_data);
  std::vector<MessageSummary> recovered(std::vector<std::string>* errors);
  model::Message load_recovered(int index, bool with_data);

  // The worker binary: $OSTFS_PFF_WORKER, else ostfs-pff-worker next to the running program,
  // else the installed one, else the one in the build tree.
  static std::filesystem::path program();
  // How long one reply may take, in milliseconds ($OSTFS_PFF_WORKER_TIMEOUT seconds, default
  // 60); opening the file and the recovery scan, which read the whole file, get 20 times that.
  static int reply_timeout_ms();

 private:
  void start();
  void leave_if_forked();
  // Kills and reaps the worker; returns why it is gone, for the error of the item it was on.
  std::string stop(bool timed_out);
  std::vector<uint8_t> call(wire::Writer& request, bool slow);
  // Returns the listing's entry count.
  int listing(const std::function<void(wire::Writer&, int start)>& request, const std::string& entry_label,
              const std::function<void(int index, wire::Reader& entry)>& on_entry, std::vector<std::string>* errors,
              bool slow);

  std::filesystem::path file_;
  pid_t pid_ = -1;
  pid_t owner_ = -1;  // the process that started the worker
  int socket_ = -1;
  bool opened_ = false;  // the running worker has libpff's handle open (and the scan done)
};

}  // namespace ostfs::parser
