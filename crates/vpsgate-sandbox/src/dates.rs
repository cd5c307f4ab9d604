//! Calendar helpers (UTC dates only).

use time::{Date, Month, OffsetDateTime};

/// Parse `YYYY-MM-DD`.
pub(crate) fn parse_ymd(s: &str) -> Option<Date> {
    let mut it = s.splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// `YYYY-MM-DD`, as a MySQL DATE column reads.
pub(crate) fn ymd(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `DD.MM.YYYY`, as GoVPSFX writes dates.
pub(crate) fn dmy(d: Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), u8::from(d.month()), d.year())
}

/// Parse `DD.MM.YYYY`.
pub(crate) fn parse_dmy(s: &str) -> Option<Date> {
    let mut it = s.splitn(3, '.');
    let d: u8 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let y: i32 = it.next()?.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// The date `months` later, the day clamped to the month's length (31 Jan + 1 = 28/29 Feb).
pub(crate) fn add_months(d: Date, months: u32) -> Date {
    let total = d.year() as i64 * 12 + (u8::from(d.month()) as i64 - 1) + months as i64;
    let year = (total.div_euclid(12)) as i32;
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(Month::January);
    let last = month.length(year);
    Date::from_calendar_date(year, month, d.day().min(last)).unwrap_or(d)
}

/// Today, from the fixed date if one is configured, else the UTC clock.
pub(crate) fn today(fixed: Option<Date>) -> Date {
    fixed.unwrap_or_else(|| OffsetDateTime::now_utc().date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_arithmetic_clamps() {
        let d = parse_ymd("2024-01-31").unwrap();
        assert_eq!(ymd(add_months(d, 1)), "2024-02-29");
        assert_eq!(ymd(add_months(d, 12)), "2025-01-31");
        assert_eq!(dmy(add_months(d, 13)), "28.02.2025");
        assert_eq!(parse_dmy("02.08.2020"), parse_ymd("2020-08-02"));
        assert!(parse_ymd("2024-02-30").is_none());
    }
}
