//! Where the sandbox may deliver to: a leaf used by the configuration check, the state and the
//! deliveries.

/// A handler URL the sandbox may POST to: `http://` on a loopback address.
pub(crate) fn check_loopback_url(url: &str) -> Result<(String, u16, String), String> {
    let uri: http::Uri = url.parse().map_err(|e| format!("{url:?}: {e}"))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!("{url:?}: only http:// URLs are delivered to"));
    }
    let host = uri
        .host()
        .unwrap_or("")
        .trim_matches(|c| c == '[' || c == ']');
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        return Err(format!(
            "{url:?}: the sandbox delivers only to loopback addresses"
        ));
    }
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    Ok((host.to_string(), uri.port_u16().unwrap_or(80), path))
}
