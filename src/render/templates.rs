//! Loads the theme's templates and the site's overrides into one Tera.
//!
//! Theme templates are registered as `theme/NAME`, site overrides as `NAME`,
//! and `theme/` is a fallback prefix: a lookup of `base.html` finds the
//! site's override first, then the theme's; an override can still extend
//! the template it replaces as `theme/base.html`.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::theme::Theme;

pub const THEME_PREFIX: &str = "theme/";

/// Tera plus the file each template name came from.
pub struct Templates {
    pub tera: Tera,
    origins: HashMap<String, PathBuf>,
    /// A hash of every template's name and text.
    pub fingerprint: u64,
}

impl Templates {
    pub fn load(theme: &Theme, diags: &mut Diagnostics) -> Result<Templates, Failed> {
        let mut named: Vec<(String, &str)> = Vec::new();
        let mut origins = HashMap::new();
        for t in &theme.templates {
            let name = format!("{THEME_PREFIX}{}", t.name);
            origins.insert(name.clone(), t.origin.clone());
            named.push((name, &t.text));
        }
        for t in &theme.overrides {
            origins.insert(t.name.clone(), t.origin.clone());
            named.push((t.name.clone(), &t.text));
        }
        let mut fingerprint = crate::fingerprint::Fingerprint::default();
        for (name, text) in &named {
            fingerprint.add(name).add(text);
        }
        let mut templates = Templates {
            tera: new_tera(),
            origins,
            fingerprint: fingerprint.finish().unwrap_or_default(),
        };
        // Parse each template alone first, so every syntax error is reported,
        // not only the first; then add them together to link inheritance.
        let mut syntax_errors = false;
        for (name, text) in &named {
            let mut scratch = new_tera();
            if let Err(e) = scratch.add_raw_template(name, text) {
                if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                    diags.push(templates.diagnostic(name, &e));
                    syntax_errors = true;
                }
            }
        }
        if syntax_errors {
            return Err(Failed);
        }
        if let Err(e) = templates
            .tera
            .add_raw_templates(named.iter().map(|(n, t)| (n.as_str(), *t)))
        {
            let name = match e.kind() {
                tera::ErrorKind::MissingParent { current, .. } => current.clone(),
                tera::ErrorKind::CircularExtend { tpl, .. }
                | tera::ErrorKind::CircularInclude { tpl, .. } => tpl.clone(),
                _ => String::new(),
            };
            diags.push(templates.diagnostic(&name, &e));
            return Err(Failed);
        }
        Ok(templates)
    }

    /// A diagnostic for a Tera error, at the template file and line.
    pub fn diagnostic(&self, fallback_name: &str, e: &tera::Error) -> Diagnostic {
        let (name, message, position) = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                let span = r.span();
                (
                    r.filename().to_string(),
                    r.message().to_string(),
                    Some((span.start_line, span.start_col + 1)),
                )
            }
            _ => (fallback_name.to_string(), error_chain(e), None),
        };
        let origin = self.origin(&name);
        let d = Diagnostic::error(origin, message);
        match position {
            Some((line, col)) if line > 0 => d.at(line, Some(col)),
            _ => d,
        }
    }

    fn origin(&self, name: &str) -> PathBuf {
        self.origins.get(name).cloned().unwrap_or_else(|| {
            let shown = name.strip_prefix(THEME_PREFIX).unwrap_or(name);
            PathBuf::from(format!("templates/{shown}"))
        })
    }
}

fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.set_fallback_prefixes([THEME_PREFIX])
        .expect("set before any template is added");
    tera.set_escape_fn(escape_html);
    tera
}

/// Tera's autoescaping, with its output (`&`, `<`, `>`, `"` and `'`
/// escaped), written a run of plain bytes at a time: Tera's own writes
/// each byte on its own, which took a tenth of a build's time.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut plain = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[plain..i])?;
        out.write_all(entity)?;
        plain = i + 1;
    }
    out.write_all(&bytes[plain..])
}

fn error_chain(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_as_tera_does() {
        for input in ["", "plain", "a & b <c> \"d\" 'e'", "&&", "é ‘quotes’ <"] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut teras).unwrap();
            assert_eq!(ours, teras, "{input}");
        }
    }
}
