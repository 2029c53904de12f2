//! `flotilla export --format`: the values and their help come from the
//! export module's one table of formats (`export::FORMATS`).

use crate::export::{Format, FORMATS};
use clap::builder::PossibleValue;

impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        const ALL: [Format; FORMATS.len()] = {
            let mut all = [Format::Json; FORMATS.len()];
            let mut i = 0;
            while i < FORMATS.len() {
                all[i] = FORMATS[i].format;
                i += 1;
            }
            all
        };
        &ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let info = self.info();
        Some(PossibleValue::new(info.name).help(info.help))
    }
}
