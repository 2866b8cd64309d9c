//! HTTP API route paths: `/orders/{id}`, `/files/{key+}`.

/// What a valid path binds: its parameters, in order.
#[derive(Debug, PartialEq)]
pub struct RoutePath {
    pub params: Vec<String>,
}

/// Parses a route path, or says what is wrong and how to fix it.
pub fn parse(path: &str) -> Result<RoutePath, crate::Mistake> {
    let Some(rest) = path.strip_prefix('/') else {
        let help = match parse(&format!("/{path}")) {
            Ok(_) => format!("write `/{path}`"),
            Err(_) => "start it with `/`, as in `/orders/{id}`".to_owned(),
        };
        return Err((format!("route path `{path}` must start with `/`"), help));
    };
    let mut params: Vec<String> = Vec::new();
    if rest.is_empty() {
        return Ok(RoutePath { params });
    }
    let segments: Vec<&str> = rest.split('/').collect();
    for (index, segment) in segments.iter().enumerate() {
        let last = index + 1 == segments.len();
        if segment.is_empty() {
            let fixed =
                format!("/{}", segments.iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("/"));
            return Err((
                format!("route path `{path}` has an empty segment"),
                format!("remove the extra `/`: `{fixed}`"),
            ));
        }
        let opens = segment.matches('{').count();
        let closes = segment.matches('}').count();
        if opens == 0 && closes == 0 {
            if let Some(bad) = segment.chars().find(|c| !(c.is_ascii_alphanumeric() || "-._~:@".contains(*c))) {
                return Err((
                    format!("`{bad}` is not allowed in route path `{path}`"),
                    "use letters, digits and `-` `.` `_` `~` in segments, and `{name}` for parameters".to_owned(),
                ));
            }
            continue;
        }
        let param = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|inner| opens == 1 && closes == 1 && !inner.is_empty());
        let Some(param) = param else {
            return Err((
                format!("unbalanced or misplaced braces in segment `{segment}` of `{path}`"),
                "a parameter is a whole segment: `/orders/{id}`".to_owned(),
            ));
        };
        let (name, greedy) = match param.strip_suffix('+') {
            Some(name) => (name, true),
            None => (param, false),
        };
        if greedy && !last {
            return Err((
                format!("greedy parameter `{{{param}}}` must be the last segment of `{path}`"),
                "move it to the end: `/files/{key+}`".to_owned(),
            ));
        }
        let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name {
            return Err((
                format!("`{name}` is not a valid parameter name in `{path}`"),
                "name parameters like Rust identifiers: `{order_id}`".to_owned(),
            ));
        }
        if params.iter().any(|p| p == name) {
            return Err((
                format!("parameter `{{{name}}}` appears twice in `{path}`"),
                "give each parameter its own name: `/users/{user_id}/orders/{order_id}`".to_owned(),
            ));
        }
        params.push(name.to_owned());
    }
    Ok(RoutePath { params })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn binds_parameters_in_order() {
        assert_eq!(parse("/").unwrap().params, Vec::<String>::new());
        assert_eq!(parse("/orders").unwrap().params, Vec::<String>::new());
        assert_eq!(parse("/users/{user}/orders/{id}").unwrap().params, ["user", "id"]);
        assert_eq!(parse("/files/{key+}").unwrap().params, ["key"]);
    }

    #[test]
    fn rejects_bad_paths() {
        for bad in [
            "orders",
            "/orders/",
            "/orders//x",
            "/orders/{id",
            "/orders/id}",
            "/orders/{}",
            "/orders/{a}{b}",
            "/orders/x{id}",
            "/a/{id}/b/{id}",
            "/files/{key+}/meta",
            "/orders/{1d}",
            "/orders?x=1",
            "/ünï",
        ] {
            assert!(parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
