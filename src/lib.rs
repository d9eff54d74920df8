//! # nines: what each way of surviving failures buys
//!
//! `nines` simulates how a service fails and recovers, many thousands of years at a
//! time, and reports what that costs in downtime: availability with its confidence
//! interval, downtime per year and its tail, how often the service goes down and for
//! how long, and which tier is to blame.
//!
//! All times are hours (`f64`), written `\[h\]` in field docs. A year is 8760 h
//! ([`HOURS_PER_YEAR`]).
//!
//! ## The model
//!
//! A [`Service`] is a chain of [`Tier`]s in series: it is up when every tier is up.
//!
//! ```text
//!   request ──► [ load balancer ] ──► [ application ] ──► [ database ] ──► [ storage ]
//!                 2 replicas,           3 replicas,         1 replica
//!                 1 required            2 required          1 required
//! ```
//!
//! A tier is `replicas` identical components, of which `required` (k of n) must be
//! serving for the tier to be up. Each tier has one or more [`FailureMode`]s, competing
//! risks with a time to failure (`every`) and a repair time (`repair`), each a
//! [`Distribution`]:
//!
//! - a [`Scope::Replica`] mode hits one replica at a time: each replica has its own
//!   clock, running from the moment it was new or last repaired (a repair is as good as
//!   new, and restarts all of the replica's clocks); the replica is down for the repair;
//! - a [`Scope::Tier`] mode hits the whole tier at once (a bad configuration push, an
//!   expired certificate): the tier has one clock for it, running from the start or
//!   from the end of that mode's last outage, and the tier is down for the repair.
//!
//! Repairs run in parallel, one per failed replica, unless the tier has
//! `repair_crews = r`: then failed replicas queue for r crews, first come, first
//! served. Tier-scope repairs are not queued (they are a rollback, not a hardware
//! repair). Replicas keep ageing while their tier or the service is down.
//!
//! ### Redundancy and failover
//!
//! An active-active tier (the default) has every replica serving: a failure is
//! absorbed at once while k remain. A failover tier ([`Failover`]) has k serving and
//! the rest standing by:
//!
//! ```text
//!   primary fails ──► down for detection + switchover ──► standby healthy?
//!        ▲                                                  │ yes: works with p = success ──► up
//!        │                                                  │      fails: down for manual_recovery ──► up
//!   repaired: rejoins as a standby, or serves at once       │ dead (latent): to repair, try the next one
//!   if the tier lacks a serving replica                     │ none left: wait for a repair
//! ```
//!
//! A standby ages at `dormant_factor` times a serving replica's rate (1 hot, 0 cold):
//! its clocks run at that speed, so a warm standby of a Weibull mode is an
//! accelerated-life model. Its failures are `detected` (repaired at once) or `latent`:
//! unnoticed, the standby stops ageing and waits dead until a drill (`test_every`) or
//! a demand finds it.
//!
//! ### Data and backups
//!
//! A failure mode with `destroys_data` destroys data. A replica-scope one destroys the
//! failing replica's copy: if another replica is healthy (not failed, whatever it
//! serves), the replica is rebuilt from it in its repair time and nothing is lost;
//! otherwise the tier's data is gone. A tier-scope one (corruption, ransomware, a bad
//! migration) destroys every copy at once, since replication copies it.
//!
//! Destroyed data comes back only from a [`Backup`]. Backups are taken every `every`
//! hours while the tier holds its data (one taken during a restore or a rebuild holds
//! nothing and is never used); each is restorable with probability `success`, found
//! out only when a restore tries it. When data is destroyed, the tier is down while it
//! is restored: the newest usable backup taken at or before the destruction is tried,
//! then the one before it, each attempt taking a `restore` time, until one loads (a
//! backup found bad is never tried again). The **data lost** is the time from the
//! backup that loaded to the destruction: the recovery point actually achieved. The
//! restore replaces the mode's repair (a restore includes provisioning).
//!
//! When no backup loads (no backup policy, or every backup bad), the data is **lost
//! for good**: that is an event, counted and priced per event
//! ([`Costs::with_unrecoverable_loss`]), not hours of data. The tier is down for the
//! destroying mode's repair time (rebuilding an empty or re-created database), after
//! the time spent trying backups, and stays down until that rebuild is done, whatever
//! the other replicas do: none of them holds the data.
//!
//! ### Sites and disaster recovery
//!
//! High availability survives a server failure inside a data centre; disaster recovery
//! brings the service back at another site when the data centre itself goes. A
//! [`Service`] may have [`Site`]s, each with failure modes like a tier's (the repair is
//! the time until the site is back), and a tier places its replicas in them
//! ([`TierBuilder::with_sites`] round-robin, [`TierBuilder::with_placement`] one per replica; a
//! tier placed nowhere stands in a site that never fails):
//!
//! ```text
//!        site "main"                            site "dr"
//!   ┌──────────────────────┐  async, lag   ┌──────────────────────┐
//!   │ database (serving) ──┼──────────────►│ database (standby)   │
//!   │ backups?             │               │ backups?             │
//!   └──────────────────────┘               └──────────────────────┘
//! ```
//!
//! - While a site is down, its replicas stop serving without failing: they keep their
//!   data and their age, and serve again when it returns. A failover tier whose
//!   serving replica stood there fails over, to a standby in the same site first; an
//!   active-active tier goes on with its other replicas.
//! - A site failure mode with `destroys_data` is a disaster (a fire, a flood): it also
//!   destroys every copy and every backup kept at the site ([`Backup::with_site`]).
//!   The site's replicas come back, empty, when it does; a tier left with no copy
//!   anywhere restores from a surviving backup, or has lost its data for good (then
//!   the tier is down until the site is back).
//! - A failover to a standby in another site than the replica it replaces uses the
//!   cross-site settings ([`CrossSite`]: detection, including the decision to declare
//!   a disaster; switchover; success; manual recovery), which default to the local
//!   ones. Standbys in a site where no replica serves fail as
//!   [`CrossSite::with_standby_failures`] says (a DR site drifts silently) and are
//!   found by DR tests ([`CrossSite::with_test_every`]); local drills then test only
//!   the local standbys.
//! - [`Replication`] says how writes reach the other replicas: a failover loses one
//!   `lag` draw of writes (`cross_site_lag` across sites); an active-active tier that
//!   loses a site loses one `cross_site_lag` of the writes it had not replicated.
//!   These are data lost at failovers, counted with the restores' data lost and
//!   reported apart.
//! - Every event that can take the service down is a disruption of a class: a
//!   replica failure, a tier-wide failure, a dependency failure (below), a site
//!   outage, a site disaster, a data destruction (a failure that destroyed data no
//!   other replica held), a failover test, a maintenance round (below). Each service outage belongs to the disruption that started it; the data a
//!   disruption cost is what its restores and failovers lost. Per class, the report
//!   gives the events per year, the outages' durations and the share within the
//!   recovery time objective ([`Simulation::with_rto`]), the data lost per disruption and
//!   the share within the recovery point objective ([`Simulation::with_rpo`]).
//!
//! ```
//! use nines::{Backup, Distribution, Failover, FailureMode, Service, Simulation, Site, Tier};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A fire every 50 years on average, 60 days to rebuild; the DR site never burns.
//! let fire = FailureMode::new("fire", Distribution::exponential(50.0 * 8760.0)?, Distribution::fixed(1440.0)?)
//!     .with_destroys_data(true);
//! let sites = || -> Result<Vec<Site>, nines::ModelError> {
//!     Ok(vec![Site::builder("main").with_failure(fire.clone()).build()?, Site::builder("dr").build()?])
//! };
//! let host = FailureMode::new("host", Distribution::exponential(4000.0)?, Distribution::exponential(4.0)?);
//! let restore = Distribution::fixed(3.0)?;
//! let database = |placement: [&str; 2]| {
//!     Tier::builder("database")
//!         .with_replicas(2)
//!         .with_placement(placement)
//!         .with_failover(Failover::new())
//!         .with_backup(Backup::new(24.0, restore.clone()).with_site(placement[1]))
//!         .with_failure(host.clone())
//!         .build()
//! };
//! let ha = Service::with_sites("HA in one site", sites()?, vec![database(["main", "main"])?])?;
//! let dr = Service::with_sites("HA and a DR site", sites()?, vec![database(["main", "dr"])?])?;
//! let report = Simulation::new().with_replications(20_000).with_seed(5).run_options("EHR", &[ha, dr])?;
//! let disaster = |option: usize| {
//!     report.options[option].disruptions.iter().find(|d| d.class == "site disaster").cloned()
//! };
//! // In one site, a fire takes both replicas and the backups kept with them: the data
//! // is lost for good. With a DR site, the standby there takes over (or, if it is down
//! // itself, the backups kept there are restored).
//! assert_eq!(disaster(0).map(|d| d.lost_for_good), Some(1.0));
//! assert_eq!(disaster(1).map(|d| d.lost_for_good), Some(0.0));
//! # Ok(())
//! # }
//! ```
//!
//! ### Shared dependencies
//!
//! The single points of failure that hurt are the ones nobody drew: both application
//! servers on one power feed, the database and the file servers on one storage array,
//! every tier behind one core switch. A [`Dependency`] is such a shared component,
//! built like a tier (k of n replicas, failure modes of either scope, repair crews,
//! costs, a site) but outside the request path: it matters only through what stands on
//! it. A tier stands on dependencies with [`TierBuilder::with_depends_on`] (every replica)
//! or [`TierBuilder::with_replica_depends_on`] (one list per replica: two servers on two
//! feeds); a dependency may stand on others ([`DependencyBuilder::with_depends_on`]), with
//! no cycle; the service lists them ([`Service::with_dependencies`]).
//!
//! - A dependency is up while `required` of its replicas serve and no tier-wide
//!   failure of it is being repaired; a replica of it serves while it is healthy and
//!   everything it stands on is up.
//! - While a dependency is down, every replica standing on it stops serving without
//!   failing, exactly as while its site is down: it keeps its data and its age, and
//!   serves again when the dependency is back. A failover tier whose serving replica
//!   stops fails over (detection, switchover) to a standby that is not stopped; an
//!   active-active tier goes on with its other replicas. What stands on the replicas
//!   of a dependency that goes down because one it stands on did goes down too.
//! - A dependency holds no data (a failure that destroys data is a failure mode of the
//!   tier whose data it destroys). Its failures are disruptions of the class
//!   `dependency failure`; its costs enter the infrastructure cost. It is not in the
//!   report's tiers, which are those in the request path.
//! - Every option of a scenario shares the file's dependencies; an option changes what
//!   its tiers stand on (`tier.app.depends_on = [...]`), not the dependencies. A
//!   dependency nothing stands on ([`Service::dependencies_used`]) is neither
//!   simulated nor paid for.
//!
//! ```
//! use nines::{Dependency, Distribution, FailureMode, Service, Simulation, Tier};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let exp = |hours: f64| Distribution::exponential(hours);
//! // A power feed trips once a year for two hours on average.
//! let feed = |name: &str| -> Result<Dependency, Box<dyn std::error::Error>> {
//!     Ok(Dependency::builder(name).with_failure(FailureMode::new("trips", exp(8760.0)?, exp(2.0)?)).build()?)
//! };
//! // Two application servers, either enough, on the feeds given.
//! let servers = |feeds: [&str; 2]| -> Result<Tier, Box<dyn std::error::Error>> {
//!     Ok(Tier::builder("application")
//!         .with_replicas(2)
//!         .with_replica_depends_on([[feeds[0]], [feeds[1]]])
//!         .with_failure(FailureMode::new("host", exp(4000.0)?, exp(4.0)?))
//!         .build()?)
//! };
//! let one_feed = Service::with_dependencies("one feed", vec![], vec![feed("A")?, feed("B")?], vec![servers(["A", "A"])?])?;
//! let two_feeds = Service::with_dependencies("two feeds", vec![], vec![feed("A")?, feed("B")?], vec![servers(["A", "B"])?])?;
//! let report = Simulation::new().with_replications(20_000).with_seed(5).run_options("feeds", &[one_feed, two_feeds])?;
//! // On one feed, the feed is a single point of failure: its trips are most of the
//! // downtime. On two, a trip takes one server down and the other serves on.
//! let down = |option: usize| report.options[option].downtime_hours_per_year.mean;
//! assert!(down(1) < down(0) / 10.0, "{} h against {} h", down(1), down(0));
//! # Ok(())
//! # }
//! ```
//!
//! [`Simulation::importance`] finds the single points of failure: it runs the model
//! again with each tier, dependency and used site perfect, history by history on the
//! same random numbers, and gives each one's downtime (and cost) a year removed with
//! the standard error of the paired difference, beside the unpaired one; and, from
//! the model as it is, each one's own unavailability (the time it was down of its own
//! accord, not while something it stands on was) and its share of the service's
//! downtime (each moment of it split equally among the components down of their own
//! accord then): see [`Importance`]. Set it as an option's
//! [`OptionReport::importance`] and the report carries it: its JSON under the key
//! `importance`, [`chart::importance`] draws it and [`Report::to_html`] gives it a
//! section (what `nines spof FILE --out DIR` writes).
//!
//! ```
//! use nines::{Dependency, Distribution, FailureMode, Service, Simulation, Tier};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let exp = Distribution::exponential;
//! // Two servers, either enough, both on one switch.
//! let switch = Dependency::builder("switch")
//!     .with_failure(FailureMode::new("dies", exp(5000.0)?, exp(8.0)?))
//!     .build()?;
//! let servers = Tier::builder("app")
//!     .with_replicas(2)
//!     .with_depends_on(["switch"])
//!     .with_failure(FailureMode::new("crash", exp(1000.0)?, exp(10.0)?))
//!     .build()?;
//! let service = Service::with_dependencies("one switch", vec![], vec![switch], vec![servers])?;
//! let simulation = Simulation::new().with_replications(5000).with_seed(3);
//! let ranked = simulation.importance(&service)?;
//! // The switch is the single point of failure and most of the downtime.
//! let switch = &ranked[0];
//! assert_eq!((switch.component.as_str(), switch.single_point_of_failure), ("switch", true));
//! assert!(switch.share_of_downtime.mean > 0.9);
//! // Down of its own accord 8 / 5008 of the time, within the sampling error.
//! let u = switch.unavailability;
//! assert!((u.mean - 8.0 / 5008.0).abs() < 4.0 * u.std_error);
//! // Into a report, its JSON and its chart.
//! let mut report = simulation.run(&service)?;
//! report.options[0].importance = Some(ranked);
//! assert!(serde_json::to_string(&report)?.contains("\"importance\""));
//! #[cfg(feature = "charts")]
//! assert!(nines::chart::importance(&report)?.is_some());
//! # Ok(())
//! # }
//! ```
//!
//! ### Planned maintenance
//!
//! Patching and other planned work take replicas out on a schedule: a [`Maintenance`]
//! of a tier ([`TierBuilder::with_maintenance`]) or a dependency
//! ([`DependencyBuilder::with_maintenance`]) takes a round every `every` hours (of random
//! phase in a system in service; from an as-new start, the first at `every`), each
//! replica out for a `duration` of its own, [`Rollout::Rolling`] (one at a time,
//! standbys first; a failover tier switches over to a standby before its serving
//! replica goes, a planned switchover with no detection, no failed switch and nothing
//! lost; a replica the tier cannot spare when its turn comes is skipped; a tier with no
//! replica to spare is maintained all at once) or [`Rollout::AllAtOnce`]. A replica in
//! maintenance does not fail (its age stands still) and is no copy to rebuild from; a
//! standby found dead by it goes to repair.
//!
//! Downtime is **planned** while planned work alone keeps the service down (a
//! maintenance round, a dependency's maintenance, a failover test that takes time) and
//! **unplanned** when the service would have been down without it (a failure, or a
//! failure during maintenance: a replica that failed while another was in maintenance
//! is unplanned downtime only if the tier would be down even with the other back).
//! Reports give both: `availability.excluding_planned`, `downtime_hours_per_year`'s
//! `planned` and `unplanned`, unplanned outages per year. The SLA and the downtime cost
//! count planned downtime unless told not to ([`Simulation::with_exclude_planned`], `[sla]
//! exclude_planned = true` in a scenario file), the honest default: the service is down
//! all the same.
//!
//! ```
//! use nines::{Distribution, Maintenance, Rollout, Service, Simulation, Start, Tier};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Two servers, either enough, patched monthly for two hours each.
//! let patched = |rollout| -> Result<Service, Box<dyn std::error::Error>> {
//!     let monthly = Maintenance::new(720.0, Distribution::fixed(2.0)?).with_rollout(rollout);
//!     Ok(Service::new("app", vec![Tier::builder("app").with_replicas(2).with_maintenance(monthly).build()?])?)
//! };
//! let simulation = Simulation::new().with_start(Start::New).with_replications(100);
//! let rolling = simulation.run(&patched(Rollout::Rolling)?)?;
//! let at_once = simulation.run(&patched(Rollout::AllAtOnce)?)?;
//! // One at a time, the other server serves: no downtime. All at once: twelve rounds
//! // of two hours in a year, all of it planned.
//! assert_eq!(rolling.options[0].downtime_hours_per_year.mean, 0.0);
//! let down = &at_once.options[0].downtime_hours_per_year;
//! assert_eq!((down.mean, down.planned.mean, down.unplanned.mean), (24.0, 24.0, 0.0));
//! assert_eq!(at_once.options[0].availability.excluding_planned.mean, 1.0);
//! # Ok(())
//! # }
//! ```
//!
//! ## A first run
//!
//! ```
//! use nines::{Distribution, FailureMode, Service, Simulation, Tier};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // One database server: a host crash every 1000 h on average, 10 h to repair.
//! let crash = FailureMode::new(
//!     "host crash",
//!     "exp(mean=1000h)".parse::<Distribution>()?,
//!     Distribution::exponential(10.0)?,
//! );
//! let single = Service::new("one server", vec![Tier::builder("database").with_failure(crash.clone()).build()?])?;
//! // Two servers, either one enough.
//! let pair = Service::new(
//!     "two servers",
//!     vec![Tier::builder("database").with_replicas(2).with_required(1).with_failure(crash).build()?],
//! )?;
//!
//! let simulation = Simulation::new().with_replications(4000).with_seed(42);
//! let one = &simulation.run(&single)?.options[0];
//! let two = &simulation.run(&pair)?.options[0];
//! println!("one server:  {:.1} h down per year", one.downtime_hours_per_year.mean);
//! println!("two servers: {:.2} h down per year", two.downtime_hours_per_year.mean);
//!
//! // Steady state: one server is down 10/1010 of the time, two at once about (10/1010)².
//! assert!((one.unavailability.mean - 10.0 / 1010.0).abs() < 4.0 * one.unavailability.std_error + 1e-4);
//! assert!(two.downtime_hours_per_year.mean < one.downtime_hours_per_year.mean / 20.0);
//! # Ok(())
//! # }
//! ```
//!
//! Failover and backups answer different failures. Here one server with nightly
//! backups is compared with a failover pair whose standby fails silently, untested
//! and drilled monthly:
//!
//! ```
//! use nines::{Backup, Distribution, Failover, FailureMode, Service, Simulation, StandbyFailures, Tier};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let host = FailureMode::new("host failure", Distribution::exponential(4000.0)?, Distribution::exponential(4.0)?);
//! let restore = Distribution::exponential(3.0)?;
//! let backup_only = Tier::builder("database")
//!     .with_failure(host.clone().with_destroys_data(true))
//!     .with_backup(Backup::new(24.0, restore))
//!     .build()?;
//! let three_minutes = Distribution::fixed(0.05)?;
//! let failover = |drills: Option<f64>| {
//!     let mut settings = Failover::new()
//!         .with_switchover(three_minutes.clone())
//!         .with_standby_failures(StandbyFailures::Latent);
//!     if let Some(every) = drills {
//!         settings = settings.with_test_every(every);
//!     }
//!     Tier::builder("database").with_replicas(2).with_failover(settings).with_failure(host.clone()).build()
//! };
//! let simulation = Simulation::new().with_replications(20_000).with_seed(3);
//! let report = simulation.run_options(
//!     "database",
//!     &[
//!         Service::new("backup only", vec![backup_only])?,
//!         Service::new("failover, untested", vec![failover(None)?])?,
//!         Service::new("failover, drilled monthly", vec![failover(Some(720.0))?])?,
//!     ],
//! )?;
//! let downtime: Vec<f64> = report.options.iter().map(|o| o.downtime_hours_per_year.mean).collect();
//! // Backups do not prevent the outage: every host failure costs a restore.
//! assert!(report.options[0].restore_events_per_year.mean > 2.0);
//! // Untested, the standby is often dead when needed; drills find it first.
//! let failed = |i: usize| report.options[i].failover.failed_per_year;
//! assert!(failed(2) < failed(1) / 2.0);
//! assert!(downtime[2] < downtime[1] && downtime[1] < downtime[0]);
//! # Ok(())
//! # }
//! ```
//!
//! The same first model as a scenario file, which `nines simulate FILE` runs (see
//! [`Scenario`] for the format and its errors):
//!
//! ```toml
//! name = "single database server"
//! [simulation]
//! horizon = "1y"
//! replications = 100000
//! seed = 42
//! [[tier]]
//! name = "database"
//! replicas = 1
//! [[tier.failure]]
//! name = "host crash"
//! every = "exp(mean=1000h)"
//! repair = "exp(mean=10h)"
//! ```
//!
//! ## A system in service
//!
//! A planner asks what a year of a system *in service* costs, not a year of a brand
//! new one: a standby that died silently months ago, a backup found bad last spring,
//! servers that have aged. So by default ([`Start::Steady`]) each history first runs
//! a **warm-up**, simulated but not measured, and then measures one or more
//! consecutive **windows** of `horizon` hours (one year by default):
//!
//! ```text
//!   t = 0, all new        warm-up (not measured)       window 1      window 2    ...
//!   ├──────────────────────────────────────────────┼─────────────┼─────────────┤
//! ```
//!
//! The warm-up is chosen from the model ([`Simulation::with_warm_up`] states the rule: five
//! times the longest time the model remembers its as-new start), or given. Drills and
//! backups run on a schedule with a random phase. After a warm-up `W` a history
//! measures the smallest power of two of windows whose length is at least `4 W`, so the
//! warm-up costs at most a quarter of what is measured (but at most [`CHUNK`] windows,
//! and few enough that at least 64 histories remain); the replication count is rounded
//! up to whole histories. The warm-up and the windows per history are the same for
//! every option of a run, so options are measured over the same stretch of simulated
//! time and share their random numbers. [`Start::New`] measures one window from an
//! as-new start instead (every replica new and up, standbys healthy, a good backup at
//! t = 0, drills and backups at multiples of their intervals from t = 0): a new system,
//! or a check against transient formulas.
//!
//! ## What is reported
//!
//! A [`Report`] has one [`OptionReport`] per option (here, one: the service). A
//! *replication* is one measured window, and "per year" is per window scaled by
//! 1 y / horizon.
//!
//! Every estimated figure a decision rests on is an [`Estimate`]: its `mean` over the
//! simulated histories, the `std_error` of that mean and a 95 % interval `ci95` (see
//! *Intervals*). That holds for the availability, the downtime, outages, data lost,
//! restores and losses for good per year, the share of years that break the SLA or
//! lose data for good, every cost but the infrastructure (known exactly), and the
//! differences between options (see *Comparing options*). What only breaks these
//! down (failover demands by cause, each tier's part, each class of disruption) is
//! given as plain means.
//!
//! - **availability**: Σ uptime / (windows · horizon), with its standard error and 95 %
//!   interval, planned downtime counted, and without it (`excluding_planned`);
//!   unavailability and nines = −log10(unavailability). Standard errors of
//!   means come from each history's average over its windows (batch means): the
//!   windows of one history follow each other and are not independent, its batches
//!   are;
//! - **downtime per year**: mean, standard deviation, P50, P90, P99 and max across the
//!   windows, and the mean's planned and unplanned parts (see *Planned maintenance*);
//! - **outages** (maximal intervals with the service down): per year, their duration
//!   (mean, P50, P95, P99, max) and the service MTBF = uptime / outages. An outage
//!   running at the start or the end of a window is cut there and counted in
//!   `cut_at_window_edges`; an outage of zero length (a tier down and up at one
//!   instant) is not an outage; unplanned outages (maximal intervals of unplanned
//!   downtime) per year apart;
//! - **per tier**: its own unavailability, its share of the service downtime (time
//!   when several tiers were down is split equally among them) and its failures per
//!   year;
//! - **data loss**: hours of data lost per year by restores and at failovers (mean,
//!   P99, worst single loss; the failovers' part apart), restores and bad backups
//!   found; **losses for good** per year and the share of years with at least one;
//! - **disruptions**: per class, how often, the outages it started against the RTO,
//!   the data each cost against the RPO (see above). *Within RTO* is a share of the
//!   outages the class started (those that lasted at most the RTO); *within RPO* a
//!   share of the class's disruptions (those that lost at most the RPO of data, most
//!   losing none; a loss for good never is): [`DisruptionReport`] says exactly what
//!   is counted. The report states its targets ([`Report::rto_hours`],
//!   [`Report::rpo_hours`]);
//! - **failover**: demands, failed demands by cause, latent failures found by drills;
//! - **cost and SLA** with [`Costs`] and an [`Sla`]: see below;
//! - **warnings** a reader must see: costs that price neither downtime nor lost data
//!   (tier costs and no `[costs]` rates, so options are ranked on their infrastructure
//!   alone), a risk of losing data for good that `[costs]` does not price, a tier that
//!   never fails by assumption;
//! - **charts** ([`chart`]): the same report drawn as SVG and PNG (downtime across
//!   years against the SLA, recovery time per class of disruption against the RTO,
//!   cost, data lost, which tier is to blame, a sweep, and the median, P90 and worst
//!   simulated years outage by outage, from [`Simulation::notable_histories`]).
//!
//! A report prints as a table (`Display`), and as [`Report::comparison_table`],
//! [`Report::to_markdown`], [`Report::to_csv`], [`Report::to_html`] (one
//! self-contained page with the charts inline) or JSON (serde). The table, the
//! comparison, Markdown and HTML show what each class of disruption did when there is
//! something to show (more than one class, an RTO or RPO, or data lost), so the table
//! of a single server stays short; the CSV has the per-class columns always, empty
//! where they do not apply.
//!
//! In JSON every [`Estimate`] is an object `{"mean", "std_error", "ci95"}`; a
//! [`Spread`] (downtime per year) and a [`DataLoss`] carry those three keys beside
//! their quantiles. Reports written before the single estimate type named the
//! availability's value `point` and gave costs, `unrecoverable_probability` and
//! `sla.breach_probability` as bare numbers, without standard errors; they no longer
//! read back.
//!
//! Percentiles come from a log-bucketed histogram and are within 0.2 % of the exact
//! nearest-rank order statistic; maxima and means are exact. Memory does not grow with
//! the replication count.
//!
//! ### Intervals
//!
//! An [`Estimate`] holds the mean of the per-history values, its plain standard error
//! `se = s/√n` (`s` their standard deviation, `n` the histories), and a 95 % interval
//! `ci95`. The interval is Hall's (1992) skewness-corrected one, not `mean ± 1.96·se`.
//! A highly available service has very skewed yearly availabilities: most years see
//! no downtime, a few see hours. A run that happened to
//! draw few bad years then shows both a high mean and a small spread, so the normal
//! interval misses on the low side far more often than on the high side. Hall's
//! interval takes the sample skewness `g₁` (from the third central moment, formed
//! like the variance from exact power sums) and, with `a = g₁/(3√n)` and `z = 1.96`,
//! reports `[x̄ − g⁻¹(z)·se, x̄ − g⁻¹(−z)·se]` for the transformation
//! `g(t) = t + a·t² + a²·t³/3 + a/2` of the studentised mean, which removes the
//! skewness from its distribution to first order. It is the normal interval when the
//! values are not skewed, reaches further towards the long tail when they are, and is
//! clamped to \[0, 1\] for fractions and at 0 below for hours, counts and money (a
//! difference is not clamped). The unavailability's interval is its mirror image. With the
//! default steady start each history averages several years, so its values are less
//! skewed and the correction smaller.
//!
//! Coverage, measured against exact interval availabilities (one year from an as-new
//! start, exponential failures of mean 1000 h and repairs of mean 10 h; a share of
//! runs with seeds 0, 1, 2, ... whose interval held the exact value; in brackets, the
//! share of misses below the interval and above it):
//!
//! | model                  | replications | runs  | Hall's interval       | normal interval       |
//! |------------------------|-------------:|------:|-----------------------|-----------------------|
//! | 1 of 2 active replicas |        1,000 | 4,000 | 94.7 % (2.6 %, 2.7 %) | 94.2 % (4.3 %, 1.5 %) |
//! | 1 of 2 active replicas |       10,000 |   800 | 95.6 % (2.8 %, 1.6 %) | 96.0 % (3.0 %, 1.0 %) |
//! | single unit            |        1,000 | 4,000 | 95.5 % (2.3 %, 2.2 %) | 95.4 % (2.5 %, 2.1 %) |
//! | single unit            |       10,000 |   800 | 96.0 % (1.8 %, 2.3 %) | 95.9 % (1.9 %, 2.3 %) |
//!
//! Both hold about 95 % in all, but the normal interval's misses are lopsided for the
//! skewed pair; Hall's are balanced, so each of its ends means what it says. The
//! integration test `coverage` checks 93–97 % over 2,000 runs of 1,000 replications
//! and 200 runs of 10,000, for both models.
//!
//! ## Comparing options
//!
//! A decision compares several ways of building one service. Give the
//! [`Simulation`] [`Costs`] and an [`Sla`], run the options together, and the report
//! prices each, ranks them by expected yearly cost and recommends the cheapest that
//! meets the SLA:
//!
//! ```
//! use nines::{Costs, Distribution, FailureMode, Service, Simulation, Sla, Tier};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let crash = FailureMode::new("crash", Distribution::exponential(2000.0)?, Distribution::exponential(8.0)?);
//! let option = |replicas: u32| -> Result<Service, Box<dyn std::error::Error>> {
//!     let tier = Tier::builder("database").with_replicas(replicas).with_cost_per_replica(20_000.0).with_failure(crash.clone()).build()?;
//!     Ok(Service::new(format!("{replicas} servers"), vec![tier])?)
//! };
//! let report = Simulation::new()
//!     .with_replications(5000)
//!     .with_costs(Costs::new("EUR").with_downtime_per_hour(5_000.0))
//!     .with_sla(Sla::Availability(0.999))
//!     .run_options("database", &[option(1)?, option(2)?, option(3)?])?;
//! // One server costs 20,000 a year but about 35 h of downtime (175,000); a second one
//! // pays for itself; a third buys almost nothing.
//! assert_eq!(report.recommendation.unwrap().option, "2 servers");
//! assert_eq!(report.ranking, ["2 servers", "3 servers", "1 servers"]);
//! # Ok(())
//! # }
//! ```
//!
//! In scenario files, options are `[[option]]` tables that change the baseline's tiers
//! by name; `nines compare` prints the ranking, and `nines sweep` compares one setting
//! over several values ([`Scenario::sweep`]).
//!
//! ### Differences that are not noise
//!
//! The options run side by side on common random numbers: history `i` of every option
//! draws each failure, repair and switchover from a stream named after what it is for,
//! so two options that share a component see the same failures of it. What a decision
//! needs is the *difference* between options, and taken history by history most of
//! the chance they share cancels. Each option other than the recommended one has
//! [`OptionReport::versus_recommended`]: its cost, downtime and data lost per year
//! minus the recommended option's, each a [`Difference`] whose standard error and 95 %
//! interval come from the spread of the per-history differences (the *paired*
//! standard error), beside the `unpaired_std_error` two independent runs would have
//! had, `√(se₁² + se₂²)`. Their ratio ([`Difference::paired_to_unpaired`]) is printed
//! under the comparison table; in the example below it is 0.09.
//!
//! The recommendation then looks at its *runner-up*: the option the rule would pick
//! without it (the next cheapest that meets the SLA, or the next cheapest when none
//! does). When the 95 % interval of their paired difference (in cost, or in downtime
//! when nothing is priced) holds 0, the numbers cannot tell which is cheaper, and the
//! recommendation says so, with the replications that would: `n·((z₉₇.₅ + z₈₀)·se/d)²`
//! for a run of `n` with a gap `d` of standard error `se`, the count at which a gap
//! that size would be told apart at the 5 % level four times out of five.
//!
//! ```
//! use nines::{Costs, Distribution, FailureMode, Service, Simulation, Sla, Tier};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let crash = FailureMode::new("crash", Distribution::exponential(2000.0)?, Distribution::exponential(8.0)?);
//! let web = Tier::builder("web").with_replicas(2).with_failure(crash.clone()).build()?;
//! // Two databases that differ only in the repair contract: 8 h or 7 h on average.
//! let database = |repair: f64| -> Result<Tier, Box<dyn std::error::Error>> {
//!     let crash = FailureMode::new("crash", Distribution::exponential(2000.0)?, Distribution::exponential(repair)?);
//!     Ok(Tier::builder("database").with_cost_per_replica(1000.0).with_failure(crash).build()?)
//! };
//! let report = Simulation::new()
//!     .with_replications(4000)
//!     .with_costs(Costs::new("EUR").with_downtime_per_hour(100.0))
//!     .with_sla(Sla::Availability(0.99))
//!     .run_options(
//!         "shop",
//!         &[
//!             Service::new("8 h repairs", vec![web.clone(), database(8.0)?])?,
//!             Service::new("7 h repairs", vec![web, database(7.0)?])?,
//!         ],
//!     )?;
//! let slower = report.option("8 h repairs").unwrap();
//! let downtime = slower.versus_recommended.as_ref().unwrap().downtime_hours_per_year;
//! // Each option's downtime per year is known to about ± 0.7 h (95 %); their
//! // difference, 4.4 h, to ± 0.09 h: the repairs are drawn from the same stream.
//! assert!((downtime.estimate.mean - 4.39).abs() < 0.01);
//! assert!(downtime.estimate.ci95[1] - downtime.estimate.ci95[0] < 0.2);
//! assert!(downtime.paired_to_unpaired().unwrap() < 0.1);
//! # Ok(())
//! # }
//! ```
//!
//! ## Reproducibility
//!
//! A report depends only on the model, the seed, the replication count and the crate
//! version: it is bit-identical whatever the number of threads, and whatever the number
//! of shards the run was split into (below). Every draw comes from a random stream
//! whose key is a hash of names: the component (a tier and a replica number, or a
//! tier's tier-wide mode), the failure mode and the purpose of the draw (a life, a
//! repair, a switchover, a restore, ...), combined with the seed and the history's
//! index, never with a thread or a position in the model. So adding a tier, a replica
//! or a failure mode leaves the draws of every other part as they were, and options
//! run on one seed share their random numbers where they agree (common random
//! numbers): the difference between two options is not noise.
//!
//! Histories run in fixed chunks of [`CHUNK`] windows. Within a chunk, sums are
//! added in `f64`, history after history; across chunks everything is exact: counts
//! and histogram buckets are integers, and each chunk's sums go into a 2176-bit
//! fixed-point accumulator that holds any sum of `f64`s without rounding. So the
//! accumulators merge in any grouping and any order with the same bits: each worker
//! thread runs whole chunks into accumulators of its own, merged once at the end, and
//! shards merge the same way. The moments behind standard errors and the skewness are
//! kept as raw power sums (Σx, Σx², Σx³, which add exactly) of quantities that are
//! small for a good system (unavailability rather than availability), so that the
//! variance formed from them at the end does not cancel.
//!
//! ## Shards: a run on a batch cluster
//!
//! A run can be split into shards, each run as its own process anywhere (a Slurm job
//! array, a Kubernetes indexed Job), and merged: [`Simulation::run_shard`] (or
//! [`Scenario::run_shard`]) runs shard `i` of `n`, a fixed contiguous share of the
//! chunks, into a [`Shard`] that serialises to JSON ([`Shard::to_json`],
//! [`Shard::load`]); [`Shard::merge`] checks that the shards belong together (same
//! version of nines, model, seed and settings; ranges that tile the run, each shard
//! once) and gives the report of the whole run, bit for bit. A precision target
//! needs the whole run, so shards refuse it. On the command line, `nines shard FILE
//! --of N --output PATH` (the index from `--index`, `SLURM_ARRAY_TASK_ID` or
//! `JOB_COMPLETION_INDEX`) and `nines merge PATH...`.
//!
//! ## Features
//!
//! Two cargo features, both on by default:
//!
//! - `charts`: the [`chart`] module, which draws a report as SVG and PNG (with
//!   plotters, an embedded DejaVu font and a PNG encoder);
//! - `cli`: the `nines` command-line tool (with clap and a progress bar); it implies
//!   `charts`, since the tool writes charts.
//!
//! A program that only simulates and reads the report builds neither:
//!
//! ```toml
//! [dependencies]
//! nines = { version = "0.1", default-features = false }
//! ```
//!
//! Everything else is the same without them: the model, the simulation, the report
//! and its table, Markdown, CSV, JSON and [`Report::to_html`], which then takes no
//! charts (`&[]`: without `charts`, [`chart::Chart`] has no values).
//!
//! ## Fine points
//!
//! - Tier-scope failure modes have one clock per tier; their repairs are not queued
//!   for repair crews and do not renew the replicas.
//! - A failure mode's `every` must have a positive mean (a zero would fail endlessly
//!   at one instant); a repair may take no time.
//! - Without a seed, runs use [`Simulation::DEFAULT_SEED`]; the report always states
//!   the seed used.
//! - Failover: the demand is noticed after `detection`; then the first standby that
//!   looks healthy is chosen and the switchover to it takes `switchover`; a failed
//!   switchover costs `manual_recovery` more. With no standby left to try, the tier
//!   waits at once for a replica to come back. Repairs go on and standbys may fail
//!   during a switchover or a manual recovery (a standby found dead sends the tier to
//!   the next). Several vacancies in one tier are handled one demand at a time. A
//!   demand "fails" when its first attempt fails; the causes count every failed
//!   attempt. A latent standby failure stops the standby's clock until found. A
//!   repaired replica serves at once whenever its tier lacks a serving replica,
//!   calling off a switchover or manual recovery under way.
//! - Data: a destruction while the tier's data is already being restored or rebuilt
//!   loses nothing more (the tier is already down). Whether a backup is restorable is
//!   fixed once per backup and history. A restore whose attempts would end after the
//!   history does stops timing them (it cannot end within the history) but still
//!   finds the backup that loads, so the data lost is known. `strategy =
//!   "backup-only"` in a file is shorthand for one replica whose replica-scope modes
//!   destroy data, with a backup.
//! - Options: with `[[option]]`s, the top-level tiers are an option too, named by the
//!   file's `baseline` key (default `"baseline"`). An option changes tiers by name;
//!   tables merge key by key, failure modes are changed by name
//!   (`tier.db.failure."host crash".repair`), and `tier.db.backup = "none"` removes a
//!   backup policy, `maintenance = "none"` a maintenance. Costs and the SLA are the
//!   same for every option of a run.
//! - An option "meets" the SLA when its expected downtime per year is within the
//!   budget; the probability that a single year breaks it is reported beside, and the
//!   verdict says how sure it is ([`SlaReport::verdict`]: met on average when the 95 %
//!   interval of the expected downtime is within the budget, too close to call when
//!   the budget is inside it, missed when it is above; [`SlaReport::describe`] words
//!   it, "met" alone only when no simulated year breached). Options are ranked by expected total cost (by mean downtime when there are no
//!   costs; by infrastructure cost alone, with a warning, when tier costs are given
//!   and no rate of `[costs]`); the recommendation is the cheapest that meets the
//!   SLA, else the cheapest.

