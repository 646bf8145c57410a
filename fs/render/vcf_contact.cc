// The contact half of render_vcf(): [MS-OXOCNTC] properties to vCard properties.
#include <algorithm>
#include <cctype>

#include "fs/render/item_props.h"
#include "fs/render/item_time.h"
#include "fs/render/vcf_parts.h"
#include "parser/props.h"

namespace ostfs::render::vcf {
namespace {

using props::PSETID_Address;

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool iequals(const std::string& a, std::string_view b) {
  return lower_ascii(a) == lower_ascii(std::string(b));
}

// The three e-mail slots of a contact ([MS-OXOCNTC] 2.2.1.2).
struct EmailSlot {
  uint32_t address_type, email_address, original_display_name;
};
constexpr EmailSlot kEmailSlots[] = {
    {props::PidLidEmail1AddressType, props::PidLidEmail1EmailAddress, props::PidLidEmail1OriginalDisplayName},
    {props::PidLidEmail2AddressType, props::PidLidEmail2EmailAddress, props::PidLidEmail2OriginalDisplayName},
    {props::PidLidEmail3AddressType, props::PidLidEmail3EmailAddress, props::PidLidEmail3OriginalDisplayName},
};

// The SMTP addresses of the contact, in slot order, without repeats.
std::vector<std::string> email_addresses(const model::Message& m, ConversionNotes& notes) {
  std::vector<std::string> out;
  int slot_number = 0;
  for (const EmailSlot& slot : kEmailSlots) {
    ++slot_number;
    const auto address = item::named_text(m, PSETID_Address, slot.email_address);
    if (!address) continue;
    const std::string type = item::named_text(m, PSETID_Address, slot.address_type).value_or("SMTP");
    std::optional<std::string> smtp;
    if (iequals(type, "SMTP")) {
      smtp = address;
    } else if (iequals(type, "EX")) {
      // For Exchange addresses Outlook keeps the SMTP form as the "original display name".
      const auto original = item::named_text(m, PSETID_Address, slot.original_display_name);
      if (original && original->find('@') != std::string::npos) smtp = original;
    }
    if (!smtp) {
      notes.remarks.push_back("Email" + std::to_string(slot_number) + " has no SMTP address (" + type + ": " + *address +
                         ")");
      continue;
    }
    if (std::find(out.begin(), out.end(), *smtp) == out.end()) out.push_back(*smtp);
  }
  return out;
}

struct Phone {
  uint16_t tag;
  const char* types3;  // vCard 3.0 TYPE values
  const char* types4;  // vCard 4.0 TYPE values
};
// Outlook's phone fields ([MS-OXOCNTC] 2.2.1.4) in the order Outlook lists them.
constexpr Phone kPhones[] = {
    {props::PidTagPrimaryTelephoneNumber, "PREF,VOICE", "voice"},
    {props::PidTagBusinessTelephoneNumber, "WORK,VOICE", "work,voice"},
    {props::PidTagBusiness2TelephoneNumber, "WORK,VOICE", "work,voice"},
    {props::PidTagCompanyMainTelephoneNumber, "WORK,VOICE,X-COMPANY", "work,voice,x-company"},
    {props::PidTagAssistantTelephoneNumber, "VOICE,X-ASSISTANT", "voice,x-assistant"},
    {props::PidTagHomeTelephoneNumber, "HOME,VOICE", "home,voice"},
    {props::PidTagHome2TelephoneNumber, "HOME,VOICE", "home,voice"},
    {props::PidTagMobileTelephoneNumber, "CELL,VOICE", "cell,voice"},
    {props::PidTagCarTelephoneNumber, "CAR,VOICE", "voice,x-car"},
    {props::PidTagOtherTelephoneNumber, "VOICE", "voice"},
    {props::PidTagCallbackTelephoneNumber, "VOICE,X-CALLBACK", "voice,x-callback"},
    {props::PidTagRadioTelephoneNumber, "VOICE,X-RADIO", "voice,x-radio"},
    {props::PidTagPagerTelephoneNumber, "PAGER", "pager"},
    {props::PidTagBusinessFaxNumber, "WORK,FAX", "work,fax"},
    {props::PidTagHomeFaxNumber, "HOME,FAX", "home,fax"},
    {props::PidTagPrimaryFaxNumber, "FAX", "fax"},
    {props::PidTagIsdnNumber, "ISDN", "voice,x-isdn"},
    {props::PidTagTelexNumber, "X-TELEX", "x-telex"},
    {props::PidTagTtyTddPhoneNumber, "X-TTYTDD", "textphone"},
};

void add_phones(vcard::Writer& card, const model::Message& m) {
  const bool v4 = card.version() == 4;
  for (const Phone& phone : kPhones) {
    const auto number = item::text(m, phone.tag);
    if (!number) continue;
    std::string params = std::string("TYPE=") + (v4 ? phone.types4 : phone.types3);
    if (v4 && phone.tag == props::PidTagPrimaryTelephoneNumber) params += ";PREF=1";
    if (v4) params = "VALUE=text;" + params;
    card.add_text("TEL", params, *number);
  }
}

struct Address {
  std::optional<std::string> po_box, street, city, region, postal_code, country, label;
  bool empty() const { return !po_box && !street && !city && !region && !postal_code && !country; }
};

Address tag_address(const model::Message& m, uint16_t po_box, uint16_t street, uint16_t city, uint16_t region,
                    uint16_t postal_code, uint16_t country) {
  return {item::text(m, po_box),      item::text(m, street),  item::text(m, city), item::text(m, region),
          item::text(m, postal_code), item::text(m, country), std::nullopt};
}

void add_address(vcard::Writer& card, const Address& a, const char* type, bool preferred) {
  if (a.empty()) return;
  std::string params = std::string("TYPE=") + type;
  if (preferred) params += card.version() == 4 ? ";PREF=1" : ",PREF";
  // ADR: post office box; extended address; street; locality; region; postal code; country.
  card.add_structured("ADR", params,
                      {a.po_box.value_or(""), "", a.street.value_or(""), a.city.value_or(""), a.region.value_or(""),
                       a.postal_code.value_or(""), a.country.value_or("")});
  if (a.label && card.version() == 3) card.add_text("LABEL", std::string("TYPE=") + type, *a.label);
}

void add_addresses(vcard::Writer& card, const model::Message& m) {
  const int mailing = item::named_int32(m, PSETID_Address, props::PidLidPostalAddressId).value_or(0);
  const bool v4 = card.version() == 4;

  Address home = tag_address(m, props::PidTagHomeAddressPostOfficeBox, props::PidTagHomeAddressStreet,
                             props::PidTagHomeAddressCity, props::PidTagHomeAddressStateOrProvince,
                             props::PidTagHomeAddressPostalCode, props::PidTagHomeAddressCountry);
  home.label = item::named_text(m, PSETID_Address, props::PidLidHomeAddress);

  // The work address lives in named properties; older items only have the PidTag
  // "business" (mailing) fields.
  Address work{item::named_text(m, PSETID_Address, props::PidLidWorkAddressPostOfficeBox),
               item::named_text(m, PSETID_Address, props::PidLidWorkAddressStreet),
               item::named_text(m, PSETID_Address, props::PidLidWorkAddressCity),
               item::named_text(m, PSETID_Address, props::PidLidWorkAddressState),
               item::named_text(m, PSETID_Address, props::PidLidWorkAddressPostalCode),
               item::named_text(m, PSETID_Address, props::PidLidWorkAddressCountry),
               item::named_text(m, PSETID_Address, props::PidLidWorkAddress)};
  if (work.empty()) {
    const auto label = work.label;
    work = tag_address(m, props::PidTagPostOfficeBox, props::PidTagStreetAddress, props::PidTagLocality,
                       props::PidTagStateOrProvince, props::PidTagPostalCode, props::PidTagCountry);
    work.label = label;
  }

  Address other = tag_address(m, props::PidTagOtherAddressPostOfficeBox, props::PidTagOtherAddressStreet,
                              props::PidTagOtherAddressCity, props::PidTagOtherAddressStateOrProvince,
                              props::PidTagOtherAddressPostalCode, props::PidTagOtherAddressCountry);
  other.label = item::named_text(m, PSETID_Address, props::PidLidOtherAddress);

  // PidLidPostalAddressId: 1 home, 2 work, 3 other is the mailing address.
  add_address(card, home, v4 ? "home" : "HOME", mailing == 1);
  add_address(card, work, v4 ? "work" : "WORK", mailing == 2);
  add_address(card, other, v4 ? "x-other" : "X-OTHER", mailing == 3);
}

// A date-only field. Outlook stores birthdays as local midnight converted to UTC; the
// *Local named property holds that midnight as UTC directly. For the UTC form the date
// is the one nearest to the stored instant, which is right for every zone within 12 h.
std::optional<item::CivilTime> contact_date(const model::Message& m, uint32_t local_lid, uint16_t utc_tag) {
  if (auto local = item::named_time(m, PSETID_Address, local_lid)) return item::civil_from_seconds(*local);
  if (auto utc = item::time(m, utc_tag)) return item::civil_from_seconds(*utc + 12 * 3600);
  return std::nullopt;
}

std::string formatted_name(const model::Message& m, const std::vector<std::string>& emails) {
  for (uint16_t tag : {props::PidTagDisplayName, props::PidTagSubject})
    if (auto name = item::text(m, tag)) return *name;
  std::string joined;
  for (uint16_t tag : {props::PidTagDisplayNamePrefix, props::PidTagGivenName, props::PidTagMiddleName,
                       props::PidTagSurname, props::PidTagGeneration}) {
    if (auto part = item::text(m, tag)) joined += (joined.empty() ? "" : " ") + *part;
  }
  if (!joined.empty()) return joined;
  if (auto file_under = item::named_text(m, PSETID_Address, props::PidLidFileUnder)) return *file_under;
  if (auto company = item::text(m, props::PidTagCompanyName)) return *company;
  if (!emails.empty()) return emails.front();
  return "";
}

void add_photo(vcard::Writer& card, const model::Message& m, ConversionNotes& notes) {
  for (const model::Attachment& a : m.attachments) {
    if (!item::bool_of(a.props.find(props::PidTagAttachmentContactPhoto)).value_or(false)) continue;
    if (!a.data_loaded || a.data.size() != a.data_size) {
      notes.losses.push_back("contact photo not loaded");
      return;
    }
    if (a.data.empty()) continue;
    const std::string type = item::image_type(a.data);
    if (card.version() == 4) {
      const std::string mime = type.empty() ? "application/octet-stream" : "image/" + lower_ascii(type);
      card.add("PHOTO", "", "data:" + mime + ";base64," + item::base64(a.data));
    } else {
      card.add("PHOTO", type.empty() ? "ENCODING=b" : "ENCODING=b;TYPE=" + type, item::base64(a.data));
    }
    if (type.empty()) notes.remarks.push_back("contact photo is not JPEG, PNG, GIF or BMP");
    return;
  }
}

bool has_uri_scheme(const std::string& s) {
  const size_t colon = s.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    const char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return std::isalpha(static_cast<unsigned char>(s[0])) != 0;
}

}  // namespace

void add_contact(vcard::Writer& card, const model::Message& m, ConversionNotes& notes) {
  const bool v4 = card.version() == 4;
  const std::vector<std::string> emails = email_addresses(m, notes);

  const std::string fn = formatted_name(m, emails);
  if (fn.empty()) notes.remarks.push_back("the contact has no name, company or e-mail address");
  card.add("FN", "", vcard::escape_text(fn));
  auto part = [&](uint16_t tag) { return item::text(m, tag).value_or(""); };
  card.add_structured("N", "",
                      {part(props::PidTagSurname), part(props::PidTagGivenName), part(props::PidTagMiddleName),
                       part(props::PidTagDisplayNamePrefix), part(props::PidTagGeneration)});
  if (auto nickname = item::text(m, props::PidTagNickname)) card.add_text("NICKNAME", "", *nickname);
  if (auto gender = m.props.int32(props::PidTagGender); gender && (*gender == 1 || *gender == 2))
    card.add(v4 ? "GENDER" : "X-GENDER", "", *gender == 1 ? (v4 ? "F" : "Female") : (v4 ? "M" : "Male"));

  for (size_t i = 0; i < emails.size(); ++i) {
    std::string params = v4 ? (i == 0 ? "PREF=1" : "") : (i == 0 ? "TYPE=INTERNET,PREF" : "TYPE=INTERNET");
    card.add_text("EMAIL", params, emails[i]);
  }
  add_phones(card, m);
  add_addresses(card, m);

  const auto company = item::text(m, props::PidTagCompanyName);
  const auto department = item::text(m, props::PidTagDepartmentName);
  if (company || department) {
    std::vector<std::string> org{company.value_or("")};
    if (department) org.push_back(*department);
    card.add_structured("ORG", "", org);
  }
  if (auto title = item::text(m, props::PidTagTitle)) card.add_text("TITLE", "", *title);
  if (auto profession = item::text(m, props::PidTagProfession)) card.add_text("ROLE", "", *profession);
  if (auto office = item::text(m, props::PidTagOfficeLocation)) card.add_text("X-MS-OFFICE-LOCATION", "", *office);
  if (auto manager = item::text(m, props::PidTagManagerName)) card.add_text("X-MS-MANAGER", "", *manager);
  if (auto assistant = item::text(m, props::PidTagAssistant)) card.add_text("X-MS-ASSISTANT", "", *assistant);
  if (auto spouse = item::text(m, props::PidTagSpouseName)) {
    if (v4)
      card.add_text("RELATED", "TYPE=spouse;VALUE=text", *spouse);
    else
      card.add_text("X-MS-SPOUSE", "", *spouse);
  }

  if (auto birthday = contact_date(m, props::PidLidBirthdayLocal, props::PidTagBirthday))
    card.add("BDAY", v4 ? "" : "VALUE=date", v4 ? item::basic_date(*birthday) : item::extended_date(*birthday));
  if (auto anniversary = contact_date(m, props::PidLidWeddingAnniversaryLocal, props::PidTagWeddingAnniversary))
    card.add(v4 ? "ANNIVERSARY" : "X-ANNIVERSARY", "",
             v4 ? item::basic_date(*anniversary) : item::extended_date(*anniversary));

  std::vector<std::string> urls;
  auto add_url = [&](std::optional<std::string> url, const char* type) {
    if (!url || std::find(urls.begin(), urls.end(), *url) != urls.end()) return;
    urls.push_back(*url);
    card.add_uri("URL", std::string("TYPE=") + type, *url);
  };
  add_url(item::text(m, props::PidTagPersonalHomePage), v4 ? "home" : "HOME");
  add_url(item::text(m, props::PidTagBusinessHomePage), v4 ? "work" : "WORK");
  add_url(item::named_text(m, PSETID_Address, props::PidLidHtml), v4 ? "work" : "WORK");

  if (auto im = item::named_text(m, PSETID_Address, props::PidLidInstantMessagingAddress)) {
    // IMPP needs a URI ([RFC 4770], [RFC 6350] 6.4.3); Outlook stores "sip:..." or a bare
    // address, and a bare one keeps Outlook's own property name.
    if (has_uri_scheme(*im)) card.add_uri("IMPP", "", *im);
    if (!v4 || !has_uri_scheme(*im)) card.add_text("X-MS-IMADDRESS", "", *im);
  }
  add_photo(card, m, notes);
}

}  // namespace ostfs::render::vcf
