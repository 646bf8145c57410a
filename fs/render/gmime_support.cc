#include "fs/render/gmime_support.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>

// Three small GMimeStream subclasses. They are GObject types, so they follow GObject's C
// conventions: the instance structs are zero-filled by GLib and hold only plain data.

struct OstfsMemorySource {
  GMimeStream parent;
  const char* data;
};
struct OstfsMemorySourceClass {
  GMimeStreamClass parent_class;
};

// Empty content that notes, when GMime comes to write it, how much the sink holds then.
struct OstfsSplicePoint {
  GMimeStream parent;
  ostfs::render::gmime::SpliceLog* log;
  size_t key;
  gboolean noted;
};
struct OstfsSplicePointClass {
  GMimeStreamClass parent_class;
};

struct OstfsStringSink {
  GMimeStream parent;
  std::string* out;
  gboolean failed;
};
struct OstfsStringSinkClass {
  GMimeStreamClass parent_class;
};

G_DEFINE_TYPE(OstfsMemorySource, ostfs_memory_source, GMIME_TYPE_STREAM)
G_DEFINE_TYPE(OstfsStringSink, ostfs_string_sink, GMIME_TYPE_STREAM)
G_DEFINE_TYPE(OstfsSplicePoint, ostfs_splice_point, GMIME_TYPE_STREAM)

namespace {

ssize_t source_read(GMimeStream* stream, char* buf, size_t len) {
  auto* self = reinterpret_cast<OstfsMemorySource*>(stream);
  if (stream->position >= stream->bound_end) return 0;
  const auto n = static_cast<size_t>(
      std::min<gint64>(stream->bound_end - stream->position, static_cast<gint64>(len)));
  std::memcpy(buf, self->data + stream->position, n);
  stream->position += static_cast<gint64>(n);
  return static_cast<ssize_t>(n);
}

ssize_t source_write(GMimeStream*, const char*, size_t) {
  errno = EBADF;
  return -1;
}

int stream_nothing(GMimeStream*) { return 0; }

gboolean source_eos(GMimeStream* stream) { return stream->position >= stream->bound_end; }

int source_reset(GMimeStream* stream) {
  stream->position = stream->bound_start;
  return 0;
}

gint64 source_seek(GMimeStream* stream, gint64 offset, GMimeSeekWhence whence) {
  gint64 target = offset;
  if (whence == GMIME_STREAM_SEEK_CUR) target = stream->position + offset;
  if (whence == GMIME_STREAM_SEEK_END) target = stream->bound_end + offset;
  if (target < stream->bound_start || target > stream->bound_end) {
    errno = EINVAL;
    return -1;
  }
  stream->position = target;
  return target;
}

gint64 source_tell(GMimeStream* stream) { return stream->position; }

gint64 source_length(GMimeStream* stream) { return stream->bound_end - stream->bound_start; }

GMimeStream* source_substream(GMimeStream* stream, gint64 start, gint64 end) {
  auto* parent = reinterpret_cast<OstfsMemorySource*>(stream);
  auto* sub =
      static_cast<OstfsMemorySource*>(g_object_new(ostfs_memory_source_get_type(), nullptr));
  sub->data = parent->data;
  if (end < 0 || end > stream->bound_end) end = stream->bound_end;
  g_mime_stream_construct(reinterpret_cast<GMimeStream*>(sub), start, end);
  return reinterpret_cast<GMimeStream*>(sub);
}

ssize_t splice_read(GMimeStream* stream, char*, size_t) {
  auto* self = reinterpret_cast<OstfsSplicePoint*>(stream);
  if (!self->noted) {
    self->noted = TRUE;
    try {
      self->log->points.push_back({self->log->sink->size(), self->key});
    } catch (...) {
      self->log->failed = true;
      errno = ENOMEM;
      return -1;
    }
  }
  return 0;
}

// Not at its end until GMime has read it once, so that GMime does read it.
gboolean splice_eos(GMimeStream* stream) { return reinterpret_cast<OstfsSplicePoint*>(stream)->noted; }

gint64 splice_length(GMimeStream*) { return 0; }

GMimeStream* splice_substream(GMimeStream*, gint64, gint64) {
  errno = EINVAL;
  return nullptr;
}

ssize_t sink_read(GMimeStream*, char*, size_t) {
  errno = EBADF;
  return -1;
}

ssize_t sink_write(GMimeStream* stream, const char* buf, size_t len) {
  auto* self = reinterpret_cast<OstfsStringSink*>(stream);
  try {
    self->out->append(buf, len);
  } catch (...) {
    self->failed = TRUE;
    errno = ENOMEM;
    return -1;
  }
  stream->position += static_cast<gint64>(len);
  return static_cast<ssize_t>(len);
}

gboolean sink_eos(GMimeStream*) { return TRUE; }

int sink_reset(GMimeStream*) {
  errno = ESPIPE;
  return -1;
}

gint64 sink_seek(GMimeStream*, gint64, GMimeSeekWhence) {
  errno = ESPIPE;
  return -1;
}

gint64 sink_tell(GMimeStream* stream) { return stream->position; }

gint64 sink_length(GMimeStream* stream) { return stream->position; }

GMimeStream* sink_substream(GMimeStream*, gint64, gint64) {
  errno = ESPIPE;
  return nullptr;
}

}  // namespace

