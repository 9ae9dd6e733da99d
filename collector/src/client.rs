//! The client a connection or request is counted against: an IPv4 address, or an IPv6 /64 (one
//! host's usual allocation, which it can rotate through freely).

use std::net::{IpAddr, Ipv6Addr};

/// The client `ip` belongs to; an IPv4-mapped IPv6 address is that IPv4 client.
pub fn client_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_host_is_its_64_and_a_mapped_address_its_ipv4() {
        let host = |last: u16| IpAddr::V6(Ipv6Addr::new(0x2a03, 0x32c0, 0, 7, 0, 0, 0, last));
        assert_eq!(client_of(host(1)), client_of(host(2)));
        assert_ne!(
            client_of(host(1)),
            client_of(IpAddr::V6(Ipv6Addr::new(0x2a03, 0x32c0, 0, 8, 0, 0, 0, 1)))
        );
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(client_of(mapped), "10.0.0.1".parse::<IpAddr>().unwrap());
    }
}
