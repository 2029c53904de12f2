//! Components and dependencies from a spreadsheet, as teams export them from
//! their trackers: a CSV file whose columns are mapped to component fields
//! (guessed from the header, overridden by the user), read into a preview
//! where every fault names its row and column, and stored only on request,
//! as one undoable batch.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1.
//! A row's key is its key column, else derived from its title. Its team is a
//! team's key or name. `blocked by` lists keys or titles (of this file or of
//! the release), separated by commas or semicolons.
//!
//! Owns: reading the file, the column mapping, the preview. Must not touch:
//! SQL (it stores through `Store::apply`), the terminal, Tauri.

use crate::error::{Code, Error, Problem, Result};
use crate::plan::{validate, Component, Date, Dependency, Plan, Release, Status};
use crate::store::{Edit, Store};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The component fields a column can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CsvField {
    Title,
    Key,
    Team,
    Duration,
    Start,
    Eta,
    Status,
    BlockedBy,
}

impl CsvField {
    pub const ALL: [CsvField; 8] = [
        CsvField::Title,
        CsvField::Key,
        CsvField::Team,
        CsvField::Duration,
        CsvField::Start,
        CsvField::Eta,
        CsvField::Status,
        CsvField::BlockedBy,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CsvField::Title => "title",
            CsvField::Key => "key",
            CsvField::Team => "team",
            CsvField::Duration => "duration",
            CsvField::Start => "start",
            CsvField::Eta => "eta",
            CsvField::Status => "status",
            CsvField::BlockedBy => "blocked_by",
        }
    }

    pub fn parse(s: &str) -> Option<CsvField> {
        CsvField::ALL.into_iter().find(|f| f.name() == s)
    }

    /// Headers trackers use for the field, lower case, without punctuation.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            CsvField::Title => &["title", "summary", "name", "component"],
            CsvField::Key => &["key", "id", "issue key", "slug"],
            CsvField::Team => &["team", "squad", "owner team", "owning team"],
            CsvField::Duration => &[
                "duration",
                "duration days",
                "days",
                "estimate",
                "estimate days",
                "working days",
            ],
            CsvField::Start => &["start", "start date", "starts"],
            CsvField::Eta => &["eta", "due", "due date", "target date", "end date"],
            CsvField::Status => &["status", "state"],
            CsvField::BlockedBy => &["blocked by", "depends on", "dependencies", "blockers"],
        }
    }

    fn required(self) -> bool {
        matches!(self, CsvField::Title | CsvField::Team | CsvField::Duration)
    }
}

/// Which column each field is read from (by header text).
pub type CsvMapping = Vec<CsvColumn>;

/// What the file would add, and what is wrong with it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CsvPreview {
    pub headers: Vec<String>,
    /// The mapping used: each field and its column (unmapped fields left out).
    pub mapping: Vec<CsvColumn>,
    pub components: Vec<Component>,
    /// The spreadsheet row each component comes from (the header is row 1).
    pub rows: Vec<usize>,
    pub dependencies: Vec<Dependency>,
    /// Every fault, by row and column; nothing is stored while there are any.
    pub problems: Vec<CsvProblem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CsvColumn {
    pub field: CsvField,
    pub column: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CsvProblem {
    /// The spreadsheet row (the header is row 1); `null` for the file as a whole.
    pub row: Option<usize>,
    /// The column's header, when one column is at fault.
    pub column: Option<String>,
    pub code: crate::error::Code,
    pub message: String,
}

impl CsvProblem {
    fn into_problem(self) -> Problem {
        let path = match (self.row, &self.column) {
            (Some(r), Some(c)) => format!("row {r}, column \"{c}\""),
            (Some(r), None) => format!("row {r}"),
            (None, Some(c)) => format!("column \"{c}\""),
            (None, None) => "header".to_string(),
        };
        Problem::new(self.code, path, self.message)
    }
}

/// Parses `--map title=Summary,team=Squad` into a mapping.
pub fn parse_mapping(text: &str) -> Result<CsvMapping> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (field, column) = part.split_once('=').ok_or_else(|| {
            Error::invalid(
                Code::BadValue,
                "--map",
                format!("\"{part}\" is not FIELD=COLUMN"),
            )
        })?;
        let f = CsvField::parse(field.trim()).ok_or_else(|| {
            Error::invalid(
                Code::UnknownField,
                "--map",
                format!(
                    "unknown field \"{}\": use one of {}",
                    field.trim(),
                    CsvField::ALL.map(CsvField::name).join(", ")
                ),
            )
        })?;
        out.push(CsvColumn {
            field: f,
            column: column.trim().to_string(),
        });
    }
    Ok(out)
}

