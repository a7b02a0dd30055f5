#include "kernel/webhooks/TargetGuard.h"

#include <Poco/Exception.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HostEntry.h>
#include <Poco/URI.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace ruche::webhooks {
namespace {

using Bytes4 = std::array<std::uint8_t, 4>;

AddressKind classifyIPv4(const Bytes4& a) {
  if (a[0] == 0) {
    return AddressKind::Unspecified;
  }
  if (a[0] == 127) {
    return AddressKind::Loopback;
  }
  if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168)) {
    return AddressKind::Private;
  }
  if (a[0] == 169 && a[1] == 254) {
    return AddressKind::LinkLocal;
  }
  if (a[0] == 100 && (a[1] & 0xc0) == 64) {
    return AddressKind::SharedCgnat;
  }
  if ((a[0] & 0xf0) == 224) {
    return AddressKind::Multicast;
  }
  if ((a[0] & 0xf0) == 240) {
    return AddressKind::Reserved;
  }
  return AddressKind::Public;
}

bool allZero(const std::uint8_t* bytes, std::size_t count) {
  for (std::size_t i = 0; i != count; ++i) {
    if (bytes[i] != 0) {
      return false;
    }
  }
  return true;
}

AddressKind classifyIPv6(const std::uint8_t* b) {
  static const std::uint8_t kNat64[12] = {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  Bytes4 tail = {b[12], b[13], b[14], b[15]};
  if (allZero(b, 10) && b[10] == 0xff && b[11] == 0xff) {
    return classifyIPv4(tail);  // ::ffff:a.b.c.d
  }
  if (std::memcmp(b, kNat64, sizeof kNat64) == 0) {
    return classifyIPv4(tail);  // 64:ff9b::a.b.c.d
  }
  if (allZero(b, 15)) {
    return b[15] == 0 ? AddressKind::Unspecified : (b[15] == 1 ? AddressKind::Loopback : AddressKind::Reserved);
  }
  if (allZero(b, 12)) {
    return classifyIPv4(tail);  // ::a.b.c.d, deprecated IPv4-compatible
  }
  if (b[0] == 0xff) {
    return AddressKind::Multicast;
  }
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) {
    return AddressKind::LinkLocal;
  }
  if ((b[0] & 0xfe) == 0xfc) {
    return AddressKind::UniqueLocal;
  }
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) {
    return AddressKind::Private;  // fec0::/10, the deprecated site-local range
  }
  return AddressKind::Public;
}

}  // namespace

AddressKind classifyAddress(const Poco::Net::IPAddress& address) {
  const auto* bytes = static_cast<const std::uint8_t*>(address.addr());
  if (address.family() == Poco::Net::IPAddress::IPv4) {
    return classifyIPv4({bytes[0], bytes[1], bytes[2], bytes[3]});
  }
  return classifyIPv6(bytes);
}

std::string describe(AddressKind kind) {
  switch (kind) {
    case AddressKind::Public:
      return "a public address";
    case AddressKind::Loopback:
      return "a loopback address";
    case AddressKind::Private:
      return "a private (RFC 1918) address";
    case AddressKind::LinkLocal:
      return "a link-local address";
    case AddressKind::UniqueLocal:
      return "a unique-local address";
    case AddressKind::Unspecified:
      return "an unspecified address";
    case AddressKind::Multicast:
      return "a multicast address";
    case AddressKind::SharedCgnat:
      return "a shared (carrier-grade NAT) address";
    case AddressKind::Reserved:
      return "a reserved address";
  }
  return "an unknown kind of address";
}

std::optional<std::string> addressRefusal(const Poco::Net::IPAddress& address, const TargetPolicy& policy) {
  AddressKind kind = classifyAddress(address);
  if (kind == AddressKind::Public) {
    return std::nullopt;
  }
  if (policy.allowPrivate && kind != AddressKind::Multicast && kind != AddressKind::Reserved) {
    return std::nullopt;
  }
  std::string reason = address.toString() + " is " + describe(kind);
  if (kind != AddressKind::Multicast && kind != AddressKind::Reserved) {
    reason += " (webhooks.allow_private is off)";
  }
  return reason;
}

std::optional<std::string> urlRefusal(const std::string& url, const TargetPolicy& policy) {
  std::string host;
  try {
    Poco::URI uri(url);
    if (uri.getScheme() != "http" && uri.getScheme() != "https") {
      return "only http:// and https:// addresses are allowed";
    }
    host = uri.getHost();
  } catch (const Poco::Exception&) {
    return "not a valid address";
  }
  if (host.empty()) {
    return "the address has no host";
  }
  Poco::Net::IPAddress literal;
  if (Poco::Net::IPAddress::tryParse(host, literal)) {
    return addressRefusal(literal, policy);
  }
  Poco::Net::HostEntry entry;
  try {
    entry = Poco::Net::DNS::hostByName(host, 0);  // no AI_ADDRCONFIG: every address the name has
  } catch (const Poco::Exception&) {
    return std::nullopt;  // does not resolve now: checked again when sending
  }
  for (const auto& address : entry.addresses()) {
    if (auto refusal = addressRefusal(address, policy)) {
      return host + " resolves to " + *refusal;
    }
  }
  return std::nullopt;
}

}  // namespace ruche::webhooks
