//! What the process tests share: one HTTP/1.1 request to a `missions serve` over TCP.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;

/// One request with a JSON body (empty for none); the status and the body as JSON (or as a
/// string when it is not JSON). An error when the connection fails or the answer is cut.
pub fn request(addr: &str, method: &str, path: &str, key: Option<&str>, body: &str) -> std::io::Result<(u16, Value)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let auth = key.map(|k| format!("Authorization: Bearer {k}\r\n")).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut resp = String::new();
    s.read_to_string(&mut resp)?;
    let (head, body) =
        resp.split_once("\r\n\r\n").ok_or_else(|| std::io::Error::other(format!("no header end in {resp:?}")))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line in {head:?}")))?;
    Ok((status, serde_json::from_str(body).unwrap_or(Value::String(body.to_owned()))))
}
