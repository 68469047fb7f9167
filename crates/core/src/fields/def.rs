//! What a standard field is: its kind and limits, and how each consumer (import, query
//! builder, list, export, history, search) treats it. Built in `const` with the
//! constructors and `with_*` methods, so a registry is a `static` table.

use super::value::Storage;

/// What a field holds, which decides its validation, its SQL type and how it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line of text (tabs and line breaks become spaces).
    Text,
    /// Several lines of text.
    LongText,
    /// Words or phrases separated by commas, semicolons or new lines (keywords, tags).
    TextList,
    /// A whole number within a range.
    Number { min: i64, max: i64 },
    /// 0 (none) to `max` stars.
    Rating { max: i64 },
    /// A day, kept as Unix seconds of its start in the company's time zone.
    Date,
    /// Yes or no.
    Flag,
    /// One of fixed codes; empty means the first. Shown as `<label_prefix><code>`.
    Choice {
        codes: &'static [&'static str],
        label_prefix: &'static str,
    },
    /// A stage's key (issue 18): one of the company's customer pipelines' stages, which
    /// are data, so the store checks it; empty means the default pipeline's first stage.
    Stage,
    /// A base-data item's id ([`crate::dict::DictKind`] code).
    DictRef(&'static str),
    /// E-mail addresses separated by commas, semicolons or new lines.
    EmailList,
    /// Phone numbers separated by commas, semicolons or new lines.
    PhoneList,
    /// A website.
    Url,
}

impl Kind {
    /// How a value of this kind is held and stored.
    pub const fn storage(self) -> Storage {
        match self {
            Kind::Number { .. } | Kind::Rating { .. } => Storage::Int,
            Kind::Flag => Storage::Flag,
            Kind::Date | Kind::DictRef(_) => Storage::OptInt,
            _ => Storage::Text,
        }
    }

    /// Whether the text keeps its line breaks (validated as a block).
    pub const fn multiline(self) -> bool {
        matches!(
            self,
            Kind::LongText | Kind::TextList | Kind::EmailList | Kind::PhoneList
        )
    }
}

/// How the query builder compares a field (which operators apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    Text,
    Number,
    /// A day, compared by its start.
    Date,
    /// A base-data item, compared by its names.
    Item,
}

/// How the values of several columns feeding one field are joined on import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// The first non-empty column wins.
    First,
    /// Joined with ", " (lists).
    List,
    /// Joined with " " (texts made of parts).
    Words,
}

/// Header words that suggest the field, compared lower-case without spaces, `_`, `-`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aliases {
    pub en: &'static [&'static str],
    pub zh: &'static [&'static str],
}

/// How a column of an imported table feeds the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Import {
    /// The mapping target's name; `None`: the field's key.
    pub target: Option<&'static str>,
    pub aliases: Aliases,
    pub join: Join,
    /// The catalog key of the target's label; `None`: the field's label.
    pub label: Option<&'static str>,
}

/// Whether a list column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Always shown (not in the column choice).
    Always,
    /// Shown until the user chooses otherwise.
    ByDefault,
    /// Offered in the column choice.
    Optional,
}

/// The field as a column of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The column's code (kept in users' preferences; `None`: the field's key).
    pub code: Option<&'static str>,
    pub visibility: Visibility,
    pub sortable: bool,
}

/// One standard field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    /// The column and form name; set by [`crate::record!`] from the struct field.
    pub key: &'static str,
    /// The catalog key of its label; set by [`crate::record!`] (`<prefix><key>`).
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// For text kinds: the most characters.
    pub max_len: usize,
    pub import: Option<Import>,
    pub query: Option<QueryKind>,
    pub column: Option<Column>,
    /// Goes into the list's search text (the search box).
    pub searchable: bool,
    /// Goes into the full-text index's notes (the global search).
    pub indexed: bool,
    /// A column of the export.
    pub export: bool,
    /// An input of the record's form.
    pub in_form: bool,
    /// A line of the record's page (when not empty).
    pub on_page: bool,
}

impl FieldDef {
    /// A field of `kind`: by default imported (no aliases), queried, an optional
    /// column, exported, in the form and on the page — a new field needs to say only
    /// what it lacks.
    pub const fn new(kind: Kind) -> FieldDef {
        let storage = kind.storage();
        FieldDef {
            key: "",
            label: "",
            kind,
            required: false,
            max_len: 200,
            import: Some(Import {
                target: None,
                aliases: Aliases { en: &[], zh: &[] },
                join: if kind.multiline() {
                    if matches!(kind, Kind::LongText) {
                        Join::Words
                    } else {
                        Join::List
                    }
                } else {
                    Join::First
                },
                label: None,
            }),
            query: Some(match kind {
                Kind::Date => QueryKind::Date,
                Kind::DictRef(_) => QueryKind::Item,
                _ if matches!(storage, Storage::Int) => QueryKind::Number,
                _ => QueryKind::Text,
            }),
            column: Some(Column {
                code: None,
                visibility: Visibility::Optional,
                sortable: false,
            }),
            searchable: false,
            indexed: false,
            export: true,
            in_form: true,
            on_page: true,
        }
    }