#![deny(missing_docs)]
// Without the charts, the docs' links to chart functions have nothing to point at;
// the default build checks every link.
#![cfg_attr(not(feature = "charts"), allow(rustdoc::broken_intra_doc_links))]

#[cfg(feature = "charts")]
pub mod chart;
// Without the `charts` feature, `chart` holds only a `Chart` that cannot be made, so
// `Report::to_html(scenario, &[])` reads the same with and without it.
#[cfg(not(feature = "charts"))]
#[path = "chart_off.rs"]
pub mod chart;
mod compare;
mod cost;
mod dist;
pub(crate) mod html;
mod model;
mod report;
mod scenario;
mod sim;
mod stats;

pub use cost::{CostError, Costs, Sla};
pub use dist::{DistError, Distribution, Hours, format_hours, parse_hours};
pub use model::{
    Backup, CrossSite, Dependency, DependencyBuilder, Failover, FailureMode, Maintenance, ModelError, Replication,
    Rollout, Scope, Service, Site, SiteBuilder, StandbyFailures, Tier, TierBuilder,
};
pub use report::{
    Availability, CostReport, CrossSiteStats, DataLoss, Difference, DisruptionReport, Durations, Estimate,
    FailoverStats, Losses, OptionReport, OutageDurations, Recommendation, Report, ReportError, SlaReport, SlaVerdict,
    Spread, Sweep, TierReport, Versus,
};
pub use report::{format_money, human_hours};
pub use scenario::{Format, Scenario, ScenarioError};
pub use sim::{
    CHUNK, History, Importance, MAX_PAIRED_OPTIONS, MAX_SHARDS, MergeError, Progress, ScenarioSource, Shard,
    ShardError, SimError, Simulation, Start,
};

/// Hours in a year (365 days): the unit behind "per year" and the `y` duration suffix.
pub const HOURS_PER_YEAR: f64 = 8760.0;
