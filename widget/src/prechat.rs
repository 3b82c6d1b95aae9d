//! The pre-chat form's rules, apart from the screen: whether the widget
//! asks for details before it starts a conversation, what the typed fields
//! become, and which field each problem is about (for `aria-invalid` and
//! the inline message). Validation itself is `PrechatDetails::check`, the
//! same the relay applies. Pure: tested natively.

use shared::card::{DetailsProblem, PrechatDetails};

use crate::i18n::Catalog;

/// What decides whether the form comes before a conversation starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Gate {
    /// The welcome said `prechat_form`.
    pub(crate) site_asks: bool,
    /// The visitor already has conversations (in the welcome or on screen):
    /// the form is for a first contact only.
    pub(crate) has_history: bool,
    /// The relay accepted details from this visitor token before (remembered
    /// across reloads).
    pub(crate) given: bool,
    /// The relay refused a start on this page for want of good details.
    pub(crate) relay_asked: bool,
}

/// How the next `start` goes out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Start {
    /// Send it now, with these details (if any).
    Now(Option<PrechatDetails>),
    /// Show the form; the message waits in the outbox meanwhile.
    AskFirst,
}

impl Gate {
    pub(crate) fn must_ask(&self) -> bool {
        !self.given && (self.relay_asked || (self.site_asks && !self.has_history))
    }

    /// The start to make, given the details submitted and not yet accepted.
    pub(crate) fn start(&self, submitted: Option<PrechatDetails>) -> Start {
        match submitted {
            Some(details) => Start::Now(Some(details)),
            None if self.must_ask() => Start::AskFirst,
            None => Start::Now(None),
        }
    }
}

/// The form on screen: what was typed (kept when the relay refuses it) and
/// the relay's reason, if it refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ask {
    pub(crate) draft: PrechatDetails,
    pub(crate) refused: Option<String>,
}

/// The id of the "email or phone is enough" hint.
pub(crate) const HINT_ID: &str = "sb-pf-hint";

/// The form's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Name,
    Email,
    Phone,
}

impl Field {
    /// The id of the field's inline error, for `aria-describedby`.
    pub(crate) fn error_id(self) -> &'static str {
        match self {
            Self::Name => "sb-pf-name-error",
            Self::Email => "sb-pf-email-error",
            Self::Phone => "sb-pf-phone-error",
        }
    }
}

/// The typed fields as details: trimmed, blanks left out.
pub(crate) fn details(name: &str, email: &str, phone: &str) -> PrechatDetails {
    let given = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    PrechatDetails {
        name: given(name),
        email: given(email),
        phone: given(phone),
    }
}

/// Whether `field` is marked invalid for `problem`.
pub(crate) fn blames(problem: DetailsProblem, field: Field) -> bool {
    match problem {
        DetailsProblem::NameTooLong => field == Field::Name,
        DetailsProblem::BadEmail => field == Field::Email,
        DetailsProblem::BadPhone => field == Field::Phone,
        DetailsProblem::NoContactWay => field != Field::Name,
    }
}

/// The field under which the message shows: "email or phone" once, after
/// both, since either one would do.
pub(crate) fn shown_under(problem: DetailsProblem) -> Field {
    match problem {
        DetailsProblem::NameTooLong => Field::Name,
        DetailsProblem::BadEmail => Field::Email,
        DetailsProblem::BadPhone | DetailsProblem::NoContactWay => Field::Phone,
    }
}

/// A field's `aria-describedby`: the hint (email and phone), and the
/// message about it when there is one. Whole strings, not joined ids: a
/// `&'static str` attribute keeps the wasm small.
pub(crate) fn described_by(field: Field, problem: Option<DetailsProblem>) -> Option<&'static str> {
    let error = problem.filter(|p| blames(*p, field)).map(shown_under);
    match (field, error) {
        (Field::Name, Some(_)) => Some("sb-pf-name-error"),
        (Field::Name, None) => None,
        (_, Some(Field::Email)) => Some("sb-pf-hint sb-pf-email-error"),
        (_, Some(_)) => Some("sb-pf-hint sb-pf-phone-error"),
        (_, None) => Some(HINT_ID),
    }
}

