// libpff runs in a worker process (parser/pff_worker.h). These tests make that worker crash or
// hang on one item, with the hooks of ostfs-pff-worker-testing, and check that the item becomes
// an error naming it while everything else is still read. Recovery is where SampleOstFile.ost
// needs libpff (the native reader reads the rest of it).
#include "parser/pff_worker.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <string>

#include "parser/reader.h"

namespace ostfs::parser {
namespace {

// Sets environment variables for one test; the workers the test starts inherit them.
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, std::string>> vars) {
    for (const auto& [name, value] : vars) {
      names_.push_back(name);
      ::setenv(name, value.c_str(), 1);
    }
  }
  ~ScopedEnv() {
    for (const char* name : names_) ::unsetenv(name);
  }

 private:
  std::vector<const char*> names_;
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class PffWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("OSTFS_PFF_WORKER", OSTFS_TEST_WORKER, 1);
    std::vector<std::string> errors;
    baseline_ = Store::open(OSTFS_SAMPLE_OST)->recovered_messages(&errors);
    ASSERT_TRUE(errors.empty()) << errors.front();
    ASSERT_GE(baseline_.size(), 3u);
  }
  void TearDown() override { ::unsetenv("OSTFS_PFF_WORKER"); }

  std::vector<MessageSummary> baseline_;
};

TEST_F(PffWorkerTest, CrashInAListingLosesOnlyThatEntry) {
  // Recovered copies of one message share its node id: each of them crashes the worker.
  const uint32_t victim = baseline_[1].nid;
  std::vector<std::string> expected_errors;
  for (const MessageSummary& s : baseline_)
    if (s.nid == victim) expected_errors.push_back("recovered item " + std::to_string(s.index) + ": libpff crashed (SIGSEGV)");
  ScopedEnv env({{"OSTFS_TEST_WORKER_CRASH_NID", std::to_string(victim)}});
  auto store = Store::open(OSTFS_SAMPLE_OST);
  std::vector<std::string> errors;
  const std::vector<MessageSummary> listed = store->recovered_messages(&errors);
  EXPECT_EQ(errors, expected_errors);
  ASSERT_EQ(listed.size(), baseline_.size() - expected_errors.size());
  std::set<int> indexes;
  for (const MessageSummary& s : listed) indexes.insert(s.index);
  for (const MessageSummary& s : baseline_) EXPECT_EQ(indexes.count(s.index), s.nid == victim ? 0u : 1u);
  // The worker that replaced the crashed one reads the others in full.
  for (const MessageSummary& s : listed) EXPECT_EQ(store->load_recovered(s.index, true).nid, s.nid);
}

TEST_F(PffWorkerTest, CrashReadingAnItemIsThatItemsError) {
  const MessageSummary& victim = baseline_[2];
  const MessageSummary& other = *std::find_if(baseline_.begin(), baseline_.end(),
                                              [&](const MessageSummary& s) { return s.nid != victim.nid; });
  ScopedEnv env({{"OSTFS_TEST_WORKER_CRASH_READ_NID", std::to_string(victim.nid)}});
  auto store = Store::open(OSTFS_SAMPLE_OST);
  std::vector<std::string> errors;
  ASSERT_EQ(store->recovered_messages(&errors).size(), baseline_.size());
  EXPECT_TRUE(errors.empty());
  try {
    store->load_recovered(victim.index, true);
    ADD_FAILURE() << "reading the item that crashes libpff did not fail";
  } catch (const ItemError& e) {
    EXPECT_TRUE(contains(e.what(), "libpff crashed (SIGSEGV)")) << e.what();
  }
  EXPECT_EQ(store->load_recovered(other.index, false).nid, other.nid);
}

TEST_F(PffWorkerTest, HangIsATimeoutAndTheWorkerIsReplaced) {
  const MessageSummary& victim = baseline_[0];
  const MessageSummary& other = *std::find_if(baseline_.begin(), baseline_.end(),
                                              [&](const MessageSummary& s) { return s.nid != victim.nid; });
  ScopedEnv env({{"OSTFS_TEST_WORKER_HANG_READ_NID", std::to_string(victim.nid)},
                 {"OSTFS_PFF_WORKER_TIMEOUT", "1"}});
  auto store = Store::open(OSTFS_SAMPLE_OST);
  std::vector<std::string> errors;
  ASSERT_EQ(store->recovered_messages(&errors).size(), baseline_.size());
  try {
    store->load_recovered(victim.index, false);
    ADD_FAILURE() << "reading the item that hangs libpff did not fail";
  } catch (const ItemError& e) {
    EXPECT_EQ(std::string(e.what()), "libpff did not answer within 1 s");
  }
  EXPECT_EQ(store->load_recovered(other.index, false).nid, other.nid);
}

TEST_F(PffWorkerTest, MissingWorkerIsAnErrorNotACrash) {
  ScopedEnv env({{"OSTFS_PFF_WORKER", "/nonexistent/ostfs-pff-worker"}});
  auto store = Store::open(OSTFS_SAMPLE_OST);
  std::vector<std::string> errors;
  EXPECT_TRUE(store->recovered_messages(&errors).empty());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(contains(errors[0], "recovering items: cannot start the libpff worker")) << errors[0];
  EXPECT_THROW(store->load_recovered(0, false), ItemError);
}

// The worker is a child of the reader: none may outlive its Store, dead or alive.
TEST_F(PffWorkerTest, NoWorkerOutlivesItsStore) {
  {
    ScopedEnv env({{"OSTFS_TEST_WORKER_CRASH_READ_NID", std::to_string(baseline_[0].nid)}});
    auto store = Store::open(OSTFS_SAMPLE_OST);
    std::vector<std::string> errors;
    store->recovered_messages(&errors);
    EXPECT_THROW(store->load_recovered(baseline_[0].index, false), ItemError);
    EXPECT_THROW(store->load_recovered(baseline_[0].index, false), ItemError);
  }
  // waitpid(-1) fails with ECHILD only when no child is left, running or a zombie.
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

}  // namespace
}  // namespace ostfs::parser
