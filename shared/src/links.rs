//! Finding links in message text, so the widget and the console make them
//! clickable the same safe way, without ever treating text as HTML.
//!
//! A message is split into plain runs and links. Only `http://`, `https://`
//! and `mailto:` start a link; anything else (`javascript:`, `data:`, …)
//! stays plain text. A link starts at a word boundary and runs to the next
//! whitespace or quote/angle bracket; trailing sentence punctuation and an
//! unbalanced closing bracket are left outside it ("see https://x.example)."
//! links `https://x.example`). The renderer turns [`Segment::Link`] into an
//! `<a>` whose `href` is exactly the segment, so an href always starts with
//! one of the allowed schemes. Pure string code: no web-sys, tested natively.

/// A run of message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Shown as text.
    Text(&'a str),
    /// Shown as a link whose target is this exact text.
    Link(&'a str),
}

/// Schemes that may become links, lowercase.
const SCHEMES: [&str; 3] = ["https://", "http://", "mailto:"];

/// Splits `text` into plain runs and links, in order; concatenating the
/// segments gives back `text`.
pub fn split_links(text: &str) -> Vec<Segment<'_>> {
    let mut segments = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    while at < text.len() {
        if let Some(len) = link_len(text, at) {
            if plain_from < at {
                segments.push(Segment::Text(&text[plain_from..at]));
            }
            segments.push(Segment::Link(&text[at..at + len]));
            at += len;
            plain_from = at;
        } else {
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if plain_from < text.len() {
        segments.push(Segment::Text(&text[plain_from..]));
    }
    segments
}

/// The byte length of the link starting at `at`, if one starts there.
fn link_len(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let scheme = SCHEMES.iter().find(|s| {
        rest.get(..s.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(s))
    })?;
    let boundary = text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric() && c != '_');
    if !boundary {
        return None;
    }
    let end = rest
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
        .map_or(rest.len(), |(i, _)| i);
    let len = trim_trailing(&rest[..end]);
    // Something must follow the scheme: a host or an address.
    let body = &rest[scheme.len()..len.max(scheme.len())];
    let usable = if *scheme == "mailto:" {
        body.contains('@')
    } else {
        body.chars().any(char::is_alphanumeric)
    };
    usable.then_some(len)
}

/// The length of `candidate` without trailing punctuation and unbalanced
/// closing brackets.
fn trim_trailing(candidate: &str) -> usize {
    let mut end = candidate.len();
    loop {
        let Some(last) = candidate[..end].chars().next_back() else {
            return end;
        };
        let drop = match last {
            '.' | ',' | ';' | ':' | '!' | '?' => true,
            ')' => unbalanced(&candidate[..end], '(', ')'),
            ']' => unbalanced(&candidate[..end], '[', ']'),
            _ => false,
        };
        if !drop {
            return end;
        }
        end -= last.len_utf8();
    }
}

fn unbalanced(s: &str, open: char, close: char) -> bool {
    s.matches(close).count() > s.matches(open).count()
}

#[cfg(test)]
mod tests {
    use super::Segment::{Link, Text};
    use super::*;

    #[test]
    fn plain_text_is_one_run() {
        assert_eq!(split_links("hello there"), vec![Text("hello there")]);
        assert!(split_links("").is_empty());
    }

    #[test]
    fn allowed_schemes_become_links() {
        assert_eq!(
            split_links("see https://example.com/a?b=1#c now"),
            vec![
                Text("see "),
                Link("https://example.com/a?b=1#c"),
                Text(" now")
            ]
        );
        assert_eq!(split_links("http://x.test"), vec![Link("http://x.test")]);
        assert_eq!(
            split_links("write to mailto:help@x.test"),
            vec![Text("write to "), Link("mailto:help@x.test")]
        );
        assert_eq!(
            split_links("HTTPS://EXAMPLE.COM"),
            vec![Link("HTTPS://EXAMPLE.COM")]
        );
    }

    #[test]
    fn other_schemes_stay_text() {
        for text in [
            "javascript:alert(1)",
            "click javascript:alert(document.cookie)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "ftp://files.test",
        ] {
            assert_eq!(split_links(text), vec![Text(text)], "{text}");
        }
    }

    #[test]
    fn html_is_just_text() {
        let text = "<img src=x onerror=alert(1)>";
        assert_eq!(split_links(text), vec![Text(text)]);
        assert_eq!(
            split_links("<a href=\"https://x.test\">x</a>"),
            vec![Text("<a href=\""), Link("https://x.test"), Text("\">x</a>")]
        );
    }

    #[test]
    fn a_scheme_inside_a_word_is_not_a_link() {
        assert_eq!(
            split_links("xhttps://a.test"),
            vec![Text("xhttps://a.test")]
        );
        // After a non-word character the allowed URL itself may link.
        assert_eq!(
            split_links("javascript:https://a.test"),
            vec![Text("javascript:"), Link("https://a.test")]
        );
    }

    #[test]
    fn trailing_punctuation_and_brackets_stay_outside() {
        assert_eq!(
            split_links("go to https://a.test/x."),
            vec![Text("go to "), Link("https://a.test/x"), Text(".")]
        );
        assert_eq!(
            split_links("(https://a.test/x)!"),
            vec![Text("("), Link("https://a.test/x"), Text(")!")]
        );
        assert_eq!(
            split_links("https://en.wiki.test/A_(b)"),
            vec![Link("https://en.wiki.test/A_(b)")]
        );
    }

    #[test]
    fn a_bare_scheme_is_not_a_link() {
        assert_eq!(split_links("https:// x"), vec![Text("https:// x")]);
        assert_eq!(split_links("mailto:nobody"), vec![Text("mailto:nobody")]);
        assert_eq!(split_links("http://..."), vec![Text("http://...")]);
    }

    #[test]
    fn non_ascii_text_round_trips() {
        let text = "שלום https://דוגמה.test/נתיב, תודה";
        let segments = split_links(text);
        assert_eq!(
            segments,
            vec![
                Text("שלום "),
                Link("https://דוגמה.test/נתיב"),
                Text(", תודה")
            ]
        );
        let joined: String = segments
            .iter()
            .map(|s| match s {
                Text(t) | Link(t) => *t,
            })
            .collect();
        assert_eq!(joined, text);
    }
}
