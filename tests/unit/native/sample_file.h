// Test-only: a small but complete store built with NdbBuilder in any layout: message store,
// name-to-id map, root folder with its tables, and one message with recipients, a by-value
// attachment of any size (a multi-block stream), an embedded message, a large body in a
// value subnode and named properties.
#pragma once

#include <cstdint>
#include <string>

#include "ndb_builder.h"

namespace ostfs::ndb::testing {

inline constexpr uint32_t kSampleMessageNid = 0x200024;
inline constexpr uint32_t kSampleEmbeddedNid = 0x200044;
inline constexpr uint32_t kSampleDataAttachmentNid = 0x8025;
inline constexpr uint32_t kSampleEmbeddedAttachmentNid = 0x8045;
// UTF-16LE of "Launch 🚀" (a character outside the BMP, which libpff's UTF-8 getters mangle).
extern const std::u16string kSampleSubject;

struct SampleOptions {
  BuildOptions build;
  size_t attachment_size = 20000;
  size_t body_size = 5000;  // above 3580 bytes the body goes to a value subnode
};

// The attachment's bytes: a pattern that differs block to block.
Bytes sample_attachment(size_t size);
Bytes sample_body(size_t size);

Bytes build_sample_file(const SampleOptions& options);

}  // namespace ostfs::ndb::testing
