//! One seeded random generator for every synthetic world (the routing
//! bench and reference tests, the load generator's in-process scenarios),
//! so a world is the same on every run and they share one way of drawing
//! from it. Built on `rand`'s `StdRng`; never used for anything secret.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A reproducible stream of numbers from a seed.
#[derive(Debug, Clone)]
pub struct Seeded(StdRng);

impl Seeded {
    pub fn new(seed: u64) -> Self {
        Self(StdRng::seed_from_u64(seed))
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.0.random_range(0..n.max(1))
    }

    /// An index into something `n` long (0 when it is empty).
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// True `p` times in a hundred.
    pub fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    /// A float in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        self.0.random()
    }

    /// One of `from` (which must not be empty).
    pub fn pick<T: Clone>(&mut self, from: &[T]) -> T {
        from[self.index(from.len())].clone()
    }

    /// One of `choices`, by weight (the weights add up to 100).
    pub fn weighted<T: Copy>(&mut self, choices: &[(u64, T)]) -> T {
        let mut roll = self.below(100);
        for &(weight, choice) in choices {
            if roll < weight {
                return choice;
            }
            roll -= weight;
        }
        choices[choices.len() - 1].1
    }
}
