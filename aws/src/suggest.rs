//! "Did you mean": the closest known name to a misspelled one.

/// The candidate closest to `input`, if it is close enough to be a typo.
pub fn closest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let input = input.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&input, &c.to_ascii_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.len().max(input.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A sentence for a `help:` line: the suggestion if there is one, else the list.
pub fn help(input: &str, what: &str, candidates: &[&str]) -> String {
    let list = candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
    match closest(input, candidates) {
        Some(best) => format!("did you mean `{best}`? known {what}: {list}"),
        None => format!("known {what}: {list}"),
    }
}

/// Levenshtein distance over bytes; names here are ASCII identifiers.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name() {
        assert_eq!(closest("memroy", &["memory", "timeout"]), Some("memory"));
        assert_eq!(closest("sqss", &["sqs", "sns", "schedule"]), Some("sqs"));
        assert_eq!(closest("banana", &["memory", "timeout"]), None);
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
