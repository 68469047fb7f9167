//! PDF documents rendered with typst: a template compiled once per render with the data as `sys.inputs`, never as markup.
//!
//! User text (a customer called `#Acme]`) reaches the template only as string values in
//! `sys.inputs`, which typst prints literally; no caller builds typst source. Fonts are
//! Noto CJK found on disk (`fonts.rs`), loaded once into the [`Engine`], which is shared.

mod fonts;
mod inputs;
pub mod quote;

use std::sync::Arc;

use typst_as_lib::{TypstEngine, TypstTemplateCollection};
use typst_layout::PagedDocument;

pub use fonts::{FONT_PACKAGE, FontFiles};

/// The templates this crate renders, compiled into the binary.
const TEMPLATES: &[(&str, &str)] = &[
    ("quote.typ", include_str!("../templates/quote.typ")),
    ("probe.typ", include_str!("../templates/probe.typ")),
];

/// Why a document could not be made. The web layer translates the codes.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No usable font file was found; `package` names what to install.
    #[error("pdf_fonts_missing: install {package}")]
    FontsMissing { package: &'static str },
    /// A font file exists but could not be read.
    #[error("pdf_font_unreadable: {0}")]
    FontUnreadable(String),
    /// The template failed on the data (a bug in the template, or an unreadable image).
    #[error("pdf_render_failed: {0}")]
    Render(String),
}

impl PdfError {
    /// The stable code the web layer translates.
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::FontsMissing { .. } => "pdf_fonts_missing",
            PdfError::FontUnreadable(_) => "pdf_font_unreadable",
            PdfError::Render(_) => "pdf_render_failed",
        }
    }
}

/// The typst engine with its fonts and templates; cheap to clone, safe to share.
#[derive(Clone)]
pub struct Engine {
    typst: Arc<TypstEngine<TypstTemplateCollection>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("wharf_pdf::Engine")
    }
}

impl Engine {
    /// Finds the Noto CJK fonts in the usual places and loads them.
    pub fn from_system_fonts() -> Result<Engine, PdfError> {
        Engine::with_fonts(&FontFiles::find()?)
    }

    /// An engine over the given font files (read once here).
    pub fn with_fonts(files: &FontFiles) -> Result<Engine, PdfError> {
        let fonts = files.load()?;
        let typst = TypstEngine::builder()
            .fonts(fonts)
            .with_static_source_file_resolver(TEMPLATES.iter().copied())
            .build();
        Ok(Engine {
            typst: Arc::new(typst),
        })
    }

    /// Renders `template` with `data` (JSON, available as `sys.inputs.data`) and named
    /// images (raw PNG / JPEG bytes, `sys.inputs.images.<name>`). CPU-bound: call it off
    /// the async runtime.
    pub fn render(
        &self,
        template: &str,
        data: &serde_json::Value,
        images: &[(&str, &[u8])],
    ) -> Result<Vec<u8>, PdfError> {
        if !TEMPLATES.iter().any(|(name, _)| *name == template) {
            return Err(PdfError::Render(format!("no template {template}")));
        }
        let inputs = inputs::dict(data, images);
        let compiled = self
            .typst
            .compile_with_input::<_, _, PagedDocument>(template, inputs);
        let document = compiled
            .output
            .map_err(|error| PdfError::Render(format!("{error}")))?;
        typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|diagnostics| {
            let messages: Vec<String> = diagnostics.iter().map(|d| d.message.to_string()).collect();
            PdfError::Render(messages.join("; "))
        })
    }
}
