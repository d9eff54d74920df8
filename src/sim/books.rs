//! The books of a history: what happens inside each measured window.
//!
//! The engine tells the books when a tier goes down or comes back and counts what
//! happens; the books turn that into the totals of each window (service downtime and
//! outages, each tier's downtime and share of the service's, the counts) and hand them
//! to the observer when the window closes. Outside a window (during the warm-up) they
//! only follow which tiers are down, so that a window opening in the middle of an
//! outage starts it there, cut.

use super::engine::{Class, Observer};

/// What happened in one measured window.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Window {
    /// Service downtime \[h\].
    pub(crate) downtime: f64,
    /// Of it, the planned downtime: while planned work alone (maintenance, tests)
    /// kept it down \[h\].
    pub(crate) planned: f64,
    /// Service outages that ended in the window or were still running at its end.
    pub(crate) outages: u64,
    /// Unplanned outages (maximal intervals of unplanned downtime), counted alike.
    pub(crate) unplanned_outages: u64,
    /// Events handled.
    pub(crate) events: u64,
    /// Destructions of data brought back from a backup.
    pub(crate) restores: u64,
    /// Destructions of data that nothing could bring back (losses for good).
    pub(crate) unrecoverable: u64,
    /// Hours of data lost by restores and at failovers.
    pub(crate) data_lost: f64,
    /// Of those, hours lost at failovers: the writes not yet replicated.
    pub(crate) data_lost_at_failover: f64,
    /// Restore attempts that found a backup bad.
    pub(crate) bad_backups: u64,
    /// Failover demands: a serving replica stopped and its tier lacked one.
    pub(crate) demands: u64,
    /// Demands whose first attempt failed.
    pub(crate) failed_demands: u64,
    /// Standbys that took over.
    pub(crate) switchovers: u64,
    /// Switchovers to a healthy standby that failed.
    pub(crate) switch_failures: u64,
    /// Attempts that found the standby dead.
    pub(crate) dead_standby: u64,
    /// Attempts with no standby left.
    pub(crate) no_standby: u64,
    /// Latent standby failures found by drills and DR tests.
    pub(crate) latent_found: u64,
    /// Of the switchovers, switch failures, dead standbys found and latent failures
    /// found, those across sites (the last: by DR tests).
    pub(crate) cross_switchovers: u64,
    pub(crate) cross_switch_failures: u64,
    pub(crate) cross_dead_standby: u64,
    pub(crate) dr_latent_found: u64,
    /// Disruptions, by class (in `Class::ALL` order).
    pub(crate) disruptions: [u64; Class::ALL.len()],
    /// Per tier.
    pub(crate) tiers: Vec<TierWindow>,
}

impl crate::cost::Priced for Window {
    #[inline]
    fn downtime(&self) -> f64 {
        self.downtime
    }

    #[inline]
    fn planned(&self) -> f64 {
        self.planned
    }

    #[inline]
    fn outages(&self) -> u64 {
        self.outages
    }

    #[inline]
    fn unplanned_outages(&self) -> u64 {
        self.unplanned_outages
    }

    #[inline]
    fn data_lost(&self) -> f64 {
        self.data_lost
    }

    #[inline]
    fn unrecoverable(&self) -> u64 {
        self.unrecoverable
    }
}

/// One tier's part of a window.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct TierWindow {
    /// Hours the tier was down.
    pub(crate) down: f64,
    /// Hours of service downtime attributed to the tier (split equally among the
    /// tiers down at the same time).
    pub(crate) share: f64,
    /// Failures (replica failures, latent ones included, and tier-wide failures).
    pub(crate) failures: u64,
}

#[derive(Debug, Clone, Copy, Default)]
struct TierState {
    down: bool,
    /// Down, and not for planned work alone.
    unplanned: bool,
    down_since: f64,
}

/// The books of one history.
#[derive(Debug, Clone)]
pub(crate) struct Books {
    /// Whether the model has planned downtime: else all downtime is unplanned and
    /// is not followed apart.
    planned: bool,
    measuring: bool,
    window_start: f64,
    tiers: Vec<TierState>,
    down_tiers: u32,
    /// The tier down while `down_tiers` is 1, whose share of the service's downtime is
    /// then all of it.
    lone: usize,
    unplanned_tiers: u32,
    outage_start: f64,
    unplanned_start: f64,
    /// Whether the outage under way began before the window did.
    outage_cut: bool,
    /// What started the outage under way.
    outage_class: Class,
    /// Whether the outage under way has had unplanned downtime.
    outage_unplanned: bool,
    /// When the shares were last split.
    last_split: f64,
    pub(crate) window: Window,
}

impl Books {
    pub(crate) fn new(tiers: usize, planned: bool) -> Books {
        Books {
            planned,
            tiers: vec![TierState::default(); tiers],
            window: Window {
                tiers: vec![TierWindow::default(); tiers],
                ..Window::default()
            },
            down_tiers: 0,
            lone: 0,
            unplanned_tiers: 0,
            measuring: false,
            window_start: 0.0,
            outage_start: 0.0,
            unplanned_start: 0.0,
            outage_cut: false,
            outage_class: Class::ReplicaFailure,
            outage_unplanned: true,
            last_split: 0.0,
        }
    }

