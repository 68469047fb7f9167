//! A small builder for the opportunity queries: conditions with their bound values
//! (numbers and texts), placeholders numbered in order.

#[derive(Debug, Clone)]
pub(super) enum Value {
    Int(i64),
    Text(String),
}

/// Conditions joined by AND, and the values their placeholders take.
#[derive(Debug, Default)]
pub(super) struct Filter {
    pub conditions: Vec<String>,
    pub values: Vec<Value>,
}

impl Filter {
    /// The next placeholder's number.
    pub fn next(&self) -> usize {
        self.values.len() + 1
    }

    /// A condition rendered with placeholders from [`Self::next`] and its number values.
    pub fn push_rendered(&mut self, (sql, values): (String, Vec<i64>)) {
        self.conditions.push(sql);
        self.values.extend(values.into_iter().map(Value::Int));
    }

    /// `column op $n` with an integer.
    pub fn int(&mut self, column: &str, op: &str, v: i64) {
        let n = self.next();
        self.conditions.push(format!("{column} {op} ${n}"));
        self.values.push(Value::Int(v));
    }

    /// `column op $n` with a text.
    pub fn text(&mut self, column: &str, op: &str, v: String) {
        let n = self.next();
        self.conditions.push(format!("{column} {op} ${n}"));
        self.values.push(Value::Text(v));
    }

    pub fn sql(&self) -> String {
        if self.conditions.is_empty() {
            "1 = 1".into()
        } else {
            self.conditions.join(" AND ")
        }
    }
}

/// Binds the values in order.
pub(super) fn bind<'q, O>(
    mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>,
    values: &'q [Value],
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments> {
    for v in values {
        q = match v {
            Value::Int(i) => q.bind(*i),
            Value::Text(t) => q.bind(t.as_str()),
        };
    }
    q
}

pub(super) fn bind_rows<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    values: &'q [Value],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for v in values {
        q = match v {
            Value::Int(i) => q.bind(*i),
            Value::Text(t) => q.bind(t.as_str()),
        };
    }
    q
}
