//! The HTML pages, kept tiny: each only sets language and direction, links
//! its stylesheet and boots its WebAssembly. Nothing user-supplied reaches
//! them except a validated language tag.

use shared::lang::direction;

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

    // Which languages are right to left is `shared::lang`'s to test; this
    // only checks the pages use it.
    #[test]
    fn pages_follow_the_language_direction() {
        assert!(widget("fa-IR").contains("<html lang=\"fa-IR\" dir=\"rtl\">"));
        assert!(widget("en-US").contains("dir=\"ltr\""));
        assert!(demo("he").contains("dir=\"rtl\""));
        assert!(demo("he").contains("חנות לדוגמה"));
        assert!(demo("en").contains("Demo shop"));
    }
}
