#pragma once

#include <Poco/Net/IPAddress.h>

#include <optional>
#include <string>

namespace ruche::webhooks {

/// What kind of network an IP address belongs to, as far as sending a
/// webhook there is concerned: only Public is reachable by default.
enum class AddressKind {
  Public,
  Loopback,     ///< 127/8, ::1
  Private,      ///< RFC 1918: 10/8, 172.16/12, 192.168/16
  LinkLocal,    ///< 169.254/16 (cloud metadata lives there), fe80::/10
  UniqueLocal,  ///< fc00::/7
  Unspecified,  ///< 0/8 (Linux connects 0.0.0.0 to itself), ::
  Multicast,    ///< 224/4, ff00::/8
  SharedCgnat,  ///< 100.64/10 (RFC 6598, carrier-grade NAT)
  Reserved,     ///< 240/4 and 255.255.255.255
};

/// Classifies an IPv4 or IPv6 address. An IPv6 address that carries an IPv4
/// one (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64
/// 64:ff9b::a.b.c.d) is classified by the IPv4 address it carries.
AddressKind classifyAddress(const Poco::Net::IPAddress& address);

/// "a loopback address", "a private (RFC 1918) address", … for messages.
std::string describe(AddressKind kind);

/// Where webhooks may be sent.
struct TargetPolicy {
  /// webhooks.allow_private: also loopback, private, link-local,
  /// unique-local, CGNAT and unspecified addresses (an instance whose
  /// receivers are on its own network, or the test suite). Multicast and
  /// reserved addresses stay refused: no HTTP server answers there.
  bool allowPrivate = false;
};

/// Why `address` may not receive a webhook under `policy`, or nothing.
std::optional<std::string> addressRefusal(const Poco::Net::IPAddress& address, const TargetPolicy& policy);

/// Why `url` may not be registered as a webhook under `policy`, or nothing:
/// a scheme other than http or https, no host, or a host that is (or whose
/// DNS name resolves to, any of its addresses) a refused address. A name
/// that does not resolve now is accepted: the check at send time, on the
/// address actually connected to, refuses it then if it must.
std::optional<std::string> urlRefusal(const std::string& url, const TargetPolicy& policy);

}  // namespace ruche::webhooks
