//! The email answering a message left while nobody was online: kept pure
//! (no SMTP) so its wording is tested on its own and reused by any sender.

/// The subject and plain-text body answering an offline message.
///
/// The case code sits in the subject and the body so that a reply, or a
/// new message quoting it, finds the same case; the chat link lets the
/// visitor continue where the history is.
pub fn offline_answer(
    site_name: &str,
    case_code: &str,
    agent_name: Option<&str>,
    answer: &str,
    chat_url: Option<&str>,
) -> (String, String) {
    let site = one_line(site_name);
    let case = one_line(case_code);
    let subject = match (site.is_empty(), case.is_empty()) {
        (false, false) => format!("Re: your message to {site} [{case}]"),
        (true, false) => format!("Re: your message [{case}]"),
        (false, true) => format!("Re: your message to {site}"),
        (true, true) => "Re: your message".to_owned(),
    };

    let mut text = answer.trim().replace("\r\n", "\n");
    text.push_str("\n\n");
    let agent = agent_name.map(one_line).filter(|a| !a.is_empty());
    match (agent, site.is_empty()) {
        (Some(agent), false) => text.push_str(&format!("-- {agent}, {site}\n")),
        (Some(agent), true) => text.push_str(&format!("-- {agent}\n")),
        (None, false) => text.push_str(&format!("-- {site}\n")),
        (None, true) => {}
    }
    if !case.is_empty() {
        text.push_str(&format!(
            "\nYour case number is {case}. Please quote it if you write to us about this.\n"
        ));
    }
    if let Some(url) = chat_url.map(str::trim).filter(|u| !u.is_empty()) {
        text.push_str(&format!("Continue the conversation: {url}\n"));
    }
    (subject, text)
}

/// Names from the store end up in a header: line breaks there would start
/// new headers, so every run of whitespace becomes one space.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_offline_answer_has_case_agent_and_link() {
        let (subject, text) = offline_answer(
            "Acme",
            "CASE-1001",
            Some("Sara"),
            "پاسخ ما به پیام شما\nSecond line.",
            Some("https://chat.example.com/c/abc"),
        );
        assert_eq!(subject, "Re: your message to Acme [CASE-1001]");
        assert!(text.starts_with("پاسخ ما به پیام شما\nSecond line.\n\n"));
        assert!(text.contains("-- Sara, Acme\n"));
        assert!(text.contains("CASE-1001. Please quote it"));
        assert!(text.ends_with("Continue the conversation: https://chat.example.com/c/abc\n"));
    }

    #[test]
    fn mail_offline_answer_without_agent_or_link() {
        let (subject, text) = offline_answer("Acme", "CASE-7", None, "  Thanks!  ", None);
        assert_eq!(subject, "Re: your message to Acme [CASE-7]");
        assert_eq!(
            text,
            "Thanks!\n\n-- Acme\n\nYour case number is CASE-7. \
             Please quote it if you write to us about this.\n"
        );
        let (_, blank_link) = offline_answer("Acme", "CASE-7", Some(" "), "x", Some(" "));
        assert!(!blank_link.contains("Continue"));
        assert!(blank_link.contains("-- Acme\n"));
    }

    #[test]
    fn mail_offline_answer_keeps_line_breaks_out_of_the_subject() {
        let (subject, text) = offline_answer(
            "Evil\r\nBcc: x@example.com",
            "CASE-1\n2",
            Some("A\nB"),
            "a",
            None,
        );
        assert_eq!(
            subject,
            "Re: your message to Evil Bcc: x@example.com [CASE-1 2]"
        );
        assert!(!subject.contains(['\r', '\n']));
        assert!(text.contains("-- A B, Evil Bcc: x@example.com\n"));
    }

    #[test]
    fn mail_offline_answer_without_site_name() {
        let (subject, text) = offline_answer("", "CASE-1001", Some("Sara"), "Hi", None);
        assert_eq!(subject, "Re: your message [CASE-1001]");
        assert!(text.contains("-- Sara\n"));
        let (bare, _) = offline_answer(" ", "", None, "Hi", None);
        assert_eq!(bare, "Re: your message");
    }
}