fn normalise(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A key from a title: lower case, runs of other characters as one `-`.
pub fn key_from_title(title: &str) -> String {
    let mut key = String::new();
    for c in title.trim().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    let key = key.trim_end_matches('-');
    key.chars()
        .take(64)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn parse_status(s: &str) -> Option<Status> {
    let n = normalise(s);
    Status::ALL.into_iter().find(|st| {
        n == normalise(st.as_str())
            || n == normalise(st.title())
            || (*st == Status::Ready && n == "ready")
    })
}

/// Reads `text` against `release` (the stored one) and the workspace's teams.
pub fn preview(plan: &Plan, release: &Release, text: &str, overrides: &CsvMapping) -> CsvPreview {
    let mut problems: Vec<CsvProblem> = Vec::new();
    let file_problem = |code, message: String| CsvProblem {
        row: None,
        column: None,
        code,
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            return CsvPreview {
                headers: vec![],
                mapping: vec![],
                components: vec![],
                rows: vec![],
                dependencies: vec![],
                problems: vec![file_problem(
                    Code::BadFormat,
                    format!("not a CSV file: {e}"),
                )],
            }
        }
    };
    // The mapping: overrides first, then a guess from the headers.
    let mut columns: HashMap<CsvField, usize> = HashMap::new();
    for CsvColumn { field, column } in overrides {
        match headers.iter().position(|h| h == column) {
            Some(i) => {
                columns.insert(*field, i);
            }
            None => problems.push(CsvProblem {
                row: None,
                column: Some(column.clone()),
                code: Code::UnknownField,
                message: format!(
                    "{} is mapped to column \"{column}\", which the file does not have (its columns: {})",
                    field.name(),
                    headers.join(", ")
                ),
            }),
        }
    }
    for field in CsvField::ALL {
        if columns.contains_key(&field) || overrides.iter().any(|c| c.field == field) {
            continue;
        }
        let taken: HashSet<usize> = columns.values().copied().collect();
        if let Some(i) = headers.iter().enumerate().position(|(i, h)| {
            !taken.contains(&i) && field.synonyms().contains(&normalise(h).as_str())
        }) {
            columns.insert(field, i);
        }
    }
    for field in CsvField::ALL.into_iter().filter(|f| f.required()) {
        if !columns.contains_key(&field) && !overrides.iter().any(|c| c.field == field) {
            problems.push(file_problem(
                Code::MissingField,
                format!(
                    "no column for {}: map one (its columns: {})",
                    field.name(),
                    headers.join(", ")
                ),
            ));
        }
    }
    let mut mapping: Vec<CsvColumn> = columns
        .iter()
        .map(|(f, i)| CsvColumn {
            field: *f,
            column: headers[*i].clone(),
        })
        .collect();
    mapping.sort_by_key(|c| CsvField::ALL.iter().position(|f| *f == c.field));
    if problems.iter().any(|p| p.row.is_none()) {
        return CsvPreview {
            headers,
            mapping,
            components: vec![],
            rows: vec![],
            dependencies: vec![],
            problems,
        };
    }

    let teams: HashMap<String, &str> = plan
        .teams
        .iter()
        .flat_map(|t| {
            [
                (t.key.to_lowercase(), t.key.as_str()),
                (t.name.to_lowercase(), t.key.as_str()),
            ]
        })
        .collect();
    let col_name = |f: CsvField| columns.get(&f).map(|&i| headers[i].clone());
    let mut components: Vec<Component> = Vec::new();
    let mut rows: Vec<usize> = Vec::new();
    let mut blocked: Vec<(usize, String)> = Vec::new();
    let existing: HashSet<&str> = release.components.iter().map(|c| c.key.as_str()).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let row = n + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(CsvProblem {
                    row: Some(row),
                    column: None,
                    code: Code::BadFormat,
                    message: e.to_string(),
                });
                continue;
            }
        };
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let row = record.position().map(|p| p.line() as usize).unwrap_or(row);
        let cell =
            |f: CsvField| -> &str { columns.get(&f).and_then(|&i| record.get(i)).unwrap_or("") };
        let mut bad = |f: CsvField, code: Code, message: String| {
            problems.push(CsvProblem {
                row: Some(row),
                column: col_name(f),
                code,
                message,
            })
        };
        let title = cell(CsvField::Title).to_string();
        if title.is_empty() {
            bad(
                CsvField::Title,
                Code::MissingValue,
                "the title is empty".into(),
            );
        }
        let key = match cell(CsvField::Key) {
            "" => key_from_title(&title),
            k => k.to_string(),
        };
        let key_field = if cell(CsvField::Key).is_empty() {
            CsvField::Title
        } else {
            CsvField::Key
        };
        if !title.is_empty() && !crate::plan::is_valid_key(&key) {
            bad(
                key_field,
                Code::BadKey,
                format!("invalid key \"{key}\": use 1 to 64 of a-z 0-9 . _ - starting with a letter or digit"),
            );
        } else if existing.contains(key.as_str()) {
            bad(
                key_field,
                Code::DuplicateKey,
                format!(
                    "a component with key \"{key}\" is already in release {}",
                    release.key
                ),
            );
        } else if let Some(first) = seen.get(&key) {
            bad(
                key_field,
                Code::DuplicateKey,
                format!("key \"{key}\" is also the key of row {first}"),
            );
        } else if !key.is_empty() {
            seen.insert(key.clone(), row);
        }
        let team = cell(CsvField::Team);
        let team = match teams.get(&team.to_lowercase()) {
            Some(t) => t.to_string(),
            None => {
                bad(
                    CsvField::Team,
                    if team.is_empty() {
                        Code::MissingValue
                    } else {
                        Code::UnknownReference
                    },
                    if team.is_empty() {
                        "the team is empty".to_string()
                    } else {
                        format!(
                            "unknown team \"{team}\": the workspace has {}",
                            plan.teams
                                .iter()
                                .map(|t| t.key.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                );
                String::new()
            }
        };
        let duration = cell(CsvField::Duration);
        let duration_days = match duration
            .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
            .parse::<u32>()
        {
            Ok(d) if (1..=1000).contains(&d) => d,
            _ => {
                bad(
                    CsvField::Duration,
                    Code::BadValue,
                    format!(
                        "duration \"{duration}\" is not a number of working days from 1 to 1000"
                    ),
                );
                1
            }
        };
        let mut date = |f: CsvField| -> Option<Date> {
            let s = cell(f);
            if s.is_empty() {
                return None;
            }
            match Date::parse(s) {
                Ok(d) => Some(d),
                Err(e) => {
                    bad(f, Code::BadDate, e);
                    None
                }
            }
        };
        let start = date(CsvField::Start);
        let eta = date(CsvField::Eta);
        let status = match cell(CsvField::Status) {
            "" => Status::Planning,
            s => parse_status(s).unwrap_or_else(|| {
                bad(
                    CsvField::Status,
                    Code::BadValue,
                    format!(
                        "unknown status \"{s}\": use one of {}",
                        Status::ALL.map(|s| s.title()).join(", ")
                    ),
                );
                Status::Planning
            }),
        };
        let by = cell(CsvField::BlockedBy);
        if !by.is_empty() {
            blocked.push((components.len(), by.to_string()));
        }
        rows.push(row);
        components.push(Component {
            key,
            title,
            team,
            status,
            duration_days,
            start,
            eta,
            done_on: None,
            labels: vec![],
            updates: vec![],
            deploy: None,
            notes: vec![],
        });
    }

    // Blocked-by: keys or titles of this file, then of the release.
    let mut by_name: HashMap<String, String> = HashMap::new();
    for c in release.components.iter().chain(components.iter()) {
        by_name.insert(c.key.to_lowercase(), c.key.clone());
        by_name
            .entry(c.title.to_lowercase())
            .or_insert_with(|| c.key.clone());
    }
    let mut dependencies = Vec::new();
    for (i, list) in &blocked {
        for name in list
            .split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match by_name.get(&name.to_lowercase()) {
                Some(from) if *from == components[*i].key => problems.push(CsvProblem {
                    row: Some(rows[*i]),
                    column: col_name(CsvField::BlockedBy),
                    code: Code::Cycle,
                    message: format!("\"{name}\" is this row's own component"),
                }),
                Some(from) => dependencies.push(Dependency {
                    from: from.clone(),
                    to: components[*i].key.clone(),
                    needed_by: None,
                    buffer_days: None,
                    lag_days: None,
                }),
                None => problems.push(CsvProblem {
                    row: Some(rows[*i]),
                    column: col_name(CsvField::BlockedBy),
                    code: Code::UnknownReference,
                    message: format!(
                        "\"{name}\" is neither a key nor a title of this file or of release {}",
                        release.key
                    ),
                }),
            }
        }
    }

    // The whole release as it would be, checked by the plan's own rules
    // (cycles among them); faults mapped back to rows.
    if problems.is_empty() {
        let mut check = plan.clone();
        let mut r = release.clone();
        let base = r.components.len();
        let dep_base = r.dependencies.len();
        r.components.extend(components.iter().cloned());
        r.dependencies.extend(dependencies.iter().cloned());
        check.releases = vec![r];
        for p in validate(&check) {
            let row_of_component = |idx: usize| idx.checked_sub(base).map(|i| rows[i]);
            let (row, column) = if let Some(rest) = p.path.strip_prefix("releases[0].components[") {
                let idx: usize = rest
                    .split(']')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                (row_of_component(idx), None)
            } else if let Some(rest) = p.path.strip_prefix("releases[0].dependencies[") {
                let idx: usize = rest
                    .split(']')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                let row = idx
                    .checked_sub(dep_base)
                    .and_then(|d| dependencies.get(d))
                    .and_then(|d| components.iter().position(|c| c.key == d.to))
                    .map(|i| rows[i]);
                (row, col_name(CsvField::BlockedBy))
            } else if p.code == Code::Cycle {
                let keys = match &p.detail {
                    Some(crate::error::Detail::Cycle { keys }) => keys.clone(),
                    _ => vec![],
                };
                let row = keys
                    .iter()
                    .find_map(|k| components.iter().position(|c| c.key == *k))
                    .map(|i| rows[i]);
                (row, col_name(CsvField::BlockedBy))
            } else {
                (None, None)
            };
            problems.push(CsvProblem {
                row,
                column,
                code: p.code,
                message: p.message,
            });
        }
    }
    CsvPreview {
        headers,
        mapping,
        components,
        rows,
        dependencies,
        problems,
    }
}

