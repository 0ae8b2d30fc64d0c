//! The sandbox's resource bounds: what one evaluation may spend, as a pack declares them and as the
//! host caps them.

use serde::{Deserialize, Serialize};

/// Resource bounds for one evaluation. A pack may lower them in `pack.yaml` (`limits:`), never
/// raise them past [`ScriptLimits::HOST_MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScriptLimits {
    /// Operations one evaluation may perform (an endless loop stops here).
    pub max_operations: u64,
    /// Depth of nested function calls.
    pub max_call_levels: usize,
    /// Depth of nested expressions at top level (checked when the script is compiled).
    pub max_expr_depth: usize,
    /// Depth of nested expressions inside functions (checked when the script is compiled).
    pub max_function_expr_depth: usize,
    /// Length of any string, in bytes.
    pub max_string_size: usize,
    /// Elements of any array.
    pub max_array_size: usize,
    /// Entries of any map.
    pub max_map_size: usize,
    /// Variables alive at once.
    pub max_variables: usize,
}

impl ScriptLimits {
    /// What a pack gets when it says nothing.
    pub const DEFAULT: Self = Self {
        max_operations: 1_000_000,
        max_call_levels: 24,
        max_expr_depth: 48,
        max_function_expr_depth: 32,
        max_string_size: 64 * 1024,
        max_array_size: 10_000,
        max_map_size: 10_000,
        max_variables: 256,
    };

    /// The most any pack may ask for: about a second of work and a few MiB of data.
    pub const HOST_MAX: Self = Self {
        max_operations: 20_000_000,
        max_call_levels: 48,
        max_expr_depth: 96,
        max_function_expr_depth: 64,
        max_string_size: 1024 * 1024,
        max_array_size: 100_000,
        max_map_size: 100_000,
        max_variables: 1024,
    };

    /// The limits that exceed the host maximum, as `(name, asked, max)`.
    pub fn above_host_max(&self) -> Vec<(&'static str, u64, u64)> {
        let m = Self::HOST_MAX;
        let pairs: [(&'static str, u64, u64); 8] = [
            ("max_operations", self.max_operations, m.max_operations),
            ("max_call_levels", self.max_call_levels as u64, m.max_call_levels as u64),
            ("max_expr_depth", self.max_expr_depth as u64, m.max_expr_depth as u64),
            ("max_function_expr_depth", self.max_function_expr_depth as u64, m.max_function_expr_depth as u64),
            ("max_string_size", self.max_string_size as u64, m.max_string_size as u64),
            ("max_array_size", self.max_array_size as u64, m.max_array_size as u64),
            ("max_map_size", self.max_map_size as u64, m.max_map_size as u64),
            ("max_variables", self.max_variables as u64, m.max_variables as u64),
        ];
        pairs.into_iter().filter(|(_, asked, max)| asked > max).collect()
    }
}

impl Default for ScriptLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
