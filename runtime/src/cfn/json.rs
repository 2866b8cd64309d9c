//! Templates as pretty JSON, written straight from the types.
//!
//! A big app's synth writes megabytes of templates and, before that, needs
//! every resource's share of its template to lay the app out. So layout
//! writes each resource once, measures that text, and the template writer
//! copies it in unless wiring has since rewritten the resource. Neither pays
//! for `serde`'s per-value indirection. The layout is
//! `serde_json::to_string_pretty`'s (two-space indent, `": "` after keys), so
//! templates read as they always did; the golden template test holds the
//! bytes.

use super::value::sub_text;
use super::{CfnResource, LogicalId, Map, Output, Parameter, Part, Template, Value};
use std::collections::BTreeMap;

/// The whole template, with a trailing newline: the bytes written to disk.
pub(crate) fn template(template: &Template) -> String {
    template_reusing(template, &vec![None; template.resources.len()])
}

/// As [`template`], copying the text [`resource`] wrote for each resource
/// that has one in `written` (one entry per resource, in id order) rather
/// than writing it again.
pub(crate) fn template_reusing(template: &Template, written: &[Option<&str>]) -> String {
    assert_eq!(written.len(), template.resources.len(), "one entry per resource");
    let resources = template.resources.iter().zip(written).map(|((id, resource), written)| match written {
        Some(text) => (id, Entry::Written(text)),
        None => (id, Entry::Resource(resource)),
    });
    template_of(&template.description, &template.parameters, &template.outputs, resources)
}

/// One resource for the template writer.
pub(crate) enum Entry<'r> {
    /// Its JSON as [`resource`] wrote it.
    Written(&'r str),
    Resource(&'r CfnResource),
}

/// A template of these parts, its `resources` given in id order: what
/// [`template_reusing`] writes, from parts no [`Template`] holds yet.
pub(crate) fn template_of<'r>(
    description: &str,
    parameters: &BTreeMap<LogicalId, Parameter>,
    outputs: &BTreeMap<LogicalId, Output>,
    resources: impl ExactSizeIterator<Item = (&'r LogicalId, Entry<'r>)>,
) -> String {
    // About what resources take (600 to 700 bytes each in big apps), so the
    // text is rarely copied as it grows.
    let mut text = String::with_capacity(4096 + 768 * resources.len());
    let mut json = Pretty { out: &mut text, depth: 0 };
    let mut root = json.object();
    root.entry("AWSTemplateFormatVersion").string("2010-09-09");
    root.entry("Description").string(description);
    if !outputs.is_empty() {
        let mut entries = root.entry("Outputs").object();
        for (id, output) in outputs {
            entries.id_entry(id).output(output);
        }
        entries.end();
    }
    if !parameters.is_empty() {
        let mut entries = root.entry("Parameters").object();
        for (id, parameter) in parameters {
            entries.id_entry(id).parameter(parameter);
        }
        entries.end();
    }
    let mut entries = root.entry("Resources").object();
    for (id, entry) in resources {
        let json = entries.id_entry(id);
        match entry {
            Entry::Written(text) => json.out.push_str(text),
            Entry::Resource(resource) => json.resource(resource),
        }
    }
    entries.end();
    root.end();
    text.push('\n');
    text
}

/// Appends `resource` as a template's `Resources` holds it, returning the
/// bytes it adds to a template with its key, indent and separator.
pub(crate) fn resource(id: &LogicalId, resource: &CfnResource, out: &mut String) -> usize {
    let start = out.len();
    Pretty { out, depth: 2 }.resource(resource);
    // `    "Id": ` before it, `,\n` after.
    out.len() - start + id.as_str().len() + 10
}

/// Writes one value at some depth.
struct Pretty<'s> {
    out: &'s mut String,
    depth: usize,
}

/// An open object or array: entries are separated and indented as they come.
struct Open<'p, 's> {
    json: &'p mut Pretty<'s>,
    empty: bool,
    close: &'static str,
}

/// `,`, a line break and the indent of up to 64 levels: what goes between
/// two entries, copied with one call (a debug build pays for each).
const BREAK: &str = match std::str::from_utf8(&BREAK_BYTES) {
    Ok(text) => text,
    Err(_) => panic!("ASCII"),
};

const BREAK_BYTES: [u8; 130] = {
    let mut bytes = [b' '; 130];
    (bytes[0], bytes[1]) = (b',', b'\n');
    bytes
};

