//! Each operation's match on the reply status keeps only arms that can be
//! reached, one per distinct outcome.
//!
//! progenitor writes an arm per documented status and per range (`400u16`,
//! `400u16..=499u16`, `401u16`, …, `500u16..=599u16`). An exact status
//! after its range can never match, and an exact status before its range
//! with the same body changes nothing: in this spec every error status and
//! range decodes the same error schema (`spec::load` checks it). Each arm
//! awaits the body, so each is one more state in the operation's future:
//! code that is compiled into every user's build and never runs. This pass
//! drops those arms and joins neighbours with the same body into one
//! `|` pattern, so the match reads `200u16 => …, 400u16..=499u16 |
//! 500u16..=599u16 => …, _ => …` and rustc's `unreachable_patterns` lint
//! can stay on for the generated file.

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};

/// Rewrites every `match response.status().as_u16() { … }` in `file`.
pub(crate) fn simplify(file: &mut syn::File) {
    StatusMatches.visit_file_mut(file);
}

struct StatusMatches;

impl VisitMut for StatusMatches {
    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        visit_mut::visit_expr_match_mut(self, expr);
        if is_status_code(&expr.expr) {
            simplify_arms(&mut expr.arms);
        }
    }
}

/// `<anything>.status().as_u16()`.
fn is_status_code(scrutinee: &syn::Expr) -> bool {
    let syn::Expr::MethodCall(as_u16) = scrutinee else {
        return false;
    };
    as_u16.method == "as_u16"
        && matches!(as_u16.receiver.as_ref(), syn::Expr::MethodCall(status) if status.method == "status")
}

/// Statuses as inclusive ranges, sorted and disjoint.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Statuses(Vec<(u16, u16)>);

impl Statuses {
    const ANY: (u16, u16) = (0, u16::MAX);

