//! Error collection: every mistake in an attribute is reported in one build.

use proc_macro2::TokenStream;
use quote::ToTokens;
use std::cell::RefCell;
use std::fmt::Display;

/// Gathers `syn::Error`s with their spans while parsing and checking, so the
/// user sees all of them at once instead of fixing them one rebuild at a time.
#[derive(Default)]
pub struct Ctxt {
    errors: RefCell<Vec<syn::Error>>,
}

impl Ctxt {
    /// Records an error pointing at `tokens`.
    pub fn error_at<T: ToTokens, M: Display>(&self, tokens: T, message: M) {
        self.errors.borrow_mut().push(syn::Error::new_spanned(tokens.into_token_stream(), message));
    }

    /// Records an error with a `help:` line that says how to fix it.
    pub fn error_with_help<T: ToTokens, M: Display, H: Display>(&self, tokens: T, message: M, help: H) {
        self.error_at(tokens, format_args!("{message}\nhelp: {help}"));
    }

    /// Records a parse error as it is.
    pub fn syn_error(&self, error: syn::Error) {
        self.errors.borrow_mut().push(error);
    }

    /// All errors as `compile_error!` invocations, or `Ok` if there were none.
    pub fn finish(self) -> Result<(), TokenStream> {
        let errors = self.errors.into_inner();
        if errors.is_empty() {
            return Ok(());
        }
        Err(errors.into_iter().map(|e| e.to_compile_error()).collect())
    }
}
