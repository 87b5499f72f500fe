//! The HTML pages, one module each, sharing one layout.

pub mod dispersion;
pub mod episode;
pub mod episodes;
pub mod error;
pub mod layout;
pub mod profile;
pub mod search;
pub mod stats;
pub mod trend;
