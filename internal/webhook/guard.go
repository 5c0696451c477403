package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// ErrUnsafeAddress is why a production delivery to a non-public address is refused.
var ErrUnsafeAddress = errors.New("refused: the URL resolves to a loopback, private, link-local or metadata address")

// Dialer is the dialer of the delivery client. In production its Control checks every
// address it is about to connect to, after DNS resolution, whatever the URL said: a name
// that resolves, or is re-pointed between check and use (DNS rebinding), to an internal
// address is refused at the socket, where no later lookup can change the answer. Sandbox
// dials anything, so that receivers on the developer's machine work.
func Dialer(production bool) *net.Dialer {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	if production {
		d.Control = guard
	}
	return d
}

func guard(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("refused: %q is not an IP address", host)
	}
	if !Public(ip) {
		return ErrUnsafeAddress
	}
	return nil
}

// blocked are ranges that are not loopback, private or link-local by net/netip's tests
// but still reach inside: shared address space (carrier NAT, some clouds' internal
// networks), "this network", IETF protocol assignments, benchmarking, reserved, and
// cloud metadata addresses outside link-local.
var blocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64: may embed any IPv4 address
	netip.MustParsePrefix("fec0::/10"),    // deprecated site-local, still routed inside some networks
	netip.MustParsePrefix("fd00:ec2::254/128"),
}

// Public reports whether a webhook may be delivered to ip in production: not loopback,
// private (RFC 1918, IPv6 ULA), link-local (169.254.0.0/16 holds the metadata service of
// most clouds), multicast, unspecified, or one of the blocked ranges.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	if !ip.IsGlobalUnicast() || ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
		return false
	}
	for _, p := range blocked {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}
