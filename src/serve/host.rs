//! Which `Host` the preview answers: the guard against DNS rebinding.
//!
//! A page on another origin can point its own name at 127.0.0.1 and then read the preview as
//! if it were its own. The browser still sends that name in `Host`, so the server answers
//! only names that cannot be the attacker's:
//!
//! - `localhost` and any `*.localhost`: RFC 6761 reserves them for loopback; browsers resolve
//!   them to loopback themselves and no public DNS can be made to answer for them.
//! - IP literals of loopback (`127.0.0.1`, `[::1]`) and the address bound with `--bind`. An
//!   IP literal involves no name lookup, so there is nothing to rebind; when bound to every
//!   interface (`0.0.0.0`, `::`) any IP literal is accepted, since a client may reach us
//!   through any of the machine's addresses.
//! - the name given to `--bind`, when it is a name.
//!
//! The port must be ours (no port means 80). A request without `Host` is refused: HTTP/1.1
//! requires it, every browser sends it, and without it no check can be made.

use std::net::IpAddr;

pub(crate) struct Allowed {
    port: u16,
    /// The address the listener is bound to.
    bound: IpAddr,
    /// `--bind` as given, lowercased, when it is a name rather than an address.
    bound_name: Option<String>,
}

impl Allowed {
    pub(crate) fn new(bind: &str, bound: IpAddr, port: u16) -> Allowed {
        let bind = bind.trim_start_matches('[').trim_end_matches(']');
        Allowed {
            port,
            bound,
            bound_name: bind
                .parse::<IpAddr>()
                .is_err()
                .then(|| bind.to_ascii_lowercase()),
        }
    }

    /// The hosts permitted, for the terminal and the 421 page.
    pub(crate) fn described(&self) -> String {
        let port = self.port;
        let mut hosts =
            format!("localhost:{port}, *.localhost:{port}, 127.0.0.1:{port}, [::1]:{port}");
        if self.bound.is_unspecified() {
            hosts.push_str(&format!(" and any IP address of this machine with :{port}"));
        } else if !self.bound.is_loopback() {
            let ip = match self.bound {
                IpAddr::V6(v6) => format!("[{v6}]"),
                v4 => v4.to_string(),
            };
            hosts.push_str(&format!(" and {ip}:{port}"));
        }
        if let Some(name) = self.bound_name.as_ref().filter(|n| !is_localhost(n)) {
            hosts.push_str(&format!(" and {name}:{port}"));
        }
        hosts
    }

    /// Whether a request for `host` (a `Host` value: name or address, optional port) is for us.
    pub(crate) fn permits(&self, host: &str) -> bool {
        let Some((name, port)) = split(host) else {
            return false;
        };
        if port != self.port {
            return false;
        }
        let name = name.to_ascii_lowercase();
        if let Ok(ip) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            // Brackets are for IPv6 only, and required for it.
            if name.starts_with('[') != ip.is_ipv6() {
                return false;
            }
            return ip.is_loopback() || ip == self.bound || self.bound.is_unspecified();
        }
        is_localhost(&name) || self.bound_name.as_deref() == Some(name.as_str())
    }
}

/// `localhost` or a name under it (`site.localhost`), each label plain.
fn is_localhost(name: &str) -> bool {
    let Some(prefix) = name.strip_suffix("localhost") else {
        return false;
    };
    if prefix.is_empty() {
        return true;
    }
    let Some(labels) = prefix.strip_suffix('.') else {
        return false;
    };
    labels.split('.').all(|l| {
        !l.is_empty()
            && !l.starts_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// A `Host` value as name and port; `None` when malformed.
fn split(host: &str) -> Option<(&str, u16)> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')? + 1;
        let rest = &host[end..];
        let port = if rest.is_empty() {
            None
        } else {
            Some(rest.strip_prefix(':')?)
        };
        (&host[..end], port)
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port = match port {
        // `Host: localhost:` is allowed by RFC 3986 and means the default port.
        None | Some("") => 80,
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
        Some(_) => return None,
    };
    (!name.is_empty()).then_some((name, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> Allowed {
        Allowed::new("127.0.0.1", "127.0.0.1".parse().unwrap(), 4000)
    }

    #[test]
    fn loopback_names_with_our_port_are_permitted() {
        let allowed = loopback();
        for host in [
            "localhost:4000",
            "LOCALHOST:4000",
            "127.0.0.1:4000",
            "[::1]:4000",
            "site.localhost:4000",
            "a.b-c.localhost:4000",
        ] {
            assert!(allowed.permits(host), "{host}");
        }
    }

    #[test]
    fn other_names_ports_and_malformed_hosts_are_refused() {
        let allowed = loopback();
        for host in [
            "evil.example:4000",
            "localhost.evil.example:4000",
            "evillocalhost:4000",
            ".localhost:4000",
            "a..localhost:4000",
            "localhost:4001",
            "localhost",
            "localhost:40000000",
            "localhost:+4000",
            "127.0.0.1:4000:4000",
            "::1:4000",
            "[127.0.0.1]:4000",
            "[::1]x:4000",
            "192.168.1.5:4000",
            "0177.0.0.1:4000",
            ":4000",
            "",
        ] {
            assert!(!allowed.permits(host), "{host}");
        }
    }

    #[test]
    fn the_bound_address_or_name_is_permitted() {
        let lan = Allowed::new("192.168.1.5", "192.168.1.5".parse().unwrap(), 4000);
        assert!(lan.permits("192.168.1.5:4000"));
        assert!(lan.permits("localhost:4000"));
        assert!(!lan.permits("192.168.1.6:4000"));
        let any = Allowed::new("0.0.0.0", "0.0.0.0".parse().unwrap(), 4000);
        assert!(any.permits("10.0.0.7:4000") && any.permits("[fe80::1]:4000"));
        assert!(!any.permits("evil.example:4000"));
        let named = Allowed::new("Box.lan", "192.168.1.5".parse().unwrap(), 80);
        assert!(named.permits("box.lan") && named.permits("box.lan:80"));
        assert!(!named.permits("other.lan"));
    }
}
