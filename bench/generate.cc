// ostfs-generate: builds PST files for benchmarks and tests from real messages.
//
// Messages of a template file (a real PST/OST) are copied round-robin with varied subjects,
// dates, senders and synthetic attachments, into a chosen number of folders. The output is
// deterministic for the same options and template.
#include <charconv>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "export/pst_writer.h"
#include "parser/props.h"
#include "parser/reader.h"
#include "parser/text.h"

namespace {

constexpr const char* kUsage =
    "Usage: ostfs-generate [OPTIONS] OUT.pst\n"
    "Write a PST of copies of real messages, for benchmarks and tests.\n"
    "\n"
    "  --template FILE          PST/OST whose messages are copied (default tests/data/SampleOstFile.ost)\n"
    "  --messages N             messages in all (default 1000)\n"
    "  --folders N              folders to spread them over (default 4)\n"
    "  --big-folder N           of the messages, this many go into the first folder (default 0)\n"
    "  --attachment-every K     give every K-th message a synthetic attachment (default 0: none)\n"
    "  --attachment-size BYTES  mean size of those attachments (default 262144; sizes vary 50-150%)\n"
    "  --target-bytes BYTES     instead of --messages: add messages until the attachments and\n"
    "                           bodies reach about this many bytes\n"
    "  --unicode                use names and texts with characters outside the BMP (U+1F680)\n"
    "  --seed N                 seed for sizes and attachment bytes (default 1)\n";

struct Options {
  std::string template_path = "tests/data/SampleOstFile.ost";
  std::string out;
  uint64_t messages = 1000;
  uint32_t folders = 4;
  uint64_t big_folder = 0;
  uint64_t attachment_every = 0;
  uint64_t attachment_size = 262144;
  std::optional<uint64_t> target_bytes;
  bool unicode = false;
  uint64_t seed = 1;
};

uint64_t parse_number(const std::string& flag, const char* text) {
  uint64_t value = 0;
  const char* end = text + std::strlen(text);
  auto [ptr, ec] = std::from_chars(text, end, value);
  if (ec != std::errc() || ptr != end) throw std::invalid_argument(flag + " needs a whole number");
  return value;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--template") o.template_path = value();
    else if (a == "--messages") o.messages = parse_number(a, value());
    else if (a == "--folders") o.folders = static_cast<uint32_t>(std::max<uint64_t>(1, parse_number(a, value())));
    else if (a == "--big-folder") o.big_folder = parse_number(a, value());
    else if (a == "--attachment-every") o.attachment_every = parse_number(a, value());
    else if (a == "--attachment-size") o.attachment_size = parse_number(a, value());
    else if (a == "--target-bytes") o.target_bytes = parse_number(a, value());
    else if (a == "--unicode") o.unicode = true;
    else if (a == "--seed") o.seed = parse_number(a, value());
    else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (!a.empty() && a[0] == '-') throw std::invalid_argument("unknown option " + a);
    else if (o.out.empty()) o.out = a;
    else throw std::invalid_argument("more than one output file");
  }
  if (o.out.empty()) throw std::invalid_argument("no output file");
  return o;
}

ostfs::model::Message copy_message(const ostfs::model::Message& m) {
  ostfs::model::Message out;
  out.nid = m.nid;
  out.props = m.props;
  out.recipients = m.recipients;
  out.codepage = m.codepage;
  for (const auto& a : m.attachments) {
    ostfs::model::Attachment c;
    c.props = a.props;
    c.method = a.method;
    c.data_size = a.data_size;
    c.data = a.data;
    c.data_loaded = a.data_loaded;
    if (a.embedded) c.embedded = std::make_unique<ostfs::model::Message>(copy_message(*a.embedded));
    out.attachments.push_back(std::move(c));
  }
  return out;
}

std::vector<uint8_t> utf16(const std::string& utf8) {
  const std::string u = ostfs::text::utf8_to_utf16le(utf8);
  return {u.begin(), u.end()};
}

void set_property(ostfs::model::PropertyBag& bag, uint16_t id, uint16_t type, std::vector<uint8_t> value) {
  for (auto& p : bag.props) {
    if (p.id == id) {
      p.type = type;
      p.value = std::move(value);
      return;
    }
  }
  bag.props.push_back({id, type, std::move(value), std::nullopt});
}

std::vector<uint8_t> le64(uint64_t v) {
  std::vector<uint8_t> out(8);
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
  return out;
}

std::vector<uint8_t> le32(uint32_t v) {
  std::vector<uint8_t> out(4);
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
  return out;
}

