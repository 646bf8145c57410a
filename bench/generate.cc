// ostfs-generate: builds PST files (or OST 2013 files) for benchmarks and tests from real
// messages.
//
// Messages of a template file (a real PST/OST) are copied round-robin with varied subjects,
// dates, senders and synthetic attachments, into a chosen number of folders. The output is
// deterministic for the same options and template (apart from the store's random GUIDs), and
// --manifest records what was written so tests can check every byte of it.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "export/pst_writer.h"
#include "parser/props.h"
#include "parser/reader.h"
#include "parser/text.h"

namespace {

constexpr const char* kUsage =
    "Usage: ostfs-generate [OPTIONS] OUT.pst|OUT.ost\n"
    "Write a PST (or OST) of copies of real messages, for benchmarks and tests.\n"
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
    "  --small                  keep only the templates' envelopes: one short plain-text body\n"
    "                           line and none of their own attachments (fast, for big folders)\n"
    "  --ost                    write the OST layout of Outlook 2013+ (wVer 36, 4 KiB pages,\n"
    "                           zlib-compressed data and internal blocks) instead of a PST\n"
    "  --manifest FILE          also write FILE: one line per folder (folder, name, messages)\n"
    "                           and per synthetic attachment (attachment, folder, subject,\n"
    "                           file name, size, sha256), tab-separated\n"
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
  bool small = false;
  bool ost = false;
  std::string manifest;
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
    else if (a == "--small") o.small = true;
    else if (a == "--ost") o.ost = true;
    else if (a == "--manifest") o.manifest = value();
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

// SHA-256 (FIPS 180-4) as lowercase hex, for the manifest: tests compare it with the hash of
// the bytes they read back, and the generator links no crypto library.
std::string sha256_hex(const std::vector<uint8_t>& data) {
  static constexpr std::array<uint32_t, 64> k = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  std::array<uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  auto rotr = [](uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  std::vector<uint8_t> m = data;
  const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  m.push_back(0x80);
  while (m.size() % 64 != 56) m.push_back(0);
  for (int i = 7; i >= 0; --i) m.push_back(static_cast<uint8_t>(bits >> (8 * i)));
  for (size_t block = 0; block < m.size(); block += 64) {
    std::array<uint32_t, 64> w{};
    for (int t = 0; t < 16; ++t)
      w[t] = (uint32_t{m[block + 4 * t]} << 24) | (uint32_t{m[block + 4 * t + 1]} << 16) |
             (uint32_t{m[block + 4 * t + 2]} << 8) | uint32_t{m[block + 4 * t + 3]};
    for (int t = 16; t < 64; ++t) {
      const uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      const uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    std::array<uint32_t, 8> v = h;
    for (int t = 0; t < 64; ++t) {
      const uint32_t S1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
      const uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const uint32_t t1 = v[7] + S1 + ch + k[t] + w[t];
      const uint32_t S0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
      const uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      const uint32_t t2 = S0 + maj;
      for (int i = 7; i > 0; --i) v[i] = v[i - 1];
      v[4] += t1;
      v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; ++i) h[i] += v[i];
  }
  std::ostringstream out;
  for (uint32_t word : h) out << std::hex << std::setw(8) << std::setfill('0') << word;
  return out.str();
}

// For --small: the template's envelope (class, subject, sender, recipients, flags, dates)
// with one short plain-text body instead of its own bodies, headers and attachments.
void make_small(ostfs::model::Message& m, uint64_t number) {
  static constexpr uint16_t kDropped[] = {ostfs::props::PidTagHtml, ostfs::props::PidTagRtfCompressed,
                                          ostfs::props::PidTagTransportMessageHeaders};
  std::erase_if(m.props.props, [](const ostfs::model::Property& p) {
    return std::find(std::begin(kDropped), std::end(kDropped), p.id) != std::end(kDropped);
  });
  set_property(m.props, ostfs::props::PidTagBody, ostfs::props::type::Unicode,
               utf16("Message " + std::to_string(number) + ".\r\n"));
  m.attachments.clear();
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
      auto message = store->load_message({nid, summary.index, summary.nid}, true);
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
    options.layout = o.ost ? ostfs::pstw::Layout::Ost2013 : ostfs::pstw::Layout::Pst2003Unicode;
    ostfs::pstw::PstWriter writer(o.out, options);
    std::ofstream manifest;
    if (!o.manifest.empty()) {
      manifest.open(o.manifest, std::ios::binary | std::ios::trunc);
      if (!manifest) throw std::runtime_error("cannot create " + o.manifest);
    }

    std::vector<ostfs::pstw::FolderRef> folders;
    std::vector<std::string> folder_names;
    std::vector<uint64_t> folder_counts(o.folders, 0);
    for (uint32_t f = 0; f < o.folders; ++f) {
      ostfs::model::Folder folder;
      folder.name = (o.unicode ? "Folder \xF0\x9F\x9A\x80 " : "Folder ") + std::to_string(f + 1);
      set_property(folder.props, ostfs::props::PidTagDisplayName, ostfs::props::type::Unicode, utf16(folder.name));
      set_property(folder.props, ostfs::props::PidTagContainerClass, ostfs::props::type::Unicode, utf16("IPF.Note"));
      folders.push_back(writer.add_folder(writer.ipm_subtree(), folder));
      folder_names.push_back(folder.name);
    }

    std::mt19937_64 random(o.seed);
    const uint64_t base_time = 0x01D7000000000000ULL;  // a FILETIME in 2021
    uint64_t bytes = 0;
    for (uint64_t i = 0;; ++i) {
      if (o.target_bytes ? bytes >= *o.target_bytes : i >= o.messages) break;
      ostfs::model::Message m = copy_message(templates[i % templates.size()]);
      if (o.small) make_small(m, i + 1);
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
      if (manifest.is_open()) {
        for (const auto& a : m.attachments) {
          if (a.method != ostfs::model::AttachMethod::ByValue) continue;
          const ostfs::model::Property* name = a.props.find(ostfs::props::PidTagAttachLongFilename);
          manifest << "attachment\t" << folder_names[folder_index] << '\t' << subject << '\t'
                   << (name ? ostfs::text::utf16le_to_utf8(name->value) : "")
                   << '\t' << a.data.size() << '\t' << sha256_hex(a.data) << '\n';
        }
      }
      ++folder_counts[folder_index];
      writer.add_message(folders[folder_index], m);
    }
    writer.finish();
    if (manifest.is_open()) {
      for (uint32_t f = 0; f < o.folders; ++f)
        manifest << "folder\t" << folder_names[f] << '\t' << folder_counts[f] << '\n';
      manifest.close();
      if (!manifest) throw std::runtime_error("cannot write " + o.manifest);
    }
    std::cout << "wrote " << o.out << ": " << writer.message_count() << " messages in " << o.folders
              << " folders\n";
  } catch (const std::exception& e) {
    std::cerr << "ostfs-generate: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
