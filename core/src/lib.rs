//! Vanthu core: the domain of Vietnamese official documents ("văn thư 4 đúng").
//!
//! No GUI here: the iced application and the command line are thin shells over
//! these functions. Everything a user can do is a function that takes an
//! authenticated [`store::Actor`]; rules and workflow are decided here.

pub mod archive;
pub mod calendar;
pub mod demo;
pub mod exchange;
pub mod model;
pub mod overrides;
pub mod pdf;
pub mod pki;
pub mod private_fs;
pub mod received;
pub mod rules;
pub mod ruleset;
pub mod store;
pub mod text;
pub mod workflow;

pub use store::{Actor, Store, StoreError};
