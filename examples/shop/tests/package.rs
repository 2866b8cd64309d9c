//! `synth package`: a real release build and the app's layer, zipped
//! reproducibly, and their content-addressed keys in the next synth's template.

use sha2::{Digest, Sha256};
use std::io::Read;
use std::process::Command;

fn synth(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).output().expect("the synth binary runs")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn package_zips_bootstrap_reproducibly_and_synth_points_at_it() {
    let first = synth(&["package"]);
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{stdout}{}", String::from_utf8_lossy(&first.stderr));
    let manifest_line = stdout.lines().find(|l| l.contains("-> ")).expect("a summary line");
    let zip_path = manifest_line.split("-> ").nth(1).unwrap().split(" (").next().unwrap().to_owned();
    let zip = std::fs::read(&zip_path).unwrap();

    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.clone())).unwrap();
    assert_eq!(archive.len(), 1);
    let mut bootstrap = archive.by_name("bootstrap").unwrap();
    assert_eq!(bootstrap.unix_mode().map(|m| m & 0o777), Some(0o755));
    let mut binary = Vec::new();
    bootstrap.read_to_end(&mut binary).unwrap();
    assert_eq!(&binary[..4], b"\x7fELF");
    // What only synth needs stays out of the Lambda binary: the command line
    // (clap), the zip writer, template rendering, deploy and the
    // CloudFormation SDK, `dev` (its server, stand-ins and page), and the
    // allocator and thread pool synth runs on.
    let synth_binary = std::fs::read(env!("CARGO_BIN_EXE_synth")).unwrap();
    let contains = |haystack: &[u8], marker: &str| haystack.windows(marker.len()).any(|w| w == marker.as_bytes());
    let markers = [
        "For more information, try",
        "cannot zip the binary",
        "AWS::Lambda::Function",
        "AWS::IAM::Role",
        "deleting it to create it again",
        "wirestack-artifacts-",
        "CreateChangeSet",
        "DescribeStackEvents",
        "WIRESTACK_DEV_LISTENER",
        "dev-handover-",
        "dev server: http://",
        "the last good build is still serving",
        "DDBStreamBatchInfo",
        "mimalloc: warning: ",
        "The global thread pool has not been initialized.",
    ];
    for marker in markers {
        assert!(contains(&synth_binary, marker), "`{marker}` is not a marker of synth");
        assert!(!contains(&binary, marker), "`{marker}` is in the Lambda binary");
    }

    let sha = hex(&Sha256::digest(&zip));
    assert!(stdout.contains(&format!("sha256 {sha}")), "{stdout}");

    // While the binary and its zip stand, the zip is reused, not rewritten.
    let written = std::fs::metadata(&zip_path).unwrap().modified().unwrap();
    assert!(synth(&["package"]).status.success());
    assert_eq!(std::fs::metadata(&zip_path).unwrap().modified().unwrap(), written);

    // Zipped afresh, the same code packages to the same bytes.
    std::fs::remove_file(&zip_path).unwrap();
    let second = synth(&["package"]);
    assert!(second.status.success());
    assert_eq!(std::fs::read(&zip_path).unwrap(), zip);

    // synth now names the zip by its content.
    let out = tempfile::tempdir().unwrap();
    assert!(synth(&["--out", out.path().to_str().unwrap()]).status.success());
    let template: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("shop.template.json")).unwrap()).unwrap();
    assert_eq!(template["Parameters"]["CodeKey"]["Default"], format!("shop/{sha}.zip"));

    // The `carriers` layer: its directory zipped the same way, named by content.
    let layer_line = stdout.lines().find(|l| l.contains("layer `carriers`")).expect("a layer line");
    let layer_path = layer_line.split(": ").nth(1).unwrap().split(" (").next().unwrap();
    let layer = std::fs::read(layer_path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(layer.clone())).unwrap();
    let mut carriers = String::new();
    archive.by_name("carriers.json").unwrap().read_to_string(&mut carriers).unwrap();
    assert!(carriers.contains("\"post\""), "{carriers}");
    let layer_sha = hex(&Sha256::digest(&layer));
    assert_eq!(template["Parameters"]["CarriersLayerKey"]["Default"], format!("shop/layers/{layer_sha}.zip"));
}

#[test]
fn an_unknown_architecture_is_a_usage_error() {
    let output = synth(&["package", "--arch", "sparc"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("use `x86_64` or `arm64`"));
}
