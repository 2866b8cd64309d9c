//! ARNs of existing resources (`Queue::existing("arn:..")` and the like),
//! read in one place: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.

use super::Scope;
use crate::problem::Problem;

/// The parts of an ARN a resource kind checks or builds from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub region: &'a str,
    pub account: &'a str,
    /// Everything after the account (`stream/clicks`, `layer:fonts:3`).
    pub resource: &'a str,
}

/// `arn` split into its parts, if it is an ARN of `service` in a region and
/// a 12-digit account.
pub fn parse<'a>(arn: &'a str, service: &str) -> Option<Arn<'a>> {
    let mut parts = arn.splitn(6, ':');
    let [prefix, partition, named, region, account, resource] = std::array::from_fn(|_| parts.next().unwrap_or(""));
    let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    (prefix == "arn"
        && !partition.is_empty()
        && named == service
        && !region.is_empty()
        && account_ok
        && !resource.is_empty())
    .then_some(Arn { region, account, resource })
}

/// "queue `jobs` names `x`, which is not an SQS queue ARN", at the
/// declaration, with the form to write.
pub fn not_an_arn(scope: &Scope<'_>, kind: &str, arn: &str, what: &str, example: &str) -> Problem {
    let resource = scope.resource;
    Problem::new(format!("{kind} `{}` names `{arn}`, which is not {what}", resource.name))
        .at(resource.defined_at, "declared here")
        .help(format!("write `{example}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_parts_of_an_arn_of_its_service_only() {
        let arn = parse("arn:aws:lambda:eu-west-1:123456789012:layer:fonts:3", "lambda");
        assert_eq!(arn, Some(Arn { region: "eu-west-1", account: "123456789012", resource: "layer:fonts:3" }));
        assert_eq!(parse("arn:aws:lambda:eu-west-1:123456789012:layer:fonts:3", "sqs"), None);
        assert_eq!(parse("arn:aws:sqs::123456789012:jobs", "sqs"), None, "no region");
        assert_eq!(parse("arn:aws:sqs:us-east-1:12345:jobs", "sqs"), None, "short account");
        assert_eq!(parse("arn:aws:sqs:us-east-1:123456789012:", "sqs"), None, "no resource");
        assert_eq!(parse("legacy-jobs", "sqs"), None);
    }
}
