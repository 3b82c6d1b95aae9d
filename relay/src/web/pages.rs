//! The HTML pages, kept tiny: each only sets language and direction, links
//! its stylesheet and boots its WebAssembly. Nothing user-supplied reaches
//! them except a validated language tag.

/// Languages written right to left.
const RTL: [&str; 4] = ["he", "fa", "ar", "ur"];

/// `dir` for a language tag (its primary subtag decides).
pub(super) fn direction(lang: &str) -> &'static str {
    let primary = lang
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if RTL.contains(&primary.as_str()) {
        "rtl"
    } else {
        "ltr"
    }
}

/// Whether `s` looks like a plain `scheme://host[:port]` origin, safe to put in a CSP.
pub(super) fn is_origin(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

pub(super) fn widget(lang: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Chat</title>\n\
         <link rel=\"stylesheet\" href=\"/assets/widget/widget.css\">\n\
         <script type=\"module\" src=\"/widget/boot.js\"></script>\n</head>\n<body></body>\n</html>\n",
        dir = direction(lang)
    )
}

pub(super) fn console() -> String {
    "<!doctype html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n\
     <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Switchboard console</title>\n\
     <link rel=\"stylesheet\" href=\"/assets/console/console.css\">\n\
     <script type=\"module\" src=\"/console/boot.js\"></script>\n</head>\n<body></body>\n</html>\n"
        .to_owned()
}

/// A plain host page, as a customer's website would be, with the snippet.
pub(super) fn demo(lang: &str) -> String {
    let (title, text) = if direction(lang) == "rtl" {
        (
            "חנות לדוגמה",
            "ברוכים הבאים לחנות הדוגמה. יש שאלה? פתחו את הצ׳אט בפינה.",
        )
    } else {
        (
            "Demo shop",
            "Welcome to the demo shop. Questions? Open the chat in the corner.",
        )
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n</head>\n\
         <body style=\"font-family: system-ui, sans-serif; margin: 2rem;\">\n<h1>{title}</h1>\n<p>{text}</p>\n\
         <script src=\"/embed.js\" data-site=\"demo\" async></script>\n</body>\n</html>\n",
        dir = direction(lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hebrew_and_persian_are_right_to_left() {
        assert_eq!(direction("he"), "rtl");
        assert_eq!(direction("fa-IR"), "rtl");
        assert_eq!(direction("en-US"), "ltr");
        assert!(demo("he").contains("dir=\"rtl\""));
    }

    #[test]
    fn only_plain_origins_reach_the_csp() {
        assert!(is_origin("https://shop.example"));
        assert!(is_origin("http://127.0.0.1:8080"));
        assert!(!is_origin("https://shop.example; script-src *"));
        assert!(!is_origin("javascript:alert(1)"));
        assert!(!is_origin("https://"));
    }
}
