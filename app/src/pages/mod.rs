//! Pages, in separate route trees: public pages, the enterprise portal (`/portal`) and the
//! operator console (`/ops`).

pub mod ops;
pub mod portal;
pub mod public;

pub use crate::components::set_http_status;
