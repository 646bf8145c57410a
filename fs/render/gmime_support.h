// GMime plumbing for the renderers: one-time library setup, ownership of GObjects, and
// streams that read from and write to our own memory so attachment data is never copied
// into GMime's buffers.
#pragma once

#include <gmime/gmime.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ostfs::render::gmime {

// Calls g_mime_init() exactly once per process. Safe to call from any thread, any number
// of times; every function below calls it.
void ensure_initialized();

struct ObjectUnref {
  void operator()(void* object) const {
    if (object) g_object_unref(object);
  }
};
// Owns one reference to a GObject.
template <typename T>
using Ptr = std::unique_ptr<T, ObjectUnref>;

struct GFree {
  void operator()(void* p) const { g_free(p); }
};
// Owns a string GLib/GMime allocated with g_malloc.
using CharPtr = std::unique_ptr<char, GFree>;

struct FormatOptionsFree {
  void operator()(GMimeFormatOptions* options) const { g_mime_format_options_free(options); }
};
using FormatOptionsPtr = std::unique_ptr<GMimeFormatOptions, FormatOptionsFree>;

struct DateTimeUnref {
  void operator()(GDateTime* date) const { g_date_time_unref(date); }
};
using DateTimePtr = std::unique_ptr<GDateTime, DateTimeUnref>;

struct ReferencesFree {
  void operator()(GMimeReferences* refs) const { g_mime_references_free(refs); }
};
using ReferencesPtr = std::unique_ptr<GMimeReferences, ReferencesFree>;

// Replaces the value GMime writes for the existing header field `name` of `object` by
// `raw`, which must be a complete folded value as GMime stores it (leading space, final
// LF). GMime keeps a raw value until the field changes again, so call this after the
// last change to the field. Throws std::logic_error when the field does not exist.
void set_raw_header(GMimeObject* object, const char* name, const std::string& raw);

// Format options for our output: LF line ends, everything else GMime's defaults.
FormatOptionsPtr unix_format_options();

// A read-only, seekable GMimeStream over `bytes`. No copy is made: `bytes` must stay
// alive and unchanged while the stream or any GMime object holding it is used.
Ptr<GMimeStream> memory_source(std::string_view bytes);

// Where contents that we write ourselves go in GMime's output (see splice_point()).
struct SpliceLog {
  const std::string* sink = nullptr;  // the string a string_sink() writes to
  std::vector<std::pair<size_t, size_t>> points;  // (offset in *sink, key), in output order
  bool failed = false;  // out of memory while noting a point
};

// Content for a part that GMime writes as empty and that we fill in afterwards: when GMime
// comes to write it, the stream notes (*log->sink's size, key) in log->points. GMime passes
// every content byte through a line-end filter; content spliced in later does not pay that.
// `log` must outlive the stream.
Ptr<GMimeStream> splice_point(SpliceLog* log, size_t key);

// A write-only GMimeStream that appends everything written to `*out`, which must outlive
// the stream. Memory errors are kept inside the stream (C code cannot pass exceptions);
// call rethrow_sink_error() after writing.
Ptr<GMimeStream> string_sink(std::string* out);

// Rethrows the exception a string_sink met while writing, if any.
void rethrow_sink_error(GMimeStream* sink);

}  // namespace ostfs::render::gmime