    /// Back to a history's start: every tier up, no window open.
    pub(crate) fn reset(&mut self) {
        self.measuring = false;
        self.tiers.fill(TierState::default());
        self.down_tiers = 0;
        self.unplanned_tiers = 0;
    }

    /// Whether a window is open.
    #[inline]
    pub(crate) fn measuring(&self) -> bool {
        self.measuring
    }

    /// Opens a window at `now`.
    pub(crate) fn open(&mut self, now: f64) {
        self.measuring = true;
        self.window_start = now;
        let tiers = std::mem::take(&mut self.window.tiers);
        self.window = Window {
            tiers,
            ..Window::default()
        };
        self.window.tiers.fill(TierWindow::default());
        for tier in self.tiers.iter_mut().filter(|t| t.down) {
            tier.down_since = now;
        }
        if self.down_tiers > 0 {
            self.outage_start = now;
            self.outage_cut = true;
            self.outage_unplanned = !self.planned || self.unplanned_tiers > 0;
        }
        if self.unplanned_tiers > 0 {
            self.unplanned_start = now;
        }
        self.last_split = now;
    }

    /// Closes the window at `now` and hands its totals to `observer`; an outage still
    /// running is cut here.
    pub(crate) fn close(&mut self, now: f64, observer: &mut impl Observer) {
        self.split(now);
        for (state, window) in self.tiers.iter().zip(&mut self.window.tiers) {
            if state.down {
                window.down += now - state.down_since;
            }
        }
        if self.down_tiers > 0 {
            self.end_outage(now, true, observer);
        }
        if self.unplanned_tiers > 0 {
            self.end_unplanned(now);
        }
        if !self.planned {
            self.window.unplanned_outages = self.window.outages;
        }
        observer.window(&self.window);
        self.measuring = false;
    }

    /// Tier `tier` went down (`down`, because of a disruption of `cause`) or came back
    /// at `now`, or went from down for planned work alone to down for other reasons
    /// too (`unplanned`), or back.
    pub(crate) fn tier_changed(
        &mut self,
        now: f64,
        tier: usize,
        down: bool,
        unplanned: bool,
        cause: Class,
        observer: &mut impl Observer,
    ) {
        debug_assert!(down || !unplanned, "tier {tier}: unplanned downtime while up");
        if self.measuring {
            self.split(now);
        }
        if self.planned && unplanned != self.tiers[tier].unplanned {
            self.tiers[tier].unplanned = unplanned;
            if unplanned {
                self.unplanned_tiers += 1;
                self.outage_unplanned = true;
                if self.unplanned_tiers == 1 {
                    self.unplanned_start = now;
                }
            } else {
                self.unplanned_tiers -= 1;
                if self.unplanned_tiers == 0 && self.measuring {
                    self.end_unplanned(now);
                }
            }
        }
        let state = &mut self.tiers[tier];
        if down == state.down {
            return;
        }
        state.down = down;
        if down {
            state.down_since = now;
            self.down_tiers += 1;
            if self.down_tiers == 1 {
                self.lone = tier;
                self.outage_start = now;
                self.outage_cut = false;
                self.outage_class = cause;
                self.outage_unplanned = !self.planned || self.unplanned_tiers > 0;
            }
        } else {
            if self.measuring {
                self.window.tiers[tier].down += now - state.down_since;
            }
            self.down_tiers -= 1;
            if self.down_tiers == 1 {
                self.lone = self.tiers.iter().position(|t| t.down).expect("one tier is down");
            } else if self.down_tiers == 0 && self.measuring {
                let cut = self.outage_cut;
                self.end_outage(now, cut, observer);
            }
        }
    }

    /// Splits the service downtime since the last split equally among the tiers down,
    /// and counts it as planned if no tier was down for anything but planned work.
    fn split(&mut self, now: f64) {
        if self.down_tiers > 0 {
            if self.planned && self.unplanned_tiers == 0 {
                self.window.planned += now - self.last_split;
            }
            let span = now - self.last_split;
            if self.down_tiers == 1 {
                // Mostly one tier is down: its share is the span (x / 1 is x,
                // exactly), without a division or a pass over the tiers.
                self.window.tiers[self.lone].share += span;
            } else {
                let share = span / f64::from(self.down_tiers);
                for (state, window) in self.tiers.iter().zip(&mut self.window.tiers) {
                    if state.down {
                        window.share += share;
                    }
                }
            }
        }
        self.last_split = now;
    }

    #[inline]
    fn end_outage(&mut self, now: f64, cut: bool, observer: &mut impl Observer) {
        let duration = now - self.outage_start;
        if duration > 0.0 {
            self.window.outages += 1;
            self.window.downtime += duration;
            observer.outage(
                self.outage_start - self.window_start,
                now - self.window_start,
                cut,
                self.outage_class,
                !self.outage_unplanned,
            );
        }
    }

    /// An unplanned outage ends (or is cut at the window's end).
    fn end_unplanned(&mut self, now: f64) {
        if now > self.unplanned_start {
            self.window.unplanned_outages += 1;
        }
    }

    /// Counts a failure of `tier`.
    #[inline]
    pub(crate) fn failure(&mut self, tier: usize) {
        self.window.tiers[tier].failures += 1;
    }
}