    fn of(ranges: Vec<(u16, u16)>) -> Self {
        let mut ranges = ranges;
        ranges.sort_unstable();
        let mut merged: Vec<(u16, u16)> = Vec::new();
        for (low, high) in ranges {
            match merged.last_mut() {
                Some(last) if low <= last.1.saturating_add(1) => last.1 = last.1.max(high),
                _ => merged.push((low, high)),
            }
        }
        Statuses(merged)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn union(&self, other: &Statuses) -> Statuses {
        Statuses::of(self.0.iter().chain(&other.0).copied().collect())
    }

    fn minus(&self, other: &Statuses) -> Statuses {
        let mut left = Vec::new();
        for &(low, high) in &self.0 {
            let mut from = u32::from(low);
            for &(cut_low, cut_high) in &other.0 {
                let (cut_low, cut_high) = (u32::from(cut_low), u32::from(cut_high));
                if cut_high < from || cut_low > u32::from(high) {
                    continue;
                }
                if cut_low > from {
                    left.push((from, cut_low - 1));
                }
                from = from.max(cut_high + 1);
            }
            if from <= u32::from(high) {
                left.push((from, u32::from(high)));
            }
        }
        // Every bound came from a u16 range, so each fits in a u16.
        Statuses(
            left.into_iter()
                .filter_map(|(low, high)| {
                    Some((u16::try_from(low).ok()?, u16::try_from(high).ok()?))
                })
                .collect(),
        )
    }

    fn intersects(&self, other: &Statuses) -> bool {
        !self.minus(&self.minus(other)).is_empty()
    }

    fn contains(&self, other: &Statuses) -> bool {
        other.minus(self).is_empty()
    }
}

/// One arm as the simplification sees it: what it matches and what it does.
struct Arm {
    arm: syn::Arm,
    matches: Statuses,
    wildcard: bool,
    body: String,
}

/// Drops unreachable and redundant arms, then joins neighbours with the
/// same body. A pattern the pass does not understand (or a guard) leaves
/// the whole match as it is.
fn simplify_arms(arms: &mut Vec<syn::Arm>) {
    let Some(mut parsed) = arms
        .iter()
        .map(|arm| {
            // A guard is a `Pat::Guard`, which `statuses` does not read.
            let (matches, wildcard) = statuses(&arm.pat)?;
            Some(Arm {
                arm: arm.clone(),
                matches,
                wildcard,
                body: arm.body.to_token_stream().to_string(),
            })
        })
        .collect::<Option<Vec<Arm>>>()
    else {
        return;
    };
    drop_unreachable(&mut parsed);
    drop_redundant(&mut parsed);
    *arms = join_neighbours(parsed);
}

/// Removes each arm whose statuses all match an earlier arm.
fn drop_unreachable(arms: &mut Vec<Arm>) {
    let mut seen = Statuses(Vec::new());
    arms.retain(|arm| {
        let reachable = !arm.matches.minus(&seen).is_empty();
        seen = seen.union(&arm.matches);
        reachable
    });
}

/// Removes each arm whose statuses, without it, would reach a later arm
/// with the same body anyway: a later arm with that body matches them all,
/// and every arm in between that matches any of them has that body too.
fn drop_redundant(arms: &mut Vec<Arm>) {
    let mut index = arms.len();
    while index > 0 {
        index -= 1;
        let earlier = arms[..index]
            .iter()
            .fold(Statuses(Vec::new()), |seen, arm| seen.union(&arm.matches));
        let own = arms[index].matches.minus(&earlier);
        let body = &arms[index].body;
        let mut redundant = false;
        for later in &arms[index + 1..] {
            if !later.matches.intersects(&own) {
                continue;
            }
            if &later.body != body {
                break;
            }
            if later.matches.contains(&own) {
                redundant = true;
                break;
            }
        }
        if redundant {
            arms.remove(index);
        }
    }
}

/// Neighbouring arms with the same body become one arm with an `|`
/// pattern (a wildcard arm stays on its own).
fn join_neighbours(arms: Vec<Arm>) -> Vec<syn::Arm> {
    let mut joined: Vec<Arm> = Vec::new();
    for arm in arms {
        match joined.last_mut() {
            Some(last) if last.body == arm.body && !last.wildcard && !arm.wildcard => {
                let cases = alternatives(&last.arm.pat)
                    .into_iter()
                    .chain(alternatives(&arm.arm.pat));
                last.arm.pat = syn::Pat::Or(syn::PatOr {
                    attrs: Vec::new(),
                    leading_vert: None,
                    cases: cases.collect(),
                });
                last.matches = last.matches.union(&arm.matches);
            }
            _ => joined.push(arm),
        }
    }
    joined.into_iter().map(|arm| arm.arm).collect()
}

fn alternatives(pattern: &syn::Pat) -> Vec<syn::Pat> {
    match pattern {
        syn::Pat::Or(or) => or.cases.iter().cloned().collect(),
        other => vec![other.clone()],
    }
}

/// The statuses `pattern` matches and whether it is `_`; `None` for a
/// pattern this pass does not read.
fn statuses(pattern: &syn::Pat) -> Option<(Statuses, bool)> {
    match pattern {
        syn::Pat::Wild(_) => Some((Statuses(vec![Statuses::ANY]), true)),
        syn::Pat::Lit(literal) => {
            let status = status(&literal.lit)?;
            Some((Statuses(vec![(status, status)]), false))
        }
        syn::Pat::Range(range) => {
            if !matches!(range.limits, syn::RangeLimits::Closed(_)) {
                return None;
            }
            let low = bound(range.start.as_deref()?)?;
            let high = bound(range.end.as_deref()?)?;
            (low <= high).then(|| (Statuses(vec![(low, high)]), false))
        }
        syn::Pat::Or(or) => {
            let mut all = Statuses(Vec::new());
            for case in &or.cases {
                let (matches, wildcard) = statuses(case)?;
                if wildcard {
                    return None;
                }
                all = all.union(&matches);
            }
            Some((all, false))
        }
        _ => None,
    }
}

fn bound(expr: &syn::Expr) -> Option<u16> {
    match expr {
        syn::Expr::Lit(literal) => status(&literal.lit),
        _ => None,
    }
}

fn status(literal: &syn::Lit) -> Option<u16> {
    match literal {
        syn::Lit::Int(int) => int.base10_parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::syntax;

    fn simplified(arms: proc_macro2::TokenStream) -> String {
        let mut file: syn::File = syn::parse_quote! {
            async fn send() {
                match response.status().as_u16() { #arms }
            }
        };
        simplify(&mut file);
        syntax::compact(&file)
    }

    #[test]
    fn shadowed_and_repeated_error_arms_become_one() {
        let compact = simplified(quote::quote! {
            200u16 => ok(response).await,
            400u16 => Err(failure(response).await?),
            400u16..=499u16 => Err(failure(response).await?),
            401u16 => Err(failure(response).await?),
            429u16 => Err(failure(response).await?),
            500u16 => Err(failure(response).await?),
            500u16..=599u16 => Err(failure(response).await?),
            _ => Err(unexpected(response)),
        });
        assert!(
            compact.contains(
                "match response.status().as_u16(){200u16=>ok(response).await,400u16..=499u16|500u16..=599u16=>Err(failure(response).await?),_=>Err(unexpected(response)),}"
                    .replace(' ', "")
                    .as_str()
            ),
            "{compact}"
        );
    }

    #[test]
    fn an_exact_status_with_its_own_outcome_stays_before_its_range() {
        let compact = simplified(quote::quote! {
            200u16 => ok(response).await,
            404u16 => missing(response).await,
            400u16..=499u16 => Err(failure(response).await?),
            409u16 => Err(failure(response).await?),
            _ => Err(unexpected(response)),
        });
        assert!(
            compact.contains(
                "{200u16=>ok(response).await,404u16=>missing(response).await,400u16..=499u16=>Err(failure(response).await?),_=>Err(unexpected(response)),}"
            ),
            "{compact}"
        );
    }

    #[test]
    fn an_exact_status_is_kept_when_an_arm_between_would_take_it() {
        let compact = simplified(quote::quote! {
            404u16 => Err(failure(response).await?),
            400u16..=404u16 => missing(response).await,
            400u16..=499u16 => Err(failure(response).await?),
            _ => Err(unexpected(response)),
        });
        assert!(
            compact.contains("{404u16=>Err(failure(response).await?),400u16..=404u16=>missing"),
            "{compact}"
        );
    }

    #[test]
    fn other_matches_and_unknown_patterns_are_left_alone() {
        let mut other: syn::File = syn::parse_quote! {
            fn f() {
                match count {
                    1 => a(),
                    1 => a(),
                    _ => b(),
                }
            }
        };
        let before = syntax::compact(&other);
        simplify(&mut other);
        assert_eq!(syntax::compact(&other), before);
        let guarded = simplified(quote::quote! {
            code if code > 300 => a(),
            300u16 => a(),
            _ => b(),
        });
        assert!(
            guarded.contains("{codeifcode>300=>a(),300u16=>a(),_=>b(),}"),
            "{guarded}"
        );
    }

    #[test]
    fn statuses_subtract_and_join() {
        let all = Statuses::of(vec![(400, 499), (500, 599)]);
        assert_eq!(all, Statuses(vec![(400, 599)]));
        let errors = all.minus(&Statuses(vec![(404, 404), (500, 599)]));
        assert_eq!(errors, Statuses(vec![(400, 403), (405, 499)]));
        assert!(errors.intersects(&Statuses(vec![(450, 460)])));
        assert!(!errors.intersects(&Statuses(vec![(404, 404)])));
        assert!(all.contains(&errors));
        let any = Statuses(vec![Statuses::ANY]);
        assert!(any.minus(&Statuses(vec![(0, 99), (600, u16::MAX)])).0 == vec![(100, 599)]);
    }
}
