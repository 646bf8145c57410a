#include "fs/stop_on_signal.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <system_error>

namespace ostfs::fs {
namespace {

constexpr int kSignals[] = {SIGTERM, SIGINT, SIGHUP};
constexpr unsigned char kQuit = 0;  // written by the destructor: the thread ends

// A handler may only do async-signal-safe things: it hands the signal to the thread.
int g_signal_pipe = -1;

void on_signal(int number) {
  const int saved = errno;
  const unsigned char byte = static_cast<unsigned char>(number);
  (void)!::write(g_signal_pipe, &byte, 1);
  errno = saved;
}

void set_handler(int number, void (*handler)(int)) {
  struct sigaction action{};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  // No SA_RESTART: the loop's wait must return when the thread signals it (see run()).
  if (::sigaction(number, &action, nullptr) != 0) throw std::system_error(errno, std::generic_category(), "sigaction");
}

}  // namespace

StopOnSignal::StopOnSignal() {
  if (::pipe2(pipe_, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  g_signal_pipe = pipe_[1];
  for (int number : kSignals) set_handler(number, on_signal);
  set_handler(SIGPIPE, SIG_IGN);
}

StopOnSignal::~StopOnSignal() {
  // The thread first: it may still signal the loop thread, which must find on_signal there.
  if (thread_.joinable()) {
    (void)!::write(pipe_[1], &kQuit, 1);
    thread_.join();
  }
  for (int number : kSignals) {
    struct sigaction action{};
    action.sa_handler = SIG_DFL;
    ::sigaction(number, &action, nullptr);
  }
  g_signal_pipe = -1;
  ::close(pipe_[0]);
  ::close(pipe_[1]);
}

void StopOnSignal::watch(fuse_session* session, KernelPages& pages) {
  thread_ = std::thread([this, session, &pages, loop = pthread_self()] { run(session, pages, loop); });
}

void StopOnSignal::run(fuse_session* session, KernelPages& pages, pthread_t loop_thread) {
  // The thread must not take the signals itself: the loop thread has to see one (below).
  sigset_t mask;
  sigemptyset(&mask);
  for (int number : kSignals) sigaddset(&mask, number);
  pthread_sigmask(SIG_BLOCK, &mask, nullptr);

  int ending = 0;  // the signal being acted on
  for (;;) {
    pollfd wait{pipe_[0], POLLIN, 0};
    // Once the session has ended, the loop thread is signalled until the destructor says it
    // has returned: a signal that came just before its wait began would be lost.
    if (::poll(&wait, 1, ending ? 100 : -1) == 0) {
      pthread_kill(loop_thread, ending);
      continue;
    }
    unsigned char byte = kQuit;
    const ssize_t n = ::read(pipe_[0], &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n != 1 || byte == kQuit) return;
    if (ending) continue;
    ending = byte;
    // The FUSE threads still answer READs, so every store under way finishes.
    pages.stop_new();
    while (!pages.try_detach()) ::usleep(1000);
    fuse_session_exit(session);
    // The loop thread waits on a semaphore until a signal interrupts it; the signal goes to
    // on_signal again, which only writes another byte.
    pthread_kill(loop_thread, ending);
  }
}

}  // namespace ostfs::fs
