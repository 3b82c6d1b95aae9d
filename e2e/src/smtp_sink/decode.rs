//! Undoing what a mail client does to text on the way (header folding,
//! RFC 2047 words, quoted-printable and base64 bodies) so tests compare
//! the words a person would read. Only UTF-8 and ASCII charsets.

/// Header fields (unfolded, words decoded) and the decoded body.
pub(super) fn message(raw: &[u8]) -> (Vec<(String, String)>, String) {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .or_else(|| text.split_once("\n\n"))
        .unwrap_or((&text, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    for (_, value) in &mut headers {
        *value = words(value);
    }
    let encoding = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Transfer-Encoding"))
        .map(|(_, v)| v.to_ascii_lowercase());
    let bytes = match encoding.as_deref() {
        Some("quoted-printable") => quoted_printable(body.as_bytes(), false),
        Some("base64") => base64(body).unwrap_or_else(|| body.as_bytes().to_vec()),
        _ => body.as_bytes().to_vec(),
    };
    let body = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
    (headers, body)
}

/// A header value with its `=?utf-8?b?...?=` / `?q?` words decoded; the
/// blanks between two such words go (RFC 2047 §6.2), others stay.
fn words(value: &str) -> String {
    let mut out = String::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut gap = String::new();
    let mut after_word = false;
    for token in value.split_inclusive([' ', '\t']) {
        let word = token.trim_end_matches([' ', '\t']);
        match encoded_word(word) {
            Some(bytes) => {
                if !after_word {
                    out.push_str(&gap);
                }
                gap.clear();
                // Bytes of consecutive words join before UTF-8 decoding:
                // a character may be split across two words.
                pending.extend(bytes);
                after_word = true;
            }
            None => {
                out.push_str(&String::from_utf8_lossy(&std::mem::take(&mut pending)));
                out.push_str(&std::mem::take(&mut gap));
                out.push_str(word);
                after_word = false;
            }
        }
        gap.push_str(&token[word.len()..]);
    }
    out.push_str(&String::from_utf8_lossy(&pending));
    out.trim_end().to_owned()
}

fn encoded_word(word: &str) -> Option<Vec<u8>> {
    let inner = word.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut parts = inner.splitn(3, '?');
    let (charset, kind, text) = (parts.next()?, parts.next()?, parts.next()?);
    let charset = charset.to_ascii_lowercase();
    if charset != "utf-8" && charset != "us-ascii" {
        return None;
    }
    match kind {
        "b" | "B" => base64(text),
        "q" | "Q" => Some(quoted_printable(text.as_bytes(), true)),
        _ => None,
    }
}

/// Quoted-printable; `header` also reads `_` as a space (the Q encoding).
fn quoted_printable(text: &[u8], header: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'=' if text[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' if text[i + 1..].starts_with(b"\n") => i += 2,
            b'=' => match text.get(i + 1..i + 3).and_then(hex_byte) {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                }
                None => {
                    out.push(b'=');
                    i += 1;
                }
            },
            b'_' if header => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()
}

/// Standard base64, whitespace ignored, padding optional.
pub(super) fn base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Base64 of UTF-8 text (the SASL answers).
pub(super) fn base64_text(text: &str) -> Option<String> {
    String::from_utf8(base64(text)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_known_values() {
        assert_eq!(
            base64_text("AHVzZXIAcGFzcw==").as_deref(),
            Some("\0user\0pass")
        );
        assert_eq!(base64_text("VXNlcm5hbWU6").as_deref(), Some("Username:"));
        assert_eq!(base64("a*b"), None);
    }

    #[test]
    fn words_join_split_characters_and_keep_plain_text() {
        // "پاسخ" split mid-character across two words.
        let value = "Re: =?utf-8?b?2b7Y?= =?utf-8?b?p9iz2K4=?= [CASE-1]";
        assert_eq!(words(value), "Re: پاسخ [CASE-1]");
        assert_eq!(words("=?UTF-8?Q?caf=C3=A9_ok?="), "café ok");
        assert_eq!(words("plain  two"), "plain  two");
    }

    #[test]
    fn quoted_printable_body_and_folded_headers() {
        let raw = b"Subject: a\r\n b\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=D9=BE=\r\nx\r\n";
        let (headers, body) = message(raw);
        assert_eq!(headers[0], ("Subject".into(), "a b".into()));
        assert_eq!(body, "پx\n");
    }
}
