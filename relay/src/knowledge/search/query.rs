//! A visitor's words turned into a tantivy query, built by hand from
//! analyzed tokens: tantivy's query syntax (`title:`, `AND`, `(`, `*`)
//! never reaches user input, so no query can fail to parse.
//!
//! Every word is optional (OR): a question in a visitor's own words
//! ("how do I reset my password") still finds the article, and BM25 ranks
//! the articles matching more of the words, and rarer ones, first. Each
//! word matches exactly (BM25), within a small edit distance (typos, a
//! constant lower score) and, for the last word, as a prefix (search as
//! you type). Title clauses are boosted over body clauses.

use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Score, Term};

use super::analysis::{terms, Family};
use super::fields::Fields;

/// Words past this are ignored: each word costs a few automata per field.
pub(super) const MAX_WORDS: usize = 12;
/// A last word shorter than this is not expanded as a prefix: one letter
/// would match most of the index.
const MIN_PREFIX_CHARS: usize = 2;
const TITLE_BOOST: Score = 2.5;
/// Fuzzy and prefix matches score a constant; kept below a typical exact
/// match so the word as typed wins.
const LOOSE_BOOST: Score = 0.5;

/// Edits forgiven in a word of `chars` characters: none below 4, one up
/// to 7, two from 8 (a transposition counts as one).
pub(super) fn fuzzy_distance(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// One query word, analyzed for every family searched.
#[derive(Debug, Clone)]
struct Word {
    /// Normalised but not stemmed: the prefix typed so far.
    plain: String,
    /// The stemmed term per family searched.
    stems: Vec<(Family, String)>,
    distance: u8,
    prefix: bool,
}

/// The analyzed query.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    words: Vec<Word>,
}

impl Plan {
    /// Analyzes `query` (already capped in characters) for `families`.
    /// `analyzers` are indexed by [`Family::index`].
    pub(super) fn new(query: &str, families: &[Family], analyzers: &[TextAnalyzer; 3]) -> Self {
        let analyze = |family: Family| {
            let mut analyzer = analyzers[family.index()].clone();
            let mut words = terms(&mut analyzer, query);
            words.truncate(MAX_WORDS);
            words
        };
        let plain = analyze(Family::Plain);
        let stemmed: Vec<(Family, Vec<String>)> =
            families.iter().map(|f| (*f, analyze(*f))).collect();
        let last = plain.len().saturating_sub(1);
        let words = plain
            .into_iter()
            .enumerate()
            .map(|(i, plain)| {
                let chars = plain.chars().count();
                Word {
                    // The same tokenizer and filters up to the stemmer: the
                    // i-th term of every family is the same word.
                    stems: stemmed
                        .iter()
                        .map(|(f, terms)| (*f, terms.get(i).unwrap_or(&plain).clone()))
                        .collect(),
                    distance: fuzzy_distance(chars),
                    prefix: i == last && chars >= MIN_PREFIX_CHARS,
                    plain,
                }
            })
            .collect();
        Self { words }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Matches an article with any of the words, in any searched family.
    pub(super) fn query(&self, fields: &Fields) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &self.words {
            for (family, stem) in &word.stems {
                let searched = fields.searched(*family);
                clauses.push((
                    Occur::Should,
                    boost(word.clauses(searched.title, stem), TITLE_BOOST),
                ));
                clauses.push((Occur::Should, word.clauses(searched.text, stem)));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// How well an indexed `term` of an article of `family` matches the
    /// query, if it does: the same rule as [`Plan::query`], for marking
    /// the words of a snippet.
    pub(super) fn term_score(&self, family: Family, term: &str) -> Option<Score> {
        self.words
            .iter()
            .filter_map(|word| {
                let stem = word
                    .stems
                    .iter()
                    .find(|(f, _)| *f == family)
                    .map_or(word.plain.as_str(), |(_, s)| s.as_str());
                if term == stem {
                    Some(1.0)
                } else if within_edits(term, stem, word.distance)
                    || (word.prefix && term.starts_with(word.plain.as_str()))
                {
                    Some(LOOSE_BOOST)
                } else {
                    None
                }
            })
            .reduce(Score::max)
    }
}

impl Word {
    fn clauses(&self, field: Field, stem: &str) -> Box<dyn Query> {
        let exact = Term::from_field_text(field, stem);
        let mut any: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Should,
            Box::new(TermQuery::new(exact.clone(), IndexRecordOption::WithFreqs)),
        )];
        if self.distance > 0 {
            let fuzzy = FuzzyTermQuery::new(exact, self.distance, true);
            any.push((Occur::Should, boost(Box::new(fuzzy), LOOSE_BOOST)));
        }
        if self.prefix {
            let typed = Term::from_field_text(field, &self.plain);
            let prefix = FuzzyTermQuery::new_prefix(typed, 0, true);
            any.push((Occur::Should, boost(Box::new(prefix), LOOSE_BOOST)));
        }
        Box::new(BooleanQuery::new(any))
    }
}

fn boost(query: Box<dyn Query>, by: Score) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, by))
}

/// Whether `a` is at most `max` edits from `b` (insert, delete, replace,
/// or swap two neighbours: the optimal string alignment distance, which is
/// what tantivy's Levenshtein automaton with transpositions accepts).
fn within_edits(a: &str, b: &str, max: u8) -> bool {
    let max = usize::from(max);
    if max == 0 {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    // Rows i-2, i-1 and i of the distance table.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        if row.iter().all(|d| *d > max) {
            return false;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::{fuzzy_distance, within_edits};

    #[test]
    fn short_words_are_exact_and_long_words_forgive_more() {
        assert_eq!(fuzzy_distance(3), 0);
        assert_eq!(fuzzy_distance(4), 1);
        assert_eq!(fuzzy_distance(7), 1);
        assert_eq!(fuzzy_distance(8), 2);
        assert_eq!(fuzzy_distance(30), 2);
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one() {
        assert!(within_edits("pasword", "password", 1));
        assert!(within_edits("refnud", "refund", 1));
        assert!(within_edits("заказ", "закза", 1));
        assert!(!within_edits("refnud", "refund", 0));
        assert!(!within_edits("cat", "dog", 2));
        assert!(within_edits("pssword", "pasword", 2));
        assert!(!within_edits("passw", "password", 2));
    }
}
