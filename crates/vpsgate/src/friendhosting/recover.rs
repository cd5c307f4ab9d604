//! After an [`crate::Error::OutcomeUnknown`] on `createOrder`: did the order get placed?
//!
//! The gateway has no idempotency key, so the only way to know is to list the orders
//! (`getOrders`) and look for one that matches what was sent: same tariff, same domain (when one
//! was given), same type (when one was given), placed on or after the day of the attempt.
//! [`find_placed_orders`] does the matching; `vpsgate fh find-order` offers it from the CLI.
//! More than one match means an earlier identical order exists: decide by hand.

use super::answers::Order;
use super::commands::CreateOrder;

/// The orders in `orders` that `order` may have placed: same `tarifid`, same `domain` and `vid`
/// when the order named them, and an `orderdate` on or after `since` when both are known (an
/// order without a readable date is kept: better a candidate to look at than a missed charge).
pub fn find_placed_orders<'a>(
    orders: &'a [Order],
    order: &CreateOrder,
    since: Option<time::Date>,
) -> Vec<&'a Order> {
    orders
        .iter()
        .filter(|o| o.tarifid.as_deref() == Some(order.tarifid.as_str()))
        .filter(
            |o| match order.domain.as_deref().filter(|d| !d.is_empty()) {
                Some(d) => o
                    .domain
                    .as_deref()
                    .is_some_and(|od| od.eq_ignore_ascii_case(d)),
                None => true,
            },
        )
        .filter(|o| match (&order.vid, o.kind()) {
            (Some(want), Some(got)) => *want == got,
            _ => true,
        })
        .filter(
            |o| match (since, o.orderdate.as_ref().and_then(|d| d.date())) {
                (Some(since), Some(placed)) => placed >= since,
                _ => true,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::friendhosting::Vid;

    fn order(id: &str, tarif: &str, domain: &str, date: &str) -> Order {
        serde_json::from_value(serde_json::json!({
            "orderid": id, "tarifid": tarif, "domain": domain, "orderdate": date, "vid": "vds"
        }))
        .unwrap()
    }

    #[test]
    fn matches_tariff_domain_and_date() {
        let orders = vec![
            order("1", "201", "a.example", "2026-03-01"),
            order("2", "201", "b.example", "2026-03-31"),
            order("3", "202", "b.example", "2026-03-31"),
            order("4", "201", "B.example", "2026-03-31 12:00:00"),
        ];
        let mut sent = CreateOrder::new("201", 1).vid(Vid::Vds);
        sent.domain = Some("b.example".into());
        let since = time::macros::date!(2026 - 03 - 31);
        let ids: Vec<_> = find_placed_orders(&orders, &sent, Some(since))
            .iter()
            .map(|o| o.orderid.as_deref().unwrap())
            .collect();
        assert_eq!(ids, ["2", "4"]);
        sent.domain = None;
        assert_eq!(find_placed_orders(&orders, &sent, None).len(), 3);
        sent.vid = Some(Vid::Hosting);
        assert!(find_placed_orders(&orders, &sent, None).is_empty());
    }
}
