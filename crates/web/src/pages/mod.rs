//! The HTML pages, one module each, sharing one layout.

pub mod episode;
pub mod episodes;
pub mod error;
pub mod layout;
pub mod search;
pub mod stats;