static void ostfs_memory_source_class_init(OstfsMemorySourceClass* klass) {
  GMimeStreamClass* stream = &klass->parent_class;
  stream->read = source_read;
  stream->write = source_write;
  stream->flush = stream_nothing;
  stream->close = stream_nothing;
  stream->eos = source_eos;
  stream->reset = source_reset;
  stream->seek = source_seek;
  stream->tell = source_tell;
  stream->length = source_length;
  stream->substream = source_substream;
}

static void ostfs_memory_source_init(OstfsMemorySource*) {}

static void ostfs_string_sink_class_init(OstfsStringSinkClass* klass) {
  GMimeStreamClass* stream = &klass->parent_class;
  stream->read = sink_read;
  stream->write = sink_write;
  stream->flush = stream_nothing;
  stream->close = stream_nothing;
  stream->eos = sink_eos;
  stream->reset = sink_reset;
  stream->seek = sink_seek;
  stream->tell = sink_tell;
  stream->length = sink_length;
  stream->substream = sink_substream;
}

static void ostfs_string_sink_init(OstfsStringSink*) {}

static void ostfs_splice_point_class_init(OstfsSplicePointClass* klass) {
  GMimeStreamClass* stream = &klass->parent_class;
  stream->read = splice_read;
  stream->write = source_write;
  stream->flush = stream_nothing;
  stream->close = stream_nothing;
  stream->eos = splice_eos;
  stream->reset = stream_nothing;
  stream->seek = source_seek;
  stream->tell = source_tell;
  stream->length = splice_length;
  stream->substream = splice_substream;
}

static void ostfs_splice_point_init(OstfsSplicePoint*) {}

namespace ostfs::render::gmime {

void ensure_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_mime_init();
    // Register our stream types now: GType registration of a type used for the first
    // time by several threads at once is what the once-guard is for.
    g_type_ensure(ostfs_memory_source_get_type());
    g_type_ensure(ostfs_string_sink_get_type());
    g_type_ensure(ostfs_splice_point_get_type());
  });
}

void set_raw_header(GMimeObject* object, const char* name, const std::string& raw) {
  GMimeHeader* header = g_mime_header_list_get_header(g_mime_object_get_header_list(object), name);
  if (!header) throw std::logic_error(std::string("set_raw_header: no ") + name + " field to replace");
  g_mime_header_set_raw_value(header, raw.c_str());
}

FormatOptionsPtr unix_format_options() {
  ensure_initialized();
  FormatOptionsPtr options(g_mime_format_options_new());
  g_mime_format_options_set_newline_format(options.get(), GMIME_NEWLINE_FORMAT_UNIX);
  g_mime_format_options_set_param_encoding_method(options.get(),
                                                  GMIME_PARAM_ENCODING_METHOD_RFC2231);
  return options;
}

Ptr<GMimeStream> memory_source(std::string_view bytes) {
  ensure_initialized();
  auto* self =
      static_cast<OstfsMemorySource*>(g_object_new(ostfs_memory_source_get_type(), nullptr));
  self->data = bytes.data();
  auto* stream = reinterpret_cast<GMimeStream*>(self);
  g_mime_stream_construct(stream, 0, static_cast<gint64>(bytes.size()));
  return Ptr<GMimeStream>(stream);
}

Ptr<GMimeStream> splice_point(SpliceLog* log, size_t key) {
  ensure_initialized();
  auto* self = static_cast<OstfsSplicePoint*>(g_object_new(ostfs_splice_point_get_type(), nullptr));
  self->log = log;
  self->key = key;
  auto* stream = reinterpret_cast<GMimeStream*>(self);
  // Unbounded: GMime answers "end of stream" for a bounded empty stream without asking it.
  g_mime_stream_construct(stream, 0, -1);
  return Ptr<GMimeStream>(stream);
}

Ptr<GMimeStream> string_sink(std::string* out) {
  ensure_initialized();
  auto* self = static_cast<OstfsStringSink*>(g_object_new(ostfs_string_sink_get_type(), nullptr));
  self->out = out;
  auto* stream = reinterpret_cast<GMimeStream*>(self);
  g_mime_stream_construct(stream, 0, -1);
  return Ptr<GMimeStream>(stream);
}

void rethrow_sink_error(GMimeStream* sink) {
  if (reinterpret_cast<OstfsStringSink*>(sink)->failed) throw std::bad_alloc();
}

}  // namespace ostfs::render::gmime
