//! Property values, with CloudFormation's intrinsic functions as variants so
//! that references are typed (and can be found and rewritten by layout).

use super::{LogicalId, Map};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::borrow::Cow;

/// A property value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// Any other JSON number (`0.5`, `1e3`), kept as written.
    Number(serde_json::Number),
    /// Text; borrowed where it is a constant (`"Allow"`, `"bootstrap"`), as
    /// most of a template's strings are.
    Str(Cow<'static, str>),
    List(Vec<Value>),
    Map(Map),
    /// `{"Ref": id}`: a resource's primary identifier or a parameter's value.
    Ref(LogicalId),
    /// `{"Ref": "AWS::Region"}` and the other pseudo parameters.
    Pseudo(Pseudo),
    /// `{"Fn::GetAtt": [id, attribute]}`.
    GetAtt(LogicalId, Cow<'static, str>),
    /// `{"Fn::Sub": "..."}` built from typed parts.
    Sub(Vec<Part>),
}

/// Pseudo parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pseudo {
    AccountId,
    Partition,
    Region,
    StackName,
    UrlSuffix,
}

impl Pseudo {
    const ALL: [Pseudo; 5] =
        [Pseudo::AccountId, Pseudo::Partition, Pseudo::Region, Pseudo::StackName, Pseudo::UrlSuffix];

    fn named(name: &str) -> Option<Pseudo> {
        Pseudo::ALL.into_iter().find(|p| p.name() == name)
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::Region => "AWS::Region",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
        }
    }
}

/// One piece of an `Fn::Sub` string.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Text(Cow<'static, str>),
    Ref(LogicalId),
    Pseudo(Pseudo),
    Attr(LogicalId, Cow<'static, str>),
}

/// Where a reference points: a resource or parameter and, for `Fn::GetAtt`,
/// one of its attributes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference {
    pub id: LogicalId,
    pub attribute: Option<Cow<'static, str>>,
}

impl Value {
    /// A map from `(key, value)` pairs; keys are sorted in the output.
    pub fn map<K: Into<Cow<'static, str>>, I: IntoIterator<Item = (K, Value)>>(entries: I) -> Value {
        Value::Map(entries.into_iter().collect())
    }

    pub fn list<I: IntoIterator<Item = Value>>(items: I) -> Value {
        Value::List(items.into_iter().collect())
    }

    pub fn get_att(id: &LogicalId, attribute: &'static str) -> Value {
        Value::GetAtt(id.clone(), Cow::Borrowed(attribute))
    }

    pub fn reference(id: &LogicalId) -> Value {
        Value::Ref(id.clone())
    }

    /// Every logical id this value refers to, for checking that each
    /// reference resolves inside its stack.
    pub fn references(&self) -> Vec<&LogicalId> {
        let mut out = Vec::new();
        self.collect_references(&mut out);
        out
    }

    fn collect_references<'a>(&'a self, out: &mut Vec<&'a LogicalId>) {
        self.for_each_reference(&mut |id, _| out.push(id));
    }

    /// Calls `f` with each reference's id and attribute, in order.
    pub fn for_each_reference<'a>(&'a self, f: &mut impl FnMut(&'a LogicalId, Option<&'a str>)) {
        match self {
            Value::Ref(id) => f(id, None),
            Value::GetAtt(id, attribute) => f(id, Some(attribute)),
            Value::List(items) => items.iter().for_each(|v| v.for_each_reference(f)),
            Value::Map(entries) => entries.values().for_each(|v| v.for_each_reference(f)),
            Value::Sub(parts) => parts.iter().for_each(|part| match part {
                Part::Ref(id) => f(id, None),
                Part::Attr(id, attribute) => f(id, Some(attribute)),
                Part::Text(_) | Part::Pseudo(_) => {}
            }),
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Number(_) | Value::Str(_) | Value::Pseudo(_) => {}
        }
    }

    /// Replaces each reference for which `f` answers with that value (how
    /// layout turns a reference into another stack into a parameter, an
    /// output of a nested stack, or a value spelled from a name). Inside
    /// `Fn::Sub` the answer is spliced in as parts.
    pub fn rewrite_references(&mut self, f: &mut impl FnMut(&LogicalId, Option<&str>) -> Option<Value>) {
        match self {
            Value::Ref(id) => {
                if let Some(to) = f(id, None) {
                    *self = to;
                }
            }
            Value::GetAtt(id, attribute) => {
                if let Some(to) = f(id, Some(attribute)) {
                    *self = to;
                }
            }
            Value::List(items) => items.iter_mut().for_each(|v| v.rewrite_references(f)),
            Value::Map(entries) => entries.values_mut().for_each(|v| v.rewrite_references(f)),
            Value::Sub(parts) => {
                let mut at = 0;
                while at < parts.len() {
                    let to = match &parts[at] {
                        Part::Ref(id) => f(id, None),
                        Part::Attr(id, attribute) => f(id, Some(attribute)),
                        Part::Text(_) | Part::Pseudo(_) => None,
                    };
                    let part = match to {
                        None => {
                            at += 1;
                            continue;
                        }
                        Some(Value::Sub(inner)) => {
                            let len = inner.len();
                            parts.splice(at..=at, inner);
                            at += len;
                            continue;
                        }
                        Some(Value::Ref(id)) => Part::Ref(id),
                        Some(Value::GetAtt(id, attribute)) => Part::Attr(id, attribute),
                        Some(Value::Pseudo(pseudo)) => Part::Pseudo(pseudo),
                        Some(Value::Str(text)) => Part::Text(text),
                        Some(other) => unreachable!("a reference rewritten to a non-string {other:?}"),
                    };
                    parts[at] = part;
                    at += 1;
                }
            }
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Number(_) | Value::Str(_) | Value::Pseudo(_) => {}
        }
    }
}