impl<'s> Pretty<'s> {
    /// A line break (after a comma if `comma`) and the current depth's indent.
    fn line_break(&mut self, comma: bool) {
        let from = if comma { 0 } else { 1 };
        let mut width = 2 * self.depth;
        let first = width.min(BREAK.len() - 2);
        self.out.push_str(&BREAK[from..2 + first]);
        width -= first;
        while width > 0 {
            let step = width.min(BREAK.len() - 2);
            self.out.push_str(&BREAK[2..2 + step]);
            width -= step;
        }
    }

    fn open(&mut self, bracket: &'static str, close: &'static str) -> Open<'_, 's> {
        self.out.push_str(bracket);
        self.depth += 1;
        Open { json: self, empty: true, close }
    }

    fn object(&mut self) -> Open<'_, 's> {
        self.open("{", "}")
    }

    fn array(&mut self) -> Open<'_, 's> {
        self.open("[", "]")
    }

    /// A logical id as a string: letters and digits, so nothing to escape.
    fn id(&mut self, id: &LogicalId) {
        self.out.push('"');
        self.out.push_str(id.as_str());
        self.out.push('"');
    }

    fn string(&mut self, text: &str) {
        self.out.push('"');
        escaped(self.out, text);
        self.out.push('"');
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(n) => self.out.push_str(itoa::Buffer::new().format(*n)),
            Value::Number(n) => self.out.push_str(&n.to_string()),
            Value::Str(text) => self.string(text),
            Value::List(items) => {
                let mut list = self.array();
                for item in items {
                    list.item().value(item);
                }
                list.end();
            }
            Value::Map(map) => self.map(map),
            Value::Ref(id) => self.single("Ref").id(id),
            Value::Pseudo(pseudo) => self.single("Ref").string(pseudo.name()),
            Value::GetAtt(id, attribute) => {
                let mut object = self.object();
                let mut pair = object.entry("Fn::GetAtt").array();
                pair.item().id(id);
                pair.item().string(attribute);
                pair.end();
                object.end();
            }
            Value::Sub(parts) if parts.iter().all(|p| matches!(p, Part::Text(_))) => {
                self.out.push('"');
                for part in parts {
                    if let Part::Text(text) = part {
                        escaped(self.out, text);
                    }
                }
                self.out.push('"');
            }
            Value::Sub(parts) => {
                let mut object = self.object();
                let json = object.entry("Fn::Sub");
                json.out.push('"');
                sub_text(parts, &mut |piece| escaped(json.out, piece));
                json.out.push('"');
                object.end();
            }
        }
    }

    fn map(&mut self, map: &Map) {
        let mut object = self.object();
        for (key, value) in map.iter() {
            object.entry(key).value(value);
        }
        object.end();
    }

    /// `{"key": ` .. `}` around what the caller writes next: an intrinsic.
    fn single(&mut self, key: &str) -> Single<'_, 's> {
        self.out.push('{');
        self.depth += 1;
        self.line_break(false);
        self.key(key);
        Single { json: self }
    }

    /// `"key": `.
    fn key(&mut self, key: &str) {
        self.out.push('"');
        escaped(self.out, key);
        self.out.push_str("\": ");
    }

    fn resource(&mut self, resource: &CfnResource) {
        let mut body = self.object();
        if !resource.depends_on.is_empty() {
            let mut list = body.entry("DependsOn").array();
            for id in &resource.depends_on {
                list.item().id(id);
            }
            list.end();
        }
        if resource.is_retained() {
            body.entry("DeletionPolicy").string("Retain");
        }
        body.entry("Properties").value(&resource.properties);
        body.entry("Type").string(&resource.kind);
        if resource.is_retained() {
            body.entry("UpdateReplacePolicy").string("Retain");
        }
        body.end();
    }

    fn parameter(&mut self, parameter: &Parameter) {
        let mut body = self.object();
        if let Some(default) = &parameter.default {
            body.entry("Default").string(default);
        }
        body.entry("Description").string(&parameter.description);
        body.entry("Type").string("String");
        body.end();
    }

    fn output(&mut self, output: &Output) {
        let mut body = self.object();
        body.entry("Description").string(&output.description);
        body.entry("Value").value(&output.value);
        body.end();
    }
}

/// The value of a one-key object, closed when dropped.
struct Single<'p, 's> {
    json: &'p mut Pretty<'s>,
}

impl Single<'_, '_> {
    fn string(self, text: &str) {
        self.json.string(text);
    }

    fn id(self, id: &LogicalId) {
        self.json.id(id);
    }
}

