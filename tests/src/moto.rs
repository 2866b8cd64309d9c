//! A local AWS stand-in (moto) for tests: started once per test process on a
//! free 127.0.0.1 port, checked ready, and stopped when the process exits
//! (tools/moto_server.py watches its parent).

use crate::{python_tool, workspace};
use std::io::{BufRead, BufReader};
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