/// The first field (in form order) to put right, for focus.
pub(crate) fn first_blamed(problem: DetailsProblem) -> Field {
    [Field::Name, Field::Email, Field::Phone]
        .into_iter()
        .find(|f| blames(problem, *f))
        .unwrap_or(Field::Email)
}

/// The localized inline message.
pub(crate) fn explain(strings: &Catalog, problem: DetailsProblem) -> &'static str {
    match problem {
        DetailsProblem::NameTooLong => strings.problem_name_too_long,
        DetailsProblem::BadEmail => strings.problem_bad_email,
        DetailsProblem::BadPhone => strings.problem_bad_phone,
        DetailsProblem::NoContactWay => strings.problem_no_contact_way,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::catalog;

    fn gate(site_asks: bool, has_history: bool, given: bool) -> Gate {
        Gate {
            site_asks,
            has_history,
            given,
            relay_asked: false,
        }
    }

    #[test]
    fn the_form_comes_first_only_for_a_first_contact_on_a_site_that_asks() {
        assert_eq!(gate(true, false, false).start(None), Start::AskFirst);
        assert_eq!(gate(false, false, false).start(None), Start::Now(None));
        assert_eq!(gate(true, true, false).start(None), Start::Now(None));
        assert_eq!(gate(true, false, true).start(None), Start::Now(None));
    }

    #[test]
    fn submitted_details_go_with_the_start() {
        let given = details("Ada", "ada@example.com", "");
        assert_eq!(
            gate(true, false, false).start(Some(given.clone())),
            Start::Now(Some(given))
        );
    }

    #[test]
    fn a_refusal_asks_again_even_where_the_widget_would_not() {
        let refused = Gate {
            relay_asked: true,
            ..gate(false, true, false)
        };
        assert_eq!(refused.start(None), Start::AskFirst);
    }

    #[test]
    fn fields_are_trimmed_and_blanks_left_out() {
        let d = details("  Ada ", " ", "+44 20 7946 0958");
        assert_eq!(d.name.as_deref(), Some("Ada"));
        assert_eq!(d.email, None);
        assert_eq!(d.phone.as_deref(), Some("+44 20 7946 0958"));
        assert_eq!(d.check(), Ok(()));
        assert_eq!(
            details("Ada", "", "").check(),
            Err(DetailsProblem::NoContactWay)
        );
    }

    #[test]
    fn each_problem_marks_its_fields_and_says_why() {
        let no_way = DetailsProblem::NoContactWay;
        assert!(!blames(no_way, Field::Name));
        assert!(blames(no_way, Field::Email) && blames(no_way, Field::Phone));
        assert_eq!(shown_under(no_way), Field::Phone);
        assert_eq!(first_blamed(no_way), Field::Email);
        assert_eq!(first_blamed(DetailsProblem::BadPhone), Field::Phone);
        assert!(blames(DetailsProblem::NameTooLong, Field::Name));
        assert_eq!(described_by(Field::Name, None), None);
        assert_eq!(described_by(Field::Email, None), Some(HINT_ID));
        assert_eq!(
            described_by(Field::Email, Some(no_way)),
            Some("sb-pf-hint sb-pf-phone-error")
        );
        // Every id named is one the form has.
        for problem in [
            DetailsProblem::NameTooLong,
            DetailsProblem::BadEmail,
            DetailsProblem::BadPhone,
            no_way,
        ] {
            for field in [Field::Name, Field::Email, Field::Phone] {
                let ids = described_by(field, Some(problem)).unwrap_or_default();
                let known = [HINT_ID, shown_under(problem).error_id()];
                assert!(ids
                    .split(' ')
                    .all(|id| id.is_empty() || known.contains(&id)));
            }
        }
        let en = catalog("en");
        assert_eq!(
            explain(en, DetailsProblem::BadEmail),
            "This email address does not look right."
        );
    }
}