impl Drop for Single<'_, '_> {
    fn drop(&mut self) {
        self.json.depth -= 1;
        self.json.line_break(false);
        self.json.out.push('}');
    }
}

impl<'s> Open<'_, 's> {
    fn next(&mut self) -> &mut Pretty<'s> {
        self.json.line_break(!self.empty);
        self.empty = false;
        self.json
    }

    /// Starts the value of `key`.
    fn entry(&mut self, key: &str) -> &mut Pretty<'s> {
        let json = self.next();
        json.key(key);
        json
    }

    /// Starts the value of a logical id's entry.
    fn id_entry(&mut self, id: &LogicalId) -> &mut Pretty<'s> {
        let json = self.next();
        json.id(id);
        json.out.push_str(": ");
        json
    }

    /// Starts the next item of an array.
    fn item(&mut self) -> &mut Pretty<'s> {
        self.next()
    }

    fn end(self) {
        self.json.depth -= 1;
        if !self.empty {
            self.json.line_break(false);
        }
        self.json.out.push_str(self.close);
    }
}

/// Which bytes a JSON string escapes: `"`, `\\` and the control characters.
const ESCAPES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Whether any byte of `word` is one JSON escapes: below `0x20`, `"` or
/// `\\`. Bytewise tests on the whole word: byte `b` is below `n` where
/// `b - n` borrows into its top bit and `b`'s own top bit is clear, and is
/// `c` where `b ^ c` is below 1. Written out, as a debug build calls every
/// helper.
const fn any_escaped(word: u64) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const TOPS: u64 = ONES << 7;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = (word ^ QUOTES).wrapping_sub(ONES) & !(word ^ QUOTES);
    let backslash = (word ^ BACKSLASHES).wrapping_sub(ONES) & !(word ^ BACKSLASHES);
    (control | quote | backslash) & TOPS != 0
}

