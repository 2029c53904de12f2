//! `flotilla export --format`: the CLI's names for the export formats.

use super::ExportFormat;
use crate::export::Format;

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Json => Format::Json,
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Ical => Format::Ical,
            ExportFormat::Md => Format::Md,
            ExportFormat::Dot => Format::Dot,
            ExportFormat::Mermaid => Format::Mermaid,
        }
    }
}