std::vector<ostfs::model::Message> load_templates(const std::string& path) {
  std::unique_ptr<ostfs::parser::Store> store;
  try {
    store = ostfs::parser::Store::open(path);
  } catch (const ostfs::parser::OpenError& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  std::vector<ostfs::model::Message> templates;
  std::vector<uint32_t> pending = {store->root_nid()};
  while (!pending.empty()) {
    const uint32_t nid = pending.back();
    pending.pop_back();
    for (const auto& f : store->subfolders(nid, nullptr)) pending.push_back(f.nid);
    for (const auto& summary : store->messages(nid, nullptr)) {
      auto message = store->load_message(nid, summary.index, true);
      if (message.message_class().rfind("IPM.Note", 0) == 0) templates.push_back(std::move(message));
    }
  }
  if (templates.empty()) throw std::runtime_error(path + ": has no IPM.Note messages to copy");
  return templates;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "ostfs-generate: " << e.what() << "\nTry 'ostfs-generate --help'.\n";
    return 1;
  }
  try {
    const std::vector<ostfs::model::Message> templates = load_templates(o.template_path);
    ostfs::pstw::WriterOptions options;
    options.store_display_name = o.unicode ? "Generated \xF0\x9F\x9A\x80 store" : "Generated store";
    ostfs::pstw::PstWriter writer(o.out, options);

    std::vector<ostfs::pstw::FolderRef> folders;
    for (uint32_t f = 0; f < o.folders; ++f) {
      ostfs::model::Folder folder;
      folder.name = (o.unicode ? "Folder \xF0\x9F\x9A\x80 " : "Folder ") + std::to_string(f + 1);
      set_property(folder.props, ostfs::props::PidTagDisplayName, ostfs::props::type::Unicode, utf16(folder.name));
      set_property(folder.props, ostfs::props::PidTagContainerClass, ostfs::props::type::Unicode, utf16("IPF.Note"));
      folders.push_back(writer.add_folder(writer.ipm_subtree(), folder));
    }

    std::mt19937_64 random(o.seed);
    const uint64_t base_time = 0x01D7000000000000ULL;  // a FILETIME in 2021
    uint64_t bytes = 0;
    for (uint64_t i = 0;; ++i) {
      if (o.target_bytes ? bytes >= *o.target_bytes : i >= o.messages) break;
      ostfs::model::Message m = copy_message(templates[i % templates.size()]);
      const std::string subject =
          (o.unicode ? "\xF0\x9F\x9A\x80 Launch " : "Generated ") + std::to_string(i + 1) + ": " +
          m.text(ostfs::props::PidTagSubject).value_or("");
      set_property(m.props, ostfs::props::PidTagSubject, ostfs::props::type::Unicode, utf16(subject));
      const uint64_t when = base_time + i * 600ULL * 10000000ULL;  // ten minutes apart
      set_property(m.props, ostfs::props::PidTagMessageDeliveryTime, ostfs::props::type::SysTime, le64(when));
      set_property(m.props, ostfs::props::PidTagClientSubmitTime, ostfs::props::type::SysTime, le64(when - 50000000));
      set_property(m.props, ostfs::props::PidTagSenderName, ostfs::props::type::Unicode,
                   utf16("Sender " + std::to_string(i % 97)));
      if (o.unicode) {
        set_property(m.props, ostfs::props::PidTagBody, ostfs::props::type::Unicode,
                     utf16("Body with a rocket \xF0\x9F\x9A\x80 and text " + std::to_string(i + 1) + ".\r\n"));
      }
      if (o.attachment_every && i % o.attachment_every == 0) {
        std::uniform_int_distribution<uint64_t> size_of(o.attachment_size / 2, o.attachment_size * 3 / 2);
        ostfs::model::Attachment a;
        a.method = ostfs::model::AttachMethod::ByValue;
        a.data.resize(size_of(random));
        for (size_t k = 0; k < a.data.size(); k += 8) {
          const uint64_t word = random();
          std::memcpy(a.data.data() + k, &word, std::min<size_t>(8, a.data.size() - k));
        }
        a.data_size = a.data.size();
        a.data_loaded = true;
        const std::string name = (o.unicode ? "r\xC3\xA9sum\xC3\xA9 \xF0\x9F\x9A\x80 " : "data ") +
                                 std::to_string(i + 1) + ".bin";
        set_property(a.props, ostfs::props::PidTagAttachLongFilename, ostfs::props::type::Unicode, utf16(name));
        set_property(a.props, ostfs::props::PidTagAttachMethod, ostfs::props::type::Int32, le32(1));
        bytes += a.data.size();
        m.attachments.push_back(std::move(a));
      }
      for (const auto& p : m.props.props) bytes += p.value.size();
      const size_t folder_index =
          i < o.big_folder ? 0 : (o.folders == 1 ? 0 : 1 + (i - o.big_folder) % (o.folders - 1));
      writer.add_message(folders[folder_index], m);
    }
    writer.finish();
    std::cout << "wrote " << o.out << ": " << writer.message_count() << " messages in " << o.folders
              << " folders\n";
  } catch (const std::exception& e) {
    std::cerr << "ostfs-generate: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