/// The edit that stores a clean preview: one batch (one undo).
pub fn import_edit(release: &str, preview: &CsvPreview) -> Result<Edit> {
    if !preview.problems.is_empty() {
        return Err(Error::Invalid(
            preview
                .problems
                .iter()
                .cloned()
                .map(CsvProblem::into_problem)
                .collect(),
        ));
    }
    let mut edits: Vec<Edit> = preview
        .components
        .iter()
        .map(|c| Edit::AddComponent {
            release: release.to_string(),
            component: Box::new(c.clone()),
            index: None,
        })
        .collect();
    edits.extend(preview.dependencies.iter().map(|d| Edit::AddDependency {
        release: release.to_string(),
        dependency: d.clone(),
        index: None,
    }));
    Ok(Edit::Batch {
        release: release.to_string(),
        edits,
    })
}

/// Reads `text` for the stored `release`; stores it unless `dry_run` or a
/// fault is found (then nothing is stored and the faults are the error).
pub fn import_csv(
    store: &mut Store,
    release: &str,
    text: &str,
    mapping: &CsvMapping,
    dry_run: bool,
) -> Result<CsvPreview> {
    let mut plan = store.load_plan(None)?;
    plan.releases.clear();
    let rel = store.load_release(release)?;
    let p = preview(&plan, &rel, text, mapping);
    let edit = import_edit(release, &p)?;
    if !dry_run {
        store.apply(&edit)?;
        tracing::info!(
            release,
            components = p.components.len(),
            dependencies = p.dependencies.len(),
            "csv imported"
        );
    }
    Ok(p)
}
