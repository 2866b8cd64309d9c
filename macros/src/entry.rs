//! `synth_main!()` and `lambda_main!()`: the one line of each of the user's
//! two binaries.
//!
//! Registrations live in the user's library; a binary that never names that
//! library would not link it, and `inventory` would find nothing. So the
//! macro names it (`extern crate shop as _;`), found from the package's
//! manifest, plus any crates the user lists.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Ident, Token};

pub fn synth_main(args: TokenStream) -> TokenStream {
    let main = main_linking(
        args,
        quote!(::wirestack::cli::run(::wirestack::cli::Package {
            name: ::core::env!("CARGO_PKG_NAME"),
            manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
        })),
    );
    quote! {
        #main
        #[global_allocator]
        static __WIRESTACK_ALLOCATOR: ::wirestack::cli::Allocator = ::wirestack::cli::ALLOCATOR;
    }
}

/// `lambda_main!()`: the one line of the user's Lambda binary.
pub fn lambda_main(args: TokenStream) -> TokenStream {
    main_linking(args, quote!(::wirestack::lambda::run()))
}

fn main_linking(args: TokenStream, body: TokenStream) -> TokenStream {
    let links = match links(args) {
        Ok(links) => links,
        Err(error) => return error.to_compile_error(),
    };
    quote! {
        #links
        fn main() -> ::std::process::ExitCode {
            #body
        }
    }
}

/// `extern crate x as _;` for the package's own library and each listed crate.
fn links(args: TokenStream) -> syn::Result<TokenStream> {
    let mut crates: Vec<Ident> = Punctuated::<Ident, Token![,]>::parse_terminated.parse2(args)?.into_iter().collect();
    if let Some(own) = own_library() {
        if !crates.iter().any(|c| *c == own) {
            crates.insert(0, format_ident!("{}", own));
        }
    }
    Ok(quote!(#(extern crate #crates as _;)*))
}

/// The crate name of the library target of the package being compiled, if it
/// has one: `[lib] name`, else the package name when `src/lib.rs` exists.
fn own_library() -> Option<String> {
    let dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    let mut section = String::new();
    let mut lib_section = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.to_owned();
            lib_section |= section == "[lib]";
            continue;
        }
        if section == "[lib]" {
            if let Some(name) = line.strip_prefix("name").map(str::trim).and_then(|l| l.strip_prefix('=')) {
                return Some(name.trim().trim_matches('"').replace('-', "_"));
            }
        }
    }
    let package = std::env::var("CARGO_PKG_NAME").ok()?.replace('-', "_");
    (lib_section || dir.join("src/lib.rs").exists()).then_some(package)
}
