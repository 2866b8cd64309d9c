//! `synth package [--arch x86_64|arm64]`: builds the Lambda binary in release
//! mode, names it `bootstrap`, and writes a reproducible zip (fixed
//! timestamps and permissions: the same code gives the same bytes) with its
//! SHA-256, from which synth derives a content-addressed S3 key.

use super::{output_dir, target_dir, Package};
use crate::code::{Architecture, Code};
use crate::model::App;
use crate::resource::{LayerSpec, ResourceSpec};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// `provided.al2023` ships glibc 2.34; a binary needing newer symbols fails there.
const RUNTIME_GLIBC: (u32, u32) = (2, 34);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Processor to build for: x86_64 or arm64
    #[arg(long, default_value = "x86_64")]
    arch: Architecture,

    /// The Lambda binary target of this package
    #[arg(long, default_value = "lambda")]
    bin: String,
}

/// What `package` wrote, kept beside the zip for synth to read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub architecture: Architecture,
    pub sha256: String,
    pub zip: PathBuf,
    pub binary_bytes: u64,
    /// The binary's and the zip's size and modification time when the zip
    /// was made: while both stand, the zip is the binary's, and neither file
    /// needs reading again.
    #[serde(default)]
    pub binary_stamp: String,
    #[serde(default)]
    pub zip_stamp: String,
    /// The newest glibc version the binary needs.
    #[serde(default)]
    pub glibc: Option<(u32, u32)>,
    pub zip_bytes: u64,
    /// Each layer built from the package's own files, by layer name.
    #[serde(default)]
    pub layers: BTreeMap<String, PackagedLayer>,
}

/// A layer's zip, written beside the code's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackagedLayer {
    pub sha256: String,
    pub zip: PathBuf,
    pub zip_bytes: u64,
}

impl Manifest {
    fn path(out: &Path) -> PathBuf {
        out.join("package").join("manifest.json")
    }

    /// The manifest of the last `package`, if there is one.
    pub fn read(out: &Path) -> Result<Option<Manifest>, String> {
        let path = Manifest::path(out);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("error: {} is damaged ({e}); run `synth package` again", path.display())),
            Err(_) => Ok(None),
        }
    }

    /// The code location synth writes into templates.
    pub fn code(&self, app: &str) -> Code {
        Code {
            key: Some(format!("{app}/{}.zip", self.sha256)),
            architecture: self.architecture,
            layers: self
                .layers
                .iter()
                .map(|(name, layer)| (name.clone(), format!("{app}/layers/{}.zip", layer.sha256)))
                .collect(),
        }
    }
}

pub fn run(package: Package, args: Args) -> Result<ExitCode, String> {
    let manifest = build(package, args.arch, &args.bin)?;
    say!(
        "packaged {} ({} bytes, stripped) -> {} ({} bytes)\n  sha256 {}\n  S3 key {}",
        args.bin,
        manifest.binary_bytes,
        manifest.zip.display(),
        manifest.zip_bytes,
        manifest.sha256,
        manifest.code(package.name).key.unwrap_or_default()
    );
    for (name, layer) in &manifest.layers {
        say!("  layer `{name}`: {} ({} bytes), sha256 {}", layer.zip.display(), layer.zip_bytes, layer.sha256);
    }
    Ok(ExitCode::SUCCESS)
}

/// Builds binary `bin` of the package for `arch` in release mode, zips it
/// and the package's layers, and writes the manifest synth reads.
pub fn build(package: Package, arch: Architecture, bin: &str) -> Result<Manifest, String> {
    let args = Args { arch, bin: bin.to_owned() };
    let triple = args.arch.rust_target();
    let target = target_dir();
    say!("building `{}` for {} ({triple}) in release mode ..", args.bin, args.arch);
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["build", "--release", "--bin", &args.bin, "--target", triple])
        .args(["--config", "profile.release.strip=true"])
        .arg("--manifest-path")
        .arg(Path::new(package.manifest_dir).join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "error: the release build failed{}",
            if args.arch == Architecture::X86_64 {
                String::new()
            } else {
                format!(
                    "\nhelp: a cross build needs `rustup target add {triple}` and a linker for it, e.g. \
                     `apt install gcc-aarch64-linux-gnu` with CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc"
                )
            }
        ));
    }
    let binary_path = target.join(triple).join("release").join(&args.bin);
    let binary_stamp = stamp(&binary_path);
    let dir = output_dir().join("package");
    std::fs::create_dir_all(&dir).map_err(|e| format!("error: cannot create {}: {e}", dir.display()))?;
    let zip_path = dir.join(format!("{}-{}.zip", package.name, args.arch));
    // Reading, scanning and zipping the binary at the best compression takes
    // seconds; cargo rewrites the binary whenever it rebuilds it, so while
    // both files are as the last package left them, its zip is reused.
    let previous = Manifest::read(&output_dir()).ok().flatten().filter(|m| {
        !m.binary_stamp.is_empty()
            && m.binary_stamp == binary_stamp
            && m.architecture == args.arch
            && m.zip == zip_path
            && m.zip_stamp == stamp(&m.zip)
    });
    let manifest = match previous {
        Some(previous) => Manifest { layers: BTreeMap::new(), ..previous },
        None => {
            let binary = std::fs::read(&binary_path)
                .map_err(|e| format!("error: cannot read {}: {e}", binary_path.display()))?;
            let zip = zip_bootstrap(&binary).map_err(|e| format!("error: cannot zip the binary: {e}"))?;
            write_atomically(&zip_path, &zip)?;
            Manifest {
                architecture: args.arch,
                sha256: crate::digest::sha256_hex(&zip),
                zip_stamp: stamp(&zip_path),
                zip: zip_path,
                binary_bytes: binary.len() as u64,
                binary_stamp,
                glibc: newest_glibc(&binary),
                zip_bytes: zip.len() as u64,
                layers: BTreeMap::new(),
            }
        }
    };
    if let Some((major, minor)) = manifest.glibc.filter(|v| *v > RUNTIME_GLIBC) {
        eprintln!(
            "warning: `{}` needs glibc {major}.{minor}, newer than the 2.34 of `provided.al2023`; build on an older \
             system or for a musl target",
            args.bin
        );
    }
    let manifest = Manifest { layers: package_layers(&package, &dir)?, ..manifest };
    let text = serde_json::to_string_pretty(&manifest).expect("a manifest is JSON");
    write_atomically(&Manifest::path(&output_dir()), (text + "\n").as_bytes())?;
    Ok(manifest)
}

