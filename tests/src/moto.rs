//! A local AWS stand-in (moto) for tests: started once per test process on a
//! free 127.0.0.1 port, checked ready, and stopped when the process exits
//! (tools/moto_server.py watches its parent).

use crate::{python_tool, workspace};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// The running stand-in.
pub struct Moto {
    pub endpoint: String,
    _process: Mutex<Child>,
}

/// The stand-in, started on first use. Sets the AWS environment of this
/// process (endpoint, region, dummy credentials) so every SDK client,
/// including the ones capabilities build, talks to it.
pub fn moto() -> &'static Moto {
    static MOTO: OnceLock<Moto> = OnceLock::new();
    MOTO.get_or_init(|| {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut process = Command::new(python_tool("python"))
            .arg(workspace().join("tools/moto_server.py"))
            .arg(port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto starts");
        let mut line = String::new();
        BufReader::new(process.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), format!("ready {port}"), "moto did not start");
        let endpoint = format!("http://127.0.0.1:{port}");
        std::env::set_var("AWS_ENDPOINT_URL", &endpoint);
        std::env::set_var("AWS_REGION", "us-east-1");
        std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
        Moto { endpoint, _process: Mutex::new(process) }
    })
}

impl Moto {
    /// Queues what moto's Lambda answers to the next invocations, in order
    /// (without any queued, it echoes the payload: moto cannot run a
    /// function's code without Docker).
    pub fn answer_lambda_with(&self, results: &[&str]) {
        let body = serde_json::json!({ "results": results }).to_string();
        let address = self.endpoint.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(address).expect("moto answers");
        let request = format!(
            "POST /moto-api/static/lambda-simple/response HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 201"), "moto refused the answers: {response}");
    }
}