    pub const fn text(max_len: usize) -> FieldDef {
        FieldDef::new(Kind::Text).with_max_len(max_len)
    }

    pub const fn long_text(max_len: usize) -> FieldDef {
        FieldDef::new(Kind::LongText).with_max_len(max_len)
    }

    pub const fn with_max_len(mut self, max_len: usize) -> FieldDef {
        self.max_len = max_len;
        self
    }

    pub const fn required(mut self) -> FieldDef {
        self.required = true;
        self
    }

    /// Header words that suggest it on import.
    pub const fn aliases(
        mut self,
        en: &'static [&'static str],
        zh: &'static [&'static str],
    ) -> FieldDef {
        if let Some(i) = &mut self.import {
            i.aliases = Aliases { en, zh };
        }
        self
    }

    /// The import target's name, when it is not the key.
    pub const fn import_target(mut self, target: &'static str) -> FieldDef {
        if let Some(i) = &mut self.import {
            i.target = Some(target);
        }
        self
    }

    /// The import target's label, when it is not the field's.
    pub const fn import_label(mut self, label: &'static str) -> FieldDef {
        if let Some(i) = &mut self.import {
            i.label = Some(label);
        }
        self
    }

    pub const fn import_join(mut self, join: Join) -> FieldDef {
        if let Some(i) = &mut self.import {
            i.join = join;
        }
        self
    }

    pub const fn not_imported(mut self) -> FieldDef {
        self.import = None;
        self
    }

    pub const fn query(mut self, kind: QueryKind) -> FieldDef {
        self.query = Some(kind);
        self
    }

    pub const fn not_queried(mut self) -> FieldDef {
        self.query = None;
        self
    }

    pub const fn column(mut self, column: Column) -> FieldDef {
        self.column = Some(column);
        self
    }

    pub const fn no_column(mut self) -> FieldDef {
        self.column = None;
        self
    }

    pub const fn searchable(mut self) -> FieldDef {
        self.searchable = true;
        self
    }

    pub const fn indexed(mut self) -> FieldDef {
        self.indexed = true;
        self
    }

    pub const fn not_exported(mut self) -> FieldDef {
        self.export = false;
        self
    }

    /// Not a line of the record's page (shown otherwise, as its title or a button).
    pub const fn not_on_page(mut self) -> FieldDef {
        self.on_page = false;
        self
    }

    /// Named by the record macro.
    pub const fn named(mut self, key: &'static str, label: &'static str) -> FieldDef {
        self.key = key;
        self.label = label;
        self
    }

    /// The import target it feeds, if imported.
    pub fn import_target_name(&self) -> Option<&'static str> {
        self.import.map(|i| i.target.unwrap_or(self.key))
    }

    /// The list column's code, if it is a column.
    pub fn column_code(&self) -> Option<&'static str> {
        self.column.map(|c| c.code.unwrap_or(self.key))
    }
}

impl Column {
    pub const fn optional(code: &'static str) -> Column {
        Column {
            code: Some(code),
            visibility: Visibility::Optional,
            sortable: false,
        }
    }

    pub const fn shown_by_default(mut self) -> Column {
        self.visibility = Visibility::ByDefault;
        self
    }

    pub const fn always(mut self) -> Column {
        self.visibility = Visibility::Always;
        self
    }

    pub const fn sortable(mut self) -> Column {
        self.sortable = true;
        self
    }
}

/// A record type's standard fields, in the order forms, pages and exports show them.
#[derive(Debug)]
pub struct Registry {
    pub fields: &'static [FieldDef],
}

impl Registry {
    pub fn get(&self, key: &str) -> Option<&'static FieldDef> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The field an import target feeds.
    pub fn by_import_target(&self, target: &str) -> Option<&'static FieldDef> {
        self.fields
            .iter()
            .find(|f| f.import_target_name() == Some(target))
    }

    /// The field a list column shows.
    pub fn by_column(&self, code: &str) -> Option<&'static FieldDef> {
        self.fields.iter().find(|f| f.column_code() == Some(code))
    }

    pub fn imported(&self) -> impl Iterator<Item = &'static FieldDef> {
        self.fields.iter().filter(|f| f.import.is_some())
    }

    pub fn queried(&self) -> impl Iterator<Item = &'static FieldDef> {
        self.fields.iter().filter(|f| f.query.is_some())
    }

    pub fn columns(&self) -> impl Iterator<Item = &'static FieldDef> {
        self.fields.iter().filter(|f| f.column.is_some())
    }

    pub fn exported(&self) -> impl Iterator<Item = &'static FieldDef> {
        self.fields.iter().filter(|f| f.export)
    }
}