/// `text` inside a JSON string, escaped as `serde_json` escapes it.
fn escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    // A plain index loop: synth also runs as a debug build, where each
    // helper (an iterator adapter) is a call. Eight bytes are checked at a
    // time while none needs escaping, as in most strings.
    let mut at = 0;
    while at < bytes.len() {
        if let Some(word) = bytes[at..].first_chunk::<8>() {
            if !any_escaped(u64::from_le_bytes(*word)) {
                at += 8;
                continue;
            }
        }
        let byte = bytes[at];
        if !ESCAPES[byte as usize] {
            at += 1;
            continue;
        }
        out.push_str(&text[start..at]);
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = [b'\\', b'u', b'0', b'0', HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]];
                out.push_str(std::str::from_utf8(&code).expect("ASCII"));
            }
        }
        at += 1;
        start = at;
    }
    out.push_str(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cfn::{Pseudo, Removal};
    use std::borrow::Cow;

    fn sample() -> Template {
        let id = LogicalId::new(&["Orders", "Queue"]);
        let mut template =
            Template { description: "an \"app\"\twith\u{1} odd\\ text é".into(), ..Template::default() };
        let properties = Value::map([
            ("Arn", Value::get_att(&id, "Arn")),
            ("Url", Value::reference(&id)),
            ("Region", Value::Pseudo(Pseudo::Region)),
            ("Sub", Value::Sub(vec!["arn:".into(), Pseudo::Partition.into(), Part::Ref(id.clone()), "/${x}\n".into()])),
            ("Text", Value::Sub(vec!["arn:aws:s3:::".into(), "legacy/${x}".into()])),
            ("Empty", Value::map(Vec::<(&str, Value)>::new())),
            ("None", Value::list([])),
            (
                "Nested",
                Value::list([Value::from(1), Value::Int(-42), Value::Null, Value::from(true), Value::Bool(false)]),
            ),
            ("Number", Value::Number(serde_json::Number::from_f64(0.5).unwrap())),
        ]);
        let resource = CfnResource::new("AWS::SQS::Queue", properties)
            .holding_data(&["FifoQueue"], Removal::Retain)
            .depends_on(&LogicalId::new(&["Other"]));
        template.resources.insert(id.clone(), resource);
        template.resources.insert(LogicalId::new(&["Plain"]), CfnResource::new("AWS::SNS::Topic", Value::Null));
        template.parameters.insert(
            LogicalId::new(&["CodeBucket"]),
            Parameter { description: Cow::Borrowed("where"), default: Some("b".into()) },
        );
        template.outputs.insert(id.clone(), Output { description: "its URL".into(), value: Value::reference(&id) });
        template
    }

    #[test]
    fn writes_each_part_of_a_template_as_cloudformation_reads_it() {
        let written = super::template(&sample());
        assert!(written.ends_with("}\n"));
        let json: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "AWSTemplateFormatVersion": "2010-09-09",
                "Description": "an \"app\"\twith\u{1} odd\\ text é",
                "Outputs": {"OrdersQueue": {"Description": "its URL", "Value": {"Ref": "OrdersQueue"}}},
                "Parameters": {"CodeBucket": {"Default": "b", "Description": "where", "Type": "String"}},
                "Resources": {
                    "OrdersQueue": {
                        "DependsOn": ["Other"],
                        "DeletionPolicy": "Retain",
                        "Properties": {
                            "Arn": {"Fn::GetAtt": ["OrdersQueue", "Arn"]},
                            "Url": {"Ref": "OrdersQueue"},
                            "Region": {"Ref": "AWS::Region"},
                            "Sub": {"Fn::Sub": "arn:${AWS::Partition}${OrdersQueue}/${!x}\n"},
                            "Text": "arn:aws:s3:::legacy/${x}",
                            "Empty": {},
                            "None": [],
                            "Nested": [1, -42, null, true, false],
                            "Number": 0.5,
                        },
                        "Type": "AWS::SQS::Queue",
                        "UpdateReplacePolicy": "Retain",
                    },
                    "Plain": {"Properties": null, "Type": "AWS::SNS::Topic"},
                },
            })
        );
        // serde_json's pretty layout, so the files read as they always did:
        // what it prints of the parsed value is the same text but for the
        // order of the keys it sorts.
        let reprinted = serde_json::to_string_pretty(&json).unwrap();
        let lines = |text: &str| {
            let mut lines: Vec<String> = text.lines().map(|l| l.trim_end_matches(',').to_owned()).collect();
            lines.sort();
            lines
        };
        assert_eq!(lines(&written), lines(&reprinted));
        assert!(
            written.contains("\"Empty\": {},\n") && written.contains("\"DependsOn\": [\n        \"Other\"\n      ],")
        );
    }

    #[test]
    fn indents_values_nested_deeper_than_one_copy_reaches_as_serde_json_does() {
        let mut value = Value::map([("Leaf", Value::from("x"))]);
        let mut json = serde_json::json!({"Leaf": "x"});
        for _ in 0..70 {
            value = Value::list([value]);
            json = serde_json::json!([json]);
        }
        let template = Template {
            description: "deep".into(),
            resources: [(LogicalId::new(&["Deep"]), CfnResource::new("AWS::SNS::Topic", value))].into(),
            ..Template::default()
        };
        let expected = serde_json::json!({
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": "deep",
            "Resources": {"Deep": {"Properties": json, "Type": "AWS::SNS::Topic"}},
        });
        assert_eq!(super::template(&template), serde_json::to_string_pretty(&expected).unwrap() + "\n");
    }

    #[test]
    fn a_word_needs_escaping_exactly_where_one_of_its_bytes_does() {
        for byte in 0..=u8::MAX {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = byte;
                let expected = byte < 0x20 || byte == b'"' || byte == b'\\';
                assert_eq!(any_escaped(u64::from_le_bytes(word)), expected, "byte {byte:#x} at {at}");
            }
        }
        assert!(!any_escaped(u64::from_le_bytes(*b"\x7f\xff\x80 !#[]")));
    }

    proptest::proptest! {
        #[test]
        fn escapes_strings_as_serde_json_does(text in "(.|[\"\\\\\x00-\x1f]){0,40}") {
            let mut written = String::new();
            escaped(&mut written, &text);
            let expected = serde_json::to_string(&text).unwrap();
            proptest::prop_assert_eq!(&written, &expected[1..expected.len() - 1]);
        }
    }

    #[test]
    fn a_resource_written_once_is_copied_into_its_template_as_written() {
        let mut template = sample();
        let (id, resource) = template.resources.pop_first().unwrap();
        let without = super::template(&template).len();
        let mut text = String::new();
        let len = super::resource(&id, &resource, &mut text);
        template.resources.insert(id.clone(), resource);
        let whole = super::template(&template);
        assert_eq!(whole.len(), without + len, "it measures exactly what it adds");
        // `OrdersQueue` sorts before `Plain`.
        let reused = template_reusing(&template, &[Some(text.as_str()), None]);
        assert_eq!(reused, whole);
        // What is reused is copied, not written again.
        let stale = template_reusing(&template, &[Some("{}"), None]);
        assert_eq!(stale.len(), whole.len() - text.len() + 2);
    }
}
