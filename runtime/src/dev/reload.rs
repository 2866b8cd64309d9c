//! Edit, save, see it served: the dev server watches the package's files,
//! rebuilds its own binary with cargo when one changes, and on success
//! hands over to the new build in place (`exec`, same process id): the
//! state goes across in a file, the listening socket is inherited, so no
//! request is refused and no data is lost. A failed build is shown on the
//! terminal and on the page while the last good build keeps serving.

use super::{Args, Dev};
use crate::cli::Package;
use std::hash::{Hash, Hasher};
use std::net::TcpListener;
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The listening socket a rebuilt server inherits, by descriptor.
const INHERITED: &str = "WIRESTACK_DEV_LISTENER";

/// The app's listener: inherited from the build this one replaced, or new.
pub fn listener(port: u16) -> Result<TcpListener, String> {
    let listener = match std::env::var(INHERITED).ok().and_then(|fd| fd.parse::<RawFd>().ok()) {
        Some(fd) => {
            std::env::remove_var(INHERITED);
            // SAFETY: the previous build passed this descriptor, a listening
            // socket it owned, across `exec` for this process to own.
            unsafe { TcpListener::from_raw_fd(fd) }
        }
        None => TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
            format!("error: cannot listen on 127.0.0.1:{port}: {e}\n  help: pass `--port N` for another port")
        })?,
    };
    listener.set_nonblocking(true).map_err(|e| format!("error: {e}"))?;
    Ok(listener)
}

/// The stand-ins' listener, on a port of the system's choosing.
pub fn aws_listener() -> Result<TcpListener, String> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| format!("error: cannot listen: {e}"))?;
    listener.set_nonblocking(true).map_err(|e| format!("error: {e}"))?;
    Ok(listener)
}

/// Watches and rebuilds; on success, stops the server for the hand-over.
pub async fn watch(dev: Arc<Dev>, package: Package) {
    let root = PathBuf::from(package.manifest_dir);
    let mut seen = fingerprint(&root);
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = fingerprint(&root);
        if now == seen {
            continue;
        }
        seen = now;
        eprintln!("a source file changed: rebuilding");
        let built = tokio::task::spawn_blocking(move || build(package)).await.unwrap_or_else(|e| Err(e.to_string()));
        match built {
            Ok(exe) => {
                *dev.build_error.lock().unwrap_or_else(|p| p.into_inner()) = None;
                *dev.next_build.lock().unwrap_or_else(|p| p.into_inner()) = Some(exe);
                // Pollers stop, the page's waiting requests answer, and the
                // server finishes what it is serving.
                dev.stopping.store(true, Ordering::Release);
                dev.touch();
                dev.rebuilt.notify_one();
                return;
            }
            Err(output) => {
                eprintln!("{output}\nthe build failed; the last good build keeps serving");
                *dev.build_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(output);
                dev.touch();
            }
        }
    }
}

/// The names, sizes and times of the package's files (not `target/`, not
/// hidden ones), hashed: a change to any is a new value.
fn fingerprint(root: &Path) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || name == "target" {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                dirs.push(entry.path());
            } else {
                entry.path().hash(&mut hasher);
                meta.len().hash(&mut hasher);
                meta.modified().unwrap_or(SystemTime::UNIX_EPOCH).hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}

/// `cargo build` of this very binary, in the profile it was built in;
/// the new executable's path, or the compiler's messages.
fn build(package: Package) -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("error: cannot find this binary: {e}"))?;
    let exe = PathBuf::from(exe.to_string_lossy().trim_end_matches(" (deleted)"));
    let name = exe.file_name().and_then(|n| n.to_str()).unwrap_or("synth").to_owned();
    let profile_dir = exe.parent().and_then(Path::file_name).and_then(|p| p.to_str()).unwrap_or("debug");
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command
        .args(["build", "--color", "never", "--message-format", "short", "-p", package.name, "--bin", &name])
        .arg("--target-dir")
        .arg(crate::cli::target_dir())
        .current_dir(package.manifest_dir);
    match profile_dir {
        "debug" => {}
        "release" => {
            command.arg("--release");
        }
        other => {
            command.args(["--profile", other]);
        }
    }
    let output = command.output().map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(exe)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Once the server has stopped: lets running invocations finish (up to
/// their timeout), saves the state and becomes the new build, passing on
/// the socket. Returns only if that fails (the state is saved by then).
pub async fn hand_over(dev: &Dev, exe: &Path, args: &Args, socket: &TcpListener) -> Result<ExitCode, String> {
    let waited = tokio::time::Instant::now();
    while dev.busy.load(Ordering::Acquire) > 0 && waited.elapsed() < Duration::from_secs(900) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let file = crate::cli::target_dir().join("wirestack").join(format!("dev-handover-{}.json", std::process::id()));
    dev.state().save(&file)?;
    let fd = socket.as_raw_fd();
    // SAFETY: clears close-on-exec on a descriptor this process owns, so the
    // new build inherits the listening socket.
    let error = if unsafe { libc::fcntl(fd, libc::F_SETFD, 0) } == -1 {
        std::io::Error::last_os_error()
    } else {
        let mut command = Command::new(exe);
        command
            .arg("dev")
            .arg("--port")
            .arg(args.port.to_string())
            .arg("--resume")
            .arg(&file)
            .env(INHERITED, fd.to_string());
        if let Some(state) = &args.state {
            command.arg("--state").arg(state);
        }
        use std::os::unix::process::CommandExt;
        command.exec()
    };
    Err(format!(
        "error: cannot start the new build {}: {error}\n  help: its state is saved; `{} dev --resume {}` continues from it",
        exe.display(),
        exe.display(),
        file.display()
    ))
}
