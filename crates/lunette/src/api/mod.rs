//! The embedding API for Rust hosts (mlua-style). Comes with the embedding issue.
