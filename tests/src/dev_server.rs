//! A `synth dev` process for a test: started on a free port, waited for,
//! stopped when dropped; and the few HTTP calls the tests make to it.

use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct DevServer {
    child: Child,
    /// Where it runs and logs, removed when it stops.
    _dir: tempfile::TempDir,
    pub port: u16,
    /// Where its terminal output goes (shown when a test fails).
    pub log: PathBuf,
}

impl DevServer {
    /// Runs `synth dev` with `args` and `env` in a new directory, and waits
    /// until it answers (at most `within`).
    pub fn start(synth: &Path, args: &[&str], env: &[(&str, &str)], within: Duration) -> DevServer {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = free_port();
        let log = dir.path().join("dev.log");
        let out = std::fs::File::create(&log).expect("the log file opens");
        let mut command = Command::new(synth);
        command
            .args(["dev", "--port", &port.to_string()])
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out);
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command.spawn().expect("synth dev starts");
        let server = DevServer { child, _dir: dir, port, log };
        let started = Instant::now();
        while server.try_get("/_dev/api/state").is_none() {
            assert!(started.elapsed() < within, "dev did not answer within {within:?}:\n{}", server.output());
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The status and body of a request.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
        self.try_request(method, path, headers, body)
            .unwrap_or_else(|| panic!("{method} {path} got no answer:\n{}", self.output()))
    }

    fn try_request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Option<(u16, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\ncontent-length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).ok()?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).ok()?;
        let answer = String::from_utf8_lossy(&answer);
        let (head, body) = answer.split_once("\r\n\r\n")?;
        let status = head.split(' ').nth(1)?.parse().ok()?;
        let chunked = head.to_ascii_lowercase().contains("transfer-encoding: chunked");
        Some((status, if chunked { unchunk(body) } else { body.to_owned() }))
    }

    fn try_get(&self, path: &str) -> Option<Value> {
        let (status, body) = self.try_request("GET", path, &[], "")?;
        (status == 200).then(|| serde_json::from_str(&body).ok()).flatten()
    }

    pub fn get_json(&self, path: &str) -> Value {
        let (status, body) = self.request("GET", path, &[], "");
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).expect("JSON")
    }

    pub fn post_json(&self, path: &str, body: &str) -> (u16, Value) {
        let (status, body) = self.request("POST", path, &[("content-type", "application/json")], body);
        (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
    }

    /// What the page shows: queues, tables, buckets, invocations.
    pub fn state(&self) -> Value {
        self.get_json("/_dev/api/state")
    }

    /// Polls `check` on the state until it is `Some`, at most `within`.
    pub fn wait_for<T>(&self, what: &str, within: Duration, mut check: impl FnMut(&Value) -> Option<T>) -> T {
        let started = Instant::now();
        loop {
            let state = self.state();
            if let Some(found) = check(&state) {
                return found;
            }
            assert!(started.elapsed() < within, "{what}: not within {within:?}\nstate: {state:#}\n{}", self.output());
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The invocations in a state of `action`.
pub fn invocations<'s>(state: &'s Value, action: &'s str) -> impl Iterator<Item = &'s Value> + 's {
    state["invocations"].as_array().into_iter().flatten().filter(move |i| i["action"] == action)
}

/// The messages a state shows in `queue`.
pub fn messages<'s>(state: &'s Value, queue: &str) -> Vec<&'s Value> {
    let queues = state["queues"].as_array().into_iter().flatten();
    queues.filter(|q| q["name"] == queue).flat_map(|q| q["messages"].as_array().into_iter().flatten()).collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn unchunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// The app in `tests/fixtures/<name>`, copied out of the tree and built
/// (its binary `<name>-synth`) into the workspace's target directory, so
/// dependencies are shared; its directory and its `synth`.
pub fn fixture_app(name: &str) -> (tempfile::TempDir, PathBuf) {
    let workspace = crate::workspace();
    let fixture = workspace.join("tests/fixtures").join(name);
    let dir = tempfile::Builder::new().prefix(&format!("{name}-")).tempdir_in(workspace.join("target")).unwrap();
    let manifest = std::fs::read_to_string(fixture.join("Cargo.toml.in"))
        .unwrap()
        .replace("{{runtime}}", workspace.join("runtime").to_str().unwrap());
    std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(workspace.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    for file in ["src/lib.rs", "src/bin/synth.rs"] {
        std::fs::create_dir_all(dir.path().join(file).parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(file), dir.path().join(file)).unwrap();
    }
    let bin = format!("{name}-synth");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["build", "-q", "--bin", &bin, "--target-dir"])
        .arg(workspace.join("target"))
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "the {name} fixture builds");
    (dir, workspace.join("target/debug").join(bin))
}
