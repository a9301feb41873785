//! finhub-seed: a deterministic synthetic world from one seed number.
//!
//! `seed_world` builds people with Korean names, their accounts at the real
//! Korean banks, the cards, loans, funds, securities, pension and IRP
//! accounts some of them hold (with each account's product terms), and a
//! year of believable history, loaded through the store's bulk path. The
//! first person of every chunk holds every product. Card purchases, trades
//! and loan repayments carry the typed memos of `finhub_core::merchant`. Everything is drawn from `StdRng`s seeded from the seed number
//! (never the system RNG) and the history is anchored to the UTC date of the
//! store clock's `now`: the same seed on the same day gives the same world.
//!
//! People are generated and loaded in chunks of [`CHUNK_PEOPLE`], one database
//! transaction each, so memory stays bounded at any world size. Re-seeding is
//! idempotent per chunk: a chunk whose first person already exists is skipped
//! whole, so running the same seed twice adds nothing the second time, and a
//! larger `people` count with the same seed adds only the chunks not yet
//! loaded (a trailing partial chunk from an earlier, smaller run is kept as
//! it was). A different seed adds a separate population; a generated phone
//! number someone already holds is left empty rather than conflicting.

mod catalog;
mod chunk;
mod cover;
mod dues;
mod events;
mod flows;
mod history;
mod lenders;
mod names;
mod play;
mod products;
mod services;
mod terms;
mod world;

pub use history::add_history;
pub use world::seed_world;

/// People per generated chunk (and per load transaction). Fixed, because the
/// chunk decides who transfers to whom: changing it changes the world.
pub const CHUNK_PEOPLE: u64 = 1_000;

/// How big a world to build, and from which seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedOptions {
    pub people: u64,
    pub seed: u64,
    /// Days of history before today (UTC); 365 by default.
    pub history_days: u32,
    /// Upper bound on statement lines per account, its opening included.
    pub max_tx_per_account: u32,
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions {
            people: 1_000,
            seed: 1,
            history_days: 365,
            max_tx_per_account: 120,
        }
    }
}

impl SeedOptions {
    /// The demo world `finhub serve` builds: three months of history, long
    /// enough to page through on the busiest accounts.
    pub fn demo(people: u64) -> Self {
        SeedOptions {
            people,
            history_days: 90,
            max_tx_per_account: 60,
            ..Default::default()
        }
    }
}

/// What a seed run added (chunks that already existed count for nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    pub people: u64,
    pub accounts: u64,
    /// Posting rows written, settlement sides included.
    pub postings: u64,
    pub elapsed_ms: u64,
}

/// splitmix64: spreads a seed and an index into an independent stream seed.
pub(crate) fn mix(seed: u64, index: u64) -> u64 {
    let mut z = seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A version-4 UUID drawn from the given RNG.
pub(crate) fn uuid_from(rng: &mut impl rand::RngCore) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    uuid::Builder::from_random_bytes(b).into_uuid().to_string()
}
