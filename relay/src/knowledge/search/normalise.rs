//! Letter normalisation the stock tantivy filters lack: one spelling per
//! word for Persian/Arabic, Hebrew with or without niqqud, Russian with or
//! without ё, so a visitor's keyboard never decides whether an article is
//! found. Runs after lowercasing and before ASCII folding and stemming.

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Whether `c` is a combining mark search ignores. The word tokenizer keeps
/// these inside a word (they are not alphanumeric, so tantivy's simple
/// tokenizer would split `שָׁלוֹם` into letters) and this filter drops them.
pub(super) fn is_ignored_mark(c: char) -> bool {
    matches!(c,
        // Latin combining accents: text pasted in NFD (e + U+0301) must
        // fold like the precomposed é that ASCII folding handles.
        '\u{0300}'..='\u{036F}'
        // Hebrew points and cantillation; U+05BE maqaf, U+05C0 paseq,
        // U+05C3 sof pasuq and U+05C6 are punctuation and stay separators.
        | '\u{0591}'..='\u{05BD}'
        | '\u{05BF}'
        | '\u{05C1}'..='\u{05C2}'
        | '\u{05C4}'..='\u{05C5}'
        | '\u{05C7}'
        // Arabic harakat, superscript alef, and the Quranic marks that
        // sometimes come with pasted text.
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
    )
}

/// The letter `c` is indexed as, or `None` to drop it.
fn normal_char(c: char) -> Option<char> {
    match c {
        // Persian text typed on an Arabic keyboard (and the reverse) uses
        // the Arabic yeh/kaf; Persian spelling is the one kept.
        '\u{064A}' | '\u{0649}' => Some('\u{06CC}'),
        '\u{0643}' => Some('\u{06A9}'),
        // Tatweel only stretches a word for layout.
        '\u{0640}' => None,
        // Russian writers mostly type е for ё; either finds the other.
        'ё' => Some('е'),
        'Ё' => Some('Е'),
        // Arabic-Indic and Persian digits: an order number is one number.
        '\u{0660}'..='\u{0669}' => char::from_u32(u32::from(c) - 0x0660 + u32::from('0')),
        '\u{06F0}'..='\u{06F9}' => char::from_u32(u32::from(c) - 0x06F0 + u32::from('0')),
        c if is_ignored_mark(c) => None,
        c => Some(c),
    }
}

/// Writes the normal form of `word` into `out` (cleared first).
pub(super) fn normalise_into(word: &str, out: &mut String) {
    out.clear();
    out.extend(word.chars().filter_map(normal_char));
}

/// The normal form of `word` (the tests' view of [`normalise_into`]).
#[cfg(test)]
fn normalise(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalise_into(word, &mut out);
    out
}

/// The token filter applying [`normalise`]; drops tokens left empty (a
/// run of tatweel).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct NormaliseFilter;

impl TokenFilter for NormaliseFilter {
    type Tokenizer<T: Tokenizer> = NormaliseTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> NormaliseTokenizer<T> {
        NormaliseTokenizer {
            inner,
            buffer: String::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct NormaliseTokenizer<T> {
    inner: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for NormaliseTokenizer<T> {
    type TokenStream<'a> = NormaliseStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NormaliseStream {
            tail: self.inner.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

pub(super) struct NormaliseStream<'a, T> {
    tail: T,
    buffer: &'a mut String,
}

impl<T: TokenStream> TokenStream for NormaliseStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token_mut();
            // ASCII has nothing to normalise: the common case stays cheap.
            if !token.text.is_ascii() {
                normalise_into(&token.text, self.buffer);
                mem::swap(&mut token.text, self.buffer);
            }
            if !token.text.is_empty() {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn arabic_yeh_and_kaf_take_the_persian_form() {
        assert_eq!(normalise("علي"), "علی");
        assert_eq!(normalise("مصطفى"), "مصطفی");
        assert_eq!(normalise("كتاب"), "کتاب");
        assert_eq!(normalise("کتاب"), "کتاب");
    }

    #[test]
    fn tatweel_and_harakat_are_dropped() {
        assert_eq!(normalise("الكتـــاب"), "الکتاب");
        assert_eq!(normalise("مُفِيدٌ"), "مفید");
        assert_eq!(normalise("هٰذا"), "هذا");
        assert_eq!(normalise("ـــ"), "");
    }

    #[test]
    fn hebrew_points_go_and_letters_stay() {
        assert_eq!(normalise("שָׁלוֹם"), "שלום");
        assert_eq!(normalise("בְּרֵאשִׁית"), "בראשית");
        assert_eq!(normalise("שלום"), "שלום");
        // Maqaf is a separator, not a mark: the tokenizer splits on it and
        // the filter never drops it.
        assert_eq!(normalise("\u{05BE}"), "\u{05BE}");
    }

    #[test]
    fn russian_yo_and_eastern_digits() {
        assert_eq!(normalise("ёлка"), "елка");
        assert_eq!(normalise("٤٢"), "42");
        assert_eq!(normalise("۱۲۳"), "123");
    }

    #[test]
    fn other_scripts_and_nfd_accents() {
        for same in ["password", "заказ", "Վերադարձ", "日本語", "cafe"] {
            assert_eq!(normalise(same), same);
        }
        assert_eq!(normalise("re\u{0301}sume\u{0301}"), "resume");
    }
}
