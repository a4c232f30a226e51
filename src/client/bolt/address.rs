//! Bolt addresses as cypher-shell users type them: `bolt://`, `bolt+s://`, `bolt+ssc://`,
//! `neo4j://`, `neo4j+s://`, `neo4j+ssc://`; no scheme means `neo4j://`, no port 7687,
//! `user:pass@host` carries credentials. `http(s)://` addresses belong to the Query API
//! backend (`client::remote`).
//!
//! It owns the parsing and the `--encryption` rule. It must not connect anywhere.

/// How a connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain TCP.
    Plain,
    /// TLS verified against the system's trust store (`+s`; `SSL_CERT_FILE` adds a CA).
    Verified,
    /// TLS accepting any certificate, self-signed included (`+ssc`).
    SelfSigned,
}

/// `--encryption`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encryption {
    /// The scheme decides.
    #[default]
    Default,
    /// TLS even for a plain scheme (verified).
    True,
    /// No TLS; refused with a `+s`/`+ssc` scheme.
    False,
}

/// A parsed Bolt address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoltAddress {
    /// `neo4j` schemes route (ROUTE, then members of the routing table); `bolt` ones don't.
    pub routing: bool,
    /// TLS or not.
    pub security: Security,
    /// The host name or IP (IPv6 without brackets).
    pub host: String,
    /// The port.
    pub port: u16,
    /// `user:password@` from the address.
    pub credentials: Option<(String, String)>,
}

/// Why an address cannot be used for Bolt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoltAddressError {
    /// A scheme cysh does not know.
    #[error(
        "Unsupported address scheme '{scheme}' in {address}: use neo4j://, neo4j+s://, neo4j+ssc://, bolt://, bolt+s://, bolt+ssc://, http:// or https://"
    )]
    Scheme {
        /// The scheme, lower-cased.
        scheme: String,
        /// The address as given.
        address: String,
    },
    /// A port that is not a number from 1 to 65535.
    #[error("Failed to parse address: '{0}' (invalid port)")]
    Port(String),
    /// `--encryption false` with a `+s`/`+ssc` scheme.
    #[error(
        "--encryption false contradicts the TLS scheme of {0}: use a plain neo4j:// or bolt:// address, or leave --encryption out"
    )]
    EncryptionConflict(String),
}

/// True when `address` names the Query API (`http://`, `https://`).
pub fn is_http(address: &str) -> bool {
    let lower = address.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

impl BoltAddress {
    /// Parses `address` under `encryption`.
    pub fn parse(address: &str, encryption: Encryption) -> Result<BoltAddress, BoltAddressError> {
        let trimmed = address.trim();
        let (scheme, rest) = match trimmed.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => ("neo4j".to_string(), trimmed),
        };
        let (routing, mut security) = match scheme.as_str() {
            "neo4j" => (true, Security::Plain),
            "neo4j+s" => (true, Security::Verified),
            "neo4j+ssc" => (true, Security::SelfSigned),
            "bolt" => (false, Security::Plain),
            "bolt+s" => (false, Security::Verified),
            "bolt+ssc" => (false, Security::SelfSigned),
            other => {
                return Err(BoltAddressError::Scheme {
                    scheme: other.into(),
                    address: trimmed.into(),
                });
            }
        };
        match (encryption, security) {
            (Encryption::True, Security::Plain) => security = Security::Verified,
            (Encryption::False, Security::Verified | Security::SelfSigned) => {
                return Err(BoltAddressError::EncryptionConflict(trimmed.into()));
            }
            _ => {}
        }
        // Everything after the authority (a path, `?policy=…` routing parameters) is
        // not needed to connect.
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        let (userinfo, host_port) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let credentials = userinfo.map(|u| match u.split_once(':') {
            Some((user, pw)) => (percent_decode(user), percent_decode(pw)),
            None => (percent_decode(u), String::new()),
        });
        let (host, port) = split_host_port(host_port)
            .ok_or_else(|| BoltAddressError::Port(trimmed.to_string()))?;
        Ok(BoltAddress {
            routing,
            security,
            host: if host.is_empty() {
                "localhost".into()
            } else {
                host
            },
            port,
            credentials,
        })
    }

    /// `host:port` (IPv6 in brackets), as routing tables and HELLO's routing context write it.
    pub fn host_port(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The address as shown to the operator: `neo4j+s://host:port`.
    pub fn shown(&self) -> String {
        let scheme = if self.routing { "neo4j" } else { "bolt" };
        let suffix = match self.security {
            Security::Plain => "",
            Security::Verified => "+s",
            Security::SelfSigned => "+ssc",
        };
        format!("{scheme}{suffix}://{}", self.host_port())
    }

    /// The same scheme and security at another `host:port` (a routing table member).
    pub fn at(&self, host_port: &str) -> Option<BoltAddress> {
        let (host, port) = split_host_port(host_port)?;
        Some(BoltAddress {
            host,
            port,
            credentials: None,
            ..self.clone()
        })
    }
}

/// `host`, `host:port`, `[v6]`, `[v6]:port`; no port is 7687.
fn split_host_port(s: &str) -> Option<(String, u16)> {
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok().filter(|p| *p != 0)?,
            None if after.is_empty() => 7687,
            None => return None,
        };
        return Some((host.to_string(), port));
    }
    match s.rsplit_once(':') {
        Some((h, p)) => Some((h.to_string(), p.parse().ok().filter(|p| *p != 0)?)),
        None => Some((s.to_string(), 7687)),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(h, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &str) -> BoltAddress {
        BoltAddress::parse(a, Encryption::Default).unwrap()
    }

    #[test]
    fn schemes_ports_and_credentials() {
        let a = p("localhost");
        assert!(a.routing);
        assert_eq!((a.host.as_str(), a.port), ("localhost", 7687));
        assert_eq!(a.shown(), "neo4j://localhost:7687");
        let a = p("bolt+s://alice:p%40ss@db.example.com:7688");
        assert!(!a.routing);
        assert_eq!(a.security, Security::Verified);
        assert_eq!(a.credentials, Some(("alice".into(), "p@ss".into())));
        assert_eq!(a.host_port(), "db.example.com:7688");
        assert_eq!(p("neo4j+ssc://[::1]").host_port(), "[::1]:7687");
        assert_eq!(p("neo4j://h:1?policy=x").port, 1);
        assert!(BoltAddress::parse("ftp://x", Encryption::Default).is_err());
        assert!(BoltAddress::parse("bolt://x:99999", Encryption::Default).is_err());
        assert!(is_http("HTTP://x") && !is_http("neo4j://x"));
    }

    #[test]
    fn encryption_flag() {
        let a = BoltAddress::parse("bolt://x", Encryption::True).unwrap();
        assert_eq!(a.security, Security::Verified);
        assert!(BoltAddress::parse("bolt+s://x", Encryption::False).is_err());
        let a = BoltAddress::parse("bolt://x", Encryption::False).unwrap();
        assert_eq!(a.security, Security::Plain);
    }
}
