#include "parser/pff_protocol.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace ostfs::parser::protocol {
namespace {

bool send_all(int fd, const uint8_t* data, size_t size) {
  while (size > 0) {
    const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data += sent;
    size -= static_cast<size_t>(sent);
  }
  return true;
}

// Reads exactly `size` bytes within `timeout_ms` (-1: no limit).
enum class Got { All, Closed, TimedOut };
Got receive_all(int fd, uint8_t* data, size_t size, int timeout_ms) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (size > 0) {
    if (timeout_ms >= 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return Got::TimedOut;
      pollfd p{fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(left));
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) return Got::Closed;
      if (ready == 0) return Got::TimedOut;
    }
    const ssize_t got = ::recv(fd, data, size, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return Got::Closed;
    data += got;
    size -= static_cast<size_t>(got);
  }
  return Got::All;
}

}  // namespace

bool write_frame(int fd, const std::vector<uint8_t>& payload) {
  uint8_t header[8];
  const uint64_t size = payload.size();
  for (int i = 0; i < 8; ++i) header[i] = static_cast<uint8_t>(size >> (8 * i));
  return send_all(fd, header, sizeof header) && send_all(fd, payload.data(), payload.size());
}

std::optional<std::vector<uint8_t>> read_frame(int fd, int timeout_ms, bool* timed_out) {
  if (timed_out) *timed_out = false;
  uint8_t header[8];
  Got got = receive_all(fd, header, sizeof header, timeout_ms);
  uint64_t size = 0;
  if (got == Got::All) {
    for (int i = 7; i >= 0; --i) size = (size << 8) | header[i];
    if (size > kMaxFrame) return std::nullopt;
  }
  std::vector<uint8_t> payload;
  if (got == Got::All) {
    payload.resize(size);
    got = receive_all(fd, payload.data(), payload.size(), timeout_ms);
  }
  if (got == Got::TimedOut && timed_out) *timed_out = true;
  if (got != Got::All) return std::nullopt;
  return payload;
}

}  // namespace ostfs::parser::protocol