impl Reference {
    /// `Ref id`, or `Fn::GetAtt id attribute`.
    pub fn to(id: &LogicalId, attribute: Option<&str>) -> Reference {
        Reference { id: id.clone(), attribute: attribute.map(|a| Cow::Owned(a.to_owned())) }
    }

    pub fn into_value(self) -> Value {
        match self.attribute {
            None => Value::Ref(self.id),
            Some(attribute) => Value::GetAtt(self.id, attribute),
        }
    }
}

/// Plain JSON (a `Raw` resource's properties), with `{"Ref": id}` and
/// `{"Fn::GetAtt": [id, attribute]}` read as the references they are, so
/// they are checked and laid out like wirestack's own.
impl From<serde_json::Value> for Value {
    fn from(json: serde_json::Value) -> Value {
        use serde_json::Value as Json;
        match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Number(n),
            },
            Json::String(s) => Value::Str(Cow::Owned(s)),
            Json::Array(items) => Value::List(items.into_iter().map(Value::from).collect()),
            Json::Object(map) => {
                if let (1, Some(Json::String(id))) = (map.len(), map.get("Ref")) {
                    if let Some(pseudo) = Pseudo::named(id) {
                        return Value::Pseudo(pseudo);
                    }
                    return Value::Ref(LogicalId::new(&[id]));
                }
                if let (1, Some(Json::Array(pair))) = (map.len(), map.get("Fn::GetAtt")) {
                    if let [Json::String(id), Json::String(attribute)] = &pair[..] {
                        return Value::GetAtt(LogicalId::new(&[id]), Cow::Owned(attribute.clone()));
                    }
                }
                Value::Map(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}

impl From<&'static str> for Value {
    fn from(s: &'static str) -> Value {
        Value::Str(Cow::Borrowed(s))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(Cow::Owned(s))
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Value {
        Value::Int(n.into())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Pseudo> for Part {
    fn from(p: Pseudo) -> Part {
        Part::Pseudo(p)
    }
}

impl From<&'static str> for Part {
    fn from(s: &'static str) -> Part {
        Part::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Part {
    fn from(s: String) -> Part {
        Part::Text(Cow::Owned(s))
    }
}

impl Value {
    /// An ARN in the stack's own partition, region and account:
    /// `arn:${AWS::Partition}:SERVICE:${AWS::Region}:${AWS::AccountId}:RESOURCE`.
    pub fn arn_in_account(service: &str, resource: impl IntoIterator<Item = Part>) -> Value {
        let mut parts = vec![
            "arn:".into(),
            Pseudo::Partition.into(),
            format!(":{service}:").into(),
            Pseudo::Region.into(),
            ":".into(),
            Pseudo::AccountId.into(),
            ":".into(),
        ];
        parts.extend(resource);
        Value::Sub(parts)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(n) => serializer.serialize_i64(*n),
            Value::Number(n) => n.serialize(serializer),
            Value::Str(s) => serializer.serialize_str(s),
            Value::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(entries) => entries.serialize(serializer),
            Value::Ref(id) => single(serializer, "Ref", id.as_str()),
            Value::Pseudo(p) => single(serializer, "Ref", p.name()),
            Value::GetAtt(id, attribute) => single(serializer, "Fn::GetAtt", &[id.as_str(), attribute.as_ref()]),
            // Without a variable, `Fn::Sub` is only noise (cfn-lint W1020).
            Value::Sub(parts) if parts.iter().all(|p| matches!(p, Part::Text(_))) => {
                let text: String = parts.iter().map(|p| if let Part::Text(t) = p { t.as_ref() } else { "" }).collect();
                serializer.serialize_str(&text)
            }
            Value::Sub(parts) => single(serializer, "Fn::Sub", &sub_string(parts)),
        }
    }
}

fn single<S: Serializer, V: Serialize + ?Sized>(serializer: S, key: &str, value: &V) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

/// `${Id}`, `${Id.Attr}`, `${AWS::Region}`; literal `${` is escaped as `${!`.
fn sub_string(parts: &[Part]) -> String {
    let mut out = String::new();
    sub_text(parts, &mut |piece| out.push_str(piece));
    out
}

/// The text of an `Fn::Sub`, piece by piece (the template writer escapes
/// each piece as it goes, without building the string).
pub(super) fn sub_text(parts: &[Part], put: &mut impl FnMut(&str)) {
    for part in parts {
        match part {
            Part::Text(text) if !text.contains('$') => put(text),
            Part::Text(text) => {
                let mut pieces = text.split("${");
                put(pieces.next().unwrap_or_default());
                for piece in pieces {
                    put("${!");
                    put(piece);
                }
            }
            Part::Ref(id) => {
                put("${");
                put(id.as_str());
                put("}");
            }
            Part::Pseudo(p) => {
                put("${");
                put(p.name());
                put("}");
            }
            Part::Attr(id, attribute) => {
                put("${");
                put(id.as_str());
                put(".");
                put(attribute);
                put("}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intrinsics_render_as_cloudformation_expects() {
        let id = LogicalId::new(&["Orders", "Queue"]);
        let value = Value::map([
            ("Arn", Value::get_att(&id, "Arn")),
            ("Url", Value::reference(&id)),
            ("Region", Value::Pseudo(Pseudo::Region)),
            ("Sub", Value::Sub(vec!["arn:".into(), Pseudo::Partition.into(), Part::Ref(id.clone()), "/${x}".into()])),
            ("Text", Value::Sub(vec!["arn:aws:s3:::".into(), "legacy/${x}".into()])),
        ]);
        let json = serde_json::to_value(&value).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "Arn": {"Fn::GetAtt": ["OrdersQueue", "Arn"]},
                "Url": {"Ref": "OrdersQueue"},
                "Region": {"Ref": "AWS::Region"},
                "Sub": {"Fn::Sub": "arn:${AWS::Partition}${OrdersQueue}/${!x}"},
                // Nothing to substitute: a plain string, `${` unescaped.
                "Text": "arn:aws:s3:::legacy/${x}",
            })
        );
        assert_eq!(value.references(), vec![&id, &id, &id]);
    }
}
