//! Text direction of a language tag, decided once: the relay's pages set
//! `<html dir>` and the widget lays itself out from the same answer, so a
//! language cannot be right-to-left on the page and left-to-right in the
//! widget (they used to keep separate, different lists).

/// Scripts written right to left (ISO 15924). A tag that names its script
/// is decided by it: `sd-Deva` is left to right, `az-Arab` right to left.
const RTL_SCRIPTS: &[&str] = &[
    "adlm", "arab", "aran", "hebr", "mand", "mend", "nkoo", "rohg", "samr", "syrc", "thaa", "yezi",
];

/// Languages whose usual script is right to left (CLDR's likely script),
/// including the deprecated codes browsers may still report (`iw`, `ji`).
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "azb", "ckb", "dv", "fa", "glk", "he", "iw", "ji", "ks", "lrc", "mzn", "nqo",
    "pnb", "prs", "ps", "sd", "syr", "ug", "ur", "yi",
];

/// Whether text in the language `tag` (BCP 47, e.g. `he-IL`; `_` accepted
/// too, as some platforms report `he_IL`) runs right to left.
pub fn is_rtl(tag: &str) -> bool {
    let mut subtags = tag.trim().split(['-', '_']);
    let primary = subtags.next().unwrap_or_default();
    // The script, if any, comes before the first singleton (an extension
    // or private use); it is the only four-letter alphabetic subtag there.
    let script = subtags
        .take_while(|s| s.len() != 1)
        .find(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()));
    match script {
        Some(script) => contains(RTL_SCRIPTS, script),
        None => contains(RTL_LANGUAGES, primary),
    }
}

/// The HTML `dir` value for `tag`: `"rtl"` or `"ltr"`.
pub fn direction(tag: &str) -> &'static str {
    if is_rtl(tag) {
        "rtl"
    } else {
        "ltr"
    }
}

fn contains(list: &[&str], subtag: &str) -> bool {
    list.iter().any(|l| l.eq_ignore_ascii_case(subtag))
}

/// A language tag as the relay accepts it (`en`, `fa-IR`, `zh-Hant-TW`):
/// a 2–3 letter lower-case primary subtag, then 1–8 character parts.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && tag.len() <= 35
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The primary language of a tag, lower-cased (`fa` for `fa-IR` or
/// `FA_ir`): what routing matches visitors and agents on, so an agent
/// who speaks `fa` takes a visitor whose browser says `fa-IR`.
pub fn primary_language(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_languages() {
        for tag in [
            "he", "iw", "fa", "ar", "ur", "yi", "ps", "ckb", "dv", "ug", "sd", "syr", "ji",
        ] {
            assert!(is_rtl(tag), "{tag}");
            assert_eq!(direction(tag), "rtl", "{tag}");
        }
    }

    #[test]
    fn regions_case_and_separators_do_not_matter() {
        for tag in [
            "he-IL", "HE-il", "fa-IR", "ar-EG", "ar-001", "ur-PK", "he_IL", " he ", "ckb-IQ",
        ] {
            assert!(is_rtl(tag), "{tag}");
        }
    }

    #[test]
    fn left_to_right_languages() {
        for tag in [
            "en",
            "en-US",
            "de",
            "fr-CA",
            "zh-Hant-TW",
            "",
            "-",
            "x",
            "hebrew",
            "ara",
            "e",
            "ku",
        ] {
            assert!(!is_rtl(tag), "{tag}");
            assert_eq!(direction(tag), "ltr", "{tag}");
        }
    }

    #[test]
    fn an_explicit_script_decides() {
        for tag in ["az-Arab", "pa-Arab-PK", "ku-arab", "uz-Arab-AF", "ms-Arab"] {
            assert!(is_rtl(tag), "{tag}");
        }
        for tag in ["sd-Deva", "ug-Cyrl", "ar-Latn", "he-Latn-IL", "yi-Latn"] {
            assert!(!is_rtl(tag), "{tag}");
        }
        // After a singleton the subtags are extensions, not a script.
        assert!(!is_rtl("en-x-arab"));
        assert!(is_rtl("he-u-nu-latn"));
        // A four-character variant with digits is not a script.
        assert!(is_rtl("ar-1994"));
    }
}
