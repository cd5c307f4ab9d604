//! Fault injection: deterministic for a given seed and request sequence.

use crate::config::FaultConfig;

/// What to do to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    Drop,
    Error500,
    Truncate,
    Html,
}

pub(crate) struct Faults {
    config: FaultConfig,
    rng: fastrand::Rng,
}

impl Faults {
    pub(crate) fn new(config: FaultConfig, seed: u64) -> Self {
        Faults {
            config,
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    pub(crate) fn config(&self) -> &FaultConfig {
        &self.config
    }

    /// Draw the latency and the fault (if any) for the next request.
    pub(crate) fn draw(&mut self) -> (u64, Option<Fault>) {
        let c = &self.config;
        if c.drop_rate + c.error_rate + c.truncate_rate + c.html_rate <= 0.0 {
            return (c.latency_ms, None);
        }
        let x = self.rng.f64();
        let mut edge = 0.0;
        for (rate, fault) in [
            (c.drop_rate, Fault::Drop),
            (c.error_rate, Fault::Error500),
            (c.truncate_rate, Fault::Truncate),
            (c.html_rate, Fault::Html),
        ] {
            edge += rate;
            if x < edge {
                return (c.latency_ms, Some(fault));
            }
        }
        (c.latency_ms, None)
    }
}

/// The page a crashed PHP backend behind nginx might answer with.
pub(crate) const HTML_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Error</title></head><body>\n<br />\n<b>Fatal error</b>:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/billing/apih.php:42\n</body></html>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_rates_hold() {
        let cfg = FaultConfig {
            error_rate: 0.3,
            drop_rate: 0.2,
            ..FaultConfig::default()
        };
        let a: Vec<_> = {
            let mut f = Faults::new(cfg.clone(), 7);
            (0..1000).map(|_| f.draw().1).collect()
        };
        let b: Vec<_> = {
            let mut f = Faults::new(cfg, 7);
            (0..1000).map(|_| f.draw().1).collect()
        };
        assert_eq!(a, b);
        let errors = a.iter().filter(|f| **f == Some(Fault::Error500)).count();
        let drops = a.iter().filter(|f| **f == Some(Fault::Drop)).count();
        assert!((240..360).contains(&errors), "{errors}");
        assert!((150..250).contains(&drops), "{drops}");
        assert!(!a.contains(&Some(Fault::Html)));
    }
}
