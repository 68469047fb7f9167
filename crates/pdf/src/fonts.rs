//! Where the fonts are: Noto Sans CJK (Debian `fonts-noto-cjk`), which also covers Latin, found by path.

use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::Font;

use crate::PdfError;

/// The Debian package that provides the fonts, named in the error when they are missing.
pub const FONT_PACKAGE: &str = "fonts-noto-cjk";

/// Directories searched in order (Debian / Ubuntu, Fedora, Arch).
const FONT_DIRS: &[&str] = &[
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/noto-cjk",
];
const REGULAR: &str = "NotoSansCJK-Regular.ttc";
const BOLD: &str = "NotoSansCJK-Bold.ttc";

/// The font files an engine loads: a regular face and, when present, a bold one.
#[derive(Debug, Clone)]
pub struct FontFiles {
    pub regular: PathBuf,
    pub bold: Option<PathBuf>,
}

impl FontFiles {
    /// Looks in the usual directories; `WHARF_FONT_DIR` (a directory) comes first.
    pub fn find() -> Result<FontFiles, PdfError> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        if let Some(dir) = std::env::var_os("WHARF_FONT_DIR") {
            dirs.push(PathBuf::from(dir));
        }
        dirs.extend(FONT_DIRS.iter().map(PathBuf::from));
        FontFiles::find_in(&dirs)
    }

    /// The first directory holding the regular face wins.
    pub fn find_in(dirs: &[PathBuf]) -> Result<FontFiles, PdfError> {
        for dir in dirs {
            let regular = dir.join(REGULAR);
            if regular.is_file() {
                let bold = Some(dir.join(BOLD)).filter(|p| p.is_file());
                return Ok(FontFiles { regular, bold });
            }
        }
        Err(PdfError::FontsMissing {
            package: FONT_PACKAGE,
        })
    }

    /// Reads the files and every face in their collections.
    pub(crate) fn load(&self) -> Result<Vec<Font>, PdfError> {
        let mut fonts = read_faces(&self.regular)?;
        if let Some(bold) = &self.bold {
            fonts.extend(read_faces(bold)?);
        }
        if fonts.is_empty() {
            return Err(PdfError::FontUnreadable(self.regular.display().to_string()));
        }
        Ok(fonts)
    }
}

fn read_faces(path: &Path) -> Result<Vec<Font>, PdfError> {
    let bytes = std::fs::read(path)
        .map_err(|error| PdfError::FontUnreadable(format!("{}: {error}", path.display())))?;
    Ok(Font::iter(Bytes::new(bytes)).collect())
}
