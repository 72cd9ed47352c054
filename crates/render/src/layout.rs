//! Each report laid out as a [`Doc`](super::doc::Doc): what goes in which heading, paragraph,
//! list and table. Pure functions of the report data.

mod diff;
mod forecast;
mod history;
mod list;
mod pm;
mod progress;
mod team;
mod timeline;

pub use diff::{broken, diff, diff_summary};
pub use forecast::forecast;
pub use history::{history, sparkline};
pub use list::list_keeping;
pub use pm::{pm, trace};
pub use progress::{exec, progress};
pub use team::team;
pub use timeline::timeline;

/// `—` for nothing, as text.
fn opt(s: Option<&str>) -> String {
    s.unwrap_or("—").to_string()
}

/// A report's title with the product name in front, when there is one.
fn title(product: Option<&str>, what: &str) -> String {
    match product {
        Some(p) => format!("{p}: {what}"),
        None => what.to_string(),
    }
}
