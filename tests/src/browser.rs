//! Headless Chromium (Debian's `chromium`), driven over the DevTools
//! protocol: a page is opened, asked questions in JavaScript and
//! photographed. The protocol's WebSocket is spoken here directly (the
//! handshake and text frames are all it needs).

use base64::Engine;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    child: Child,
    socket: TcpStream,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium with one blank page, or `None` if it is not installed.
    pub fn start() -> Option<Browser> {
        let profile = tempfile::tempdir().ok()?;
        let mut child = Command::new("chromium")
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0"])
            .arg("--window-size=1400,1700")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .ok()?;
        let mut lines = BufReader::new(child.stderr.take().expect("piped")).lines().map_while(Result::ok);
        let port = lines
            .find_map(|line| {
                let url = line.strip_prefix("DevTools listening on ws://127.0.0.1:")?.to_owned();
                url.split('/').next()?.parse::<u16>().ok()
            })
            .expect("Chromium prints its DevTools address");
        // Keep reading what it says, so it never writes to a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let pages = http_get(port, "/json/list");
        let pages: Value = serde_json::from_str(&pages).expect("the target list is JSON");
        let page = pages.as_array().unwrap().iter().find(|t| t["type"] == "page").expect("a page target");
        let url = page["webSocketDebuggerUrl"].as_str().unwrap();
        let path = &url[url.find("/devtools").unwrap()..];
        let socket = websocket(port, path);
        Some(Browser { child, socket, next_id: 0, _profile: profile })
    }

    /// Calls a DevTools method and returns its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        send_text(&mut self.socket, &json!({ "id": id, "method": method, "params": params }).to_string());
        loop {
            let message: Value = serde_json::from_str(&read_text(&mut self.socket)).expect("DevTools sends JSON");
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{method} failed: {message}");
                return message["result"].clone();
            }
        }
    }

    pub fn open(&mut self, url: &str) {
        self.call("Page.enable", json!({}));
        self.call("Page.navigate", json!({ "url": url }));
    }

    /// The value of a JavaScript expression in the page.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call("Runtime.evaluate", json!({ "expression": expression, "returnByValue": true }));
        result["result"]["value"].clone()
    }

    /// Waits until `expression` is true in the page (at most `within`).
    pub fn wait_until(&mut self, expression: &str, within: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < within {
            if self.eval(expression) == Value::Bool(true) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    /// A PNG of the whole page, written to `path`.
    pub fn screenshot(&mut self, path: &Path) {
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }));
        let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET to the DevTools HTTP server (which keeps the connection open, so
/// the body is read by its length).
fn http_get(port: u16, path: &str) -> String {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(&stream, "GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap();
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    String::from_utf8(body).unwrap()
}

/// Opens a WebSocket (RFC 6455) to `path`.
fn websocket(port: u16, path: &str) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nupgrade: websocket\r\nconnection: Upgrade\r\n\
         sec-websocket-key: d2lyZXN0YWNrLWRldi10ZXN0\r\nsec-websocket-version: 13\r\n\r\n"
    )
    .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    assert!(head.starts_with(b"HTTP/1.1 101"), "{}", String::from_utf8_lossy(&head));
    stream
}

/// One masked text frame, as a client must send.
fn send_text(stream: &mut TcpStream, text: &str) {
    let payload = text.as_bytes();
    let mut frame = vec![0x81];
    match payload.len() {
        n if n < 126 => frame.push(0x80 | n as u8),
        n if n < 65_536 => {
            frame.push(0x80 | 126);
            frame.extend((n as u16).to_be_bytes());
        }
        n => {
            frame.push(0x80 | 127);
            frame.extend((n as u64).to_be_bytes());
        }
    }
    let mask = [0x57, 0x53, 0x44, 0x56];
    frame.extend(mask);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    stream.write_all(&frame).unwrap();
}

/// The next whole text message (continuation frames joined).
fn read_text(stream: &mut TcpStream) -> String {
    let mut message = Vec::new();
    loop {
        let mut head = [0u8; 2];
        stream.read_exact(&mut head).unwrap();
        let length = match head[1] & 0x7f {
            126 => {
                let mut n = [0u8; 2];
                stream.read_exact(&mut n).unwrap();
                u16::from_be_bytes(n) as usize
            }
            127 => {
                let mut n = [0u8; 8];
                stream.read_exact(&mut n).unwrap();
                u64::from_be_bytes(n) as usize
            }
            n => n as usize,
        };
        let mut payload = vec![0; length];
        stream.read_exact(&mut payload).unwrap();
        message.extend(payload);
        if head[0] & 0x80 != 0 {
            return String::from_utf8(message).expect("text frames are UTF-8");
        }
    }
}
