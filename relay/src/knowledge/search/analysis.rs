//! How text becomes terms, in one place for the index, the query and the
//! snippets: a word tokenizer that keeps combining marks inside words, then
//! lowercase, [`NormaliseFilter`], ASCII folding, and a stemmer for the
//! languages that have one here.
//!
//! Each article is indexed into the fields of its language's [`Family`];
//! a query names a language (one family) or none (every family, each
//! analysing the query its own way), so stemming always agrees on both
//! sides.

use std::str::CharIndices;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};
use tantivy::Index;

use super::normalise::{is_ignored_mark, NormaliseFilter};

/// Longer tokens (in UTF-8 bytes) are dropped: no word is this long, and a
/// fuzzy automaton over a pasted blob would be slow. 120 bytes keeps a
/// 60-letter Cyrillic or Hebrew word.
const MAX_TOKEN_BYTES: usize = 120;

/// The analyzer a language gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    English,
    Russian,
    /// No stemmer (he, fa, ar, hy, …): normalised words only. tantivy's
    /// Arabic stemmer expects the Arabic letters we map to Persian ones.
    Plain,
}

impl Family {
    pub(super) const ALL: [Family; 3] = [Family::English, Family::Russian, Family::Plain];

    /// The family of a primary language subtag (`en`, `ru`, `fa`).
    pub(super) fn of(primary: &str) -> Self {
        match primary {
            "en" => Self::English,
            "ru" => Self::Russian,
            _ => Self::Plain,
        }
    }

    /// Position in [`Family::ALL`].
    pub(super) fn index(self) -> usize {
        match self {
            Self::English => 0,
            Self::Russian => 1,
            Self::Plain => 2,
        }
    }

    /// The name its analyzer is registered under.
    pub(super) fn analyzer_name(self) -> &'static str {
        match self {
            Self::English => "kb_en",
            Self::Russian => "kb_ru",
            Self::Plain => "kb_plain",
        }
    }

    pub(super) fn analyzer(self) -> TextAnalyzer {
        let words = TextAnalyzer::builder(WordTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(NormaliseFilter)
            .filter(AsciiFoldingFilter);
        match self {
            Self::English => words.filter(Stemmer::new(Language::English)).build(),
            Self::Russian => words.filter(Stemmer::new(Language::Russian)).build(),
            Self::Plain => words.build(),
        }
    }
}

/// Registers every family's analyzer with `index`.
pub(super) fn register(index: &Index) {
    for family in Family::ALL {
        index
            .tokenizers()
            .register(family.analyzer_name(), family.analyzer());
    }
}

/// The terms `analyzer` makes of `text`, in order.
pub(super) fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Splits on everything but letters, digits and the marks
/// [`NormaliseFilter`] drops. A word starts at a letter or digit, so a
/// stray mark never makes a token of its own.
#[derive(Debug, Clone, Default)]
pub(super) struct WordTokenizer {
    token: Token,
}

pub(super) struct WordStream<'a> {
    text: &'a str,
    chars: CharIndices<'a>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            chars: text.char_indices(),
            token: &mut self.token,
        }
    }
}

fn inside_word(c: char) -> bool {
    c.is_alphanumeric() || is_ignored_mark(c)
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        while let Some((start, c)) = self.chars.next() {
            if c.is_alphanumeric() {
                let end = self
                    .chars
                    .find(|(_, c)| !inside_word(*c))
                    .map_or(self.text.len(), |(at, _)| at);
                self.token.offset_from = start;
                self.token.offset_to = end;
                self.token.text.push_str(&self.text[start..end]);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::{terms, Family};

    fn plain(text: &str) -> Vec<String> {
        terms(&mut Family::Plain.analyzer(), text)
    }

    #[test]
    fn marks_stay_inside_words_and_punctuation_splits() {
        assert_eq!(plain("שָׁלוֹם, עוֹלָם!"), ["שלום", "עולם"]);
        assert_eq!(plain("בית\u{05BE}ספר"), ["בית", "ספר"]);
        assert_eq!(plain("الكتـــاب مُفِيد"), ["الکتاب", "مفید"]);
        assert_eq!(plain("title:foo AND ( * \""), ["title", "foo", "and"]);
        assert!(plain("\u{05B8}\u{0301} ?! ـــ").is_empty());
    }

    #[test]
    fn case_and_latin_accents_fold_without_touching_other_scripts() {
        assert_eq!(plain("CAFÉ Résumé naïve"), ["cafe", "resume", "naive"]);
        assert_eq!(
            plain("ЗАКАЗ Վերադարձ שלום کتاب"),
            ["заказ", "վերադարձ", "שלום", "کتاب"]
        );
    }

    #[test]
    fn english_and_russian_are_stemmed() {
        let mut en = Family::English.analyzer();
        assert_eq!(terms(&mut en, "passwords refunds"), ["password", "refund"]);
        let mut ru = Family::Russian.analyzer();
        assert_eq!(terms(&mut ru, "заказа"), terms(&mut ru, "заказ"));
        assert_eq!(terms(&mut ru, "заказами"), terms(&mut ru, "заказ"));
    }

    #[test]
    fn pasted_blobs_make_no_terms() {
        assert!(plain(&"a".repeat(500)).is_empty());
    }
}