/// A file's size and modification time, or empty if it cannot be read.
fn stamp(path: &Path) -> String {
    let Ok(metadata) = std::fs::metadata(path) else { return String::new() };
    let modified = metadata.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    format!("{}:{}", metadata.len(), modified.map_or(0, |d| d.as_nanos()))
}

/// Writes through a temporary file and a rename, so a deploy running beside
/// this one never reads half a zip or half a manifest.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let partial = path.with_extension(format!("partial-{}", std::process::id()));
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| format!("error: cannot write {}: {e}", path.display()))
}

/// Zips each layer declared from the package's files (a directory, or a zip
/// taken as is), names it by its SHA-256 and writes it into `dir`.
fn package_layers(package: &Package, dir: &Path) -> Result<BTreeMap<String, PackagedLayer>, String> {
    let app = App::from_registry(package.name).map_err(|p| p.to_string())?;
    let mut layers = BTreeMap::new();
    for resource in &app.resources {
        let ResourceSpec::Layer(spec) = &resource.spec else { continue };
        let source = Path::new(package.manifest_dir);
        let zip = match spec {
            LayerSpec::Directory(path) => zip_directory(&source.join(path))
                .map_err(|e| format!("error: cannot zip layer `{}` from {path}: {e}", resource.name))?,
            LayerSpec::Zip(path) => std::fs::read(source.join(path))
                .map_err(|e| format!("error: cannot read layer `{}` from {path}: {e}", resource.name))?,
            LayerSpec::Existing(_) => continue,
        };
        let sha256 = crate::digest::sha256_hex(&zip);
        let path = dir.join(format!("layer-{}-{}.zip", resource.name, &sha256[..12]));
        write_atomically(&path, &zip)?;
        layers.insert(resource.name.clone(), PackagedLayer { sha256, zip: path, zip_bytes: zip.len() as u64 });
    }
    Ok(layers)
}

/// Every file under `root`, in path order, with fixed timestamps and modes
/// (0755 if executable, else 0644): the same files give the same bytes.
pub fn zip_directory(root: &Path) -> std::io::Result<Vec<u8>> {
    fn files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                files(&path, out)?;
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut paths = Vec::new();
    files(root, &mut paths)?;
    paths.sort();
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for path in paths {
        let name = path.strip_prefix(root).expect("under the root").to_string_lossy().replace('\\', "/");
        let executable = {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(&path)?.permissions().mode() & 0o111 != 0
        };
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default())
            .unix_permissions(if executable { 0o755 } else { 0o644 });
        writer.start_file(name, options)?;
        writer.write_all(&std::fs::read(&path)?)?;
    }
    Ok(writer.finish()?.into_inner())
}

/// A zip holding `binary` as an executable `bootstrap`, the same bytes for
/// the same binary: the timestamp is fixed at 1980-01-01 and the mode at 0755.
pub fn zip_bootstrap(binary: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o755);
    writer.start_file("bootstrap", options)?;
    writer.write_all(binary)?;
    Ok(writer.finish()?.into_inner())
}

/// The newest `GLIBC_x.y` symbol version the binary names, if any.
fn newest_glibc(binary: &[u8]) -> Option<(u32, u32)> {
    let marker = b"GLIBC_";
    binary
        .windows(marker.len())
        .enumerate()
        .filter(|(_, window)| *window == marker)
        .filter_map(|(at, _)| {
            let rest = &binary[at + marker.len()..];
            let end = rest.iter().position(|b| !(b.is_ascii_digit() || *b == b'.')).unwrap_or(rest.len());
            let version = std::str::from_utf8(&rest[..end]).ok()?;
            let (major, minor) = version.split_once('.')?;
            Some((major.parse().ok()?, minor.split('.').next()?.parse().ok()?))
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_binary_zips_to_the_same_bytes() {
        let binary = b"\x7fELF pretend binary".repeat(1000);
        let first = zip_bootstrap(&binary).unwrap();
        assert_eq!(first, zip_bootstrap(&binary).unwrap());
        let mut archive = zip::ZipArchive::new(Cursor::new(first)).unwrap();
        assert_eq!(archive.len(), 1);
        let entry = archive.by_index(0).unwrap();
        assert_eq!(entry.name(), "bootstrap");
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o755));
        assert_ne!(zip_bootstrap(b"other").unwrap(), zip_bootstrap(&binary).unwrap());
    }

    #[test]
    fn finds_the_newest_glibc_version_named() {
        assert_eq!(newest_glibc(b"..GLIBC_2.2.5\0GLIBC_2.34\0GLIBC_2.17\0"), Some((2, 34)));
        assert_eq!(newest_glibc(b"no versions here"), None);
    }
}
