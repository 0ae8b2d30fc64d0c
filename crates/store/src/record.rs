//! The records a store error names. Kept as data, not text, so that a service answers in its
//! client's language; `Display` is the English of the store's own messages and logs.

use std::fmt;

/// A record, or a state of records, that a change conflicts with or does not find.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Record {
    /// A tenant.
    Tenant(String),
    /// An API key, with its tenant when the store knows it.
    Key {
        /// The key's public id.
        key: String,
        /// Its tenant.
        tenant: Option<String>,
    },
    /// The revocation of a key (it is revoked already).
    KeyRevocation(String),
    /// A pack version, by its number in the store.
    PackVersion(i64),
    /// A tenant's mission model.
    Model(String),
    /// A mission.
    Mission(String),
    /// The recorded state of a mission.
    MissionState(String),
    /// A ticket, by number.
    Ticket(i64),
    /// The room for status changes a ticket has (it holds `max` already).
    TicketEvents {
        /// The ticket.
        ticket: i64,
        /// The most it may hold.
        max: usize,
    },
    /// The history of a tenant's plugin.
    PluginHistory {
        /// The plugin.
        plugin: String,
        /// The tenant.
        tenant: String,
    },
    /// An entry of a plugin's history.
    PluginEntry {
        /// The plugin.
        plugin: String,
        /// The entry's number.
        seq: u64,
    },
    /// An entry of a plugin's history that disables it: nothing to enable again.
    PluginDisablingEntry {
        /// The plugin.
        plugin: String,
        /// The entry's number.
        seq: u64,
    },
    /// A plugin enabled already as an entry of its history left it.
    PluginEnabledAsEntry {
        /// The plugin.
        plugin: String,
        /// The entry's number.
        seq: u64,
    },
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Record::Tenant(id) => write!(f, "tenant `{id}`"),
            Record::Key { key, tenant: None } => write!(f, "key `{key}`"),
            Record::Key { key, tenant: Some(tenant) } => write!(f, "key `{key}` of tenant `{tenant}`"),
            Record::KeyRevocation(key) => write!(f, "the revocation of key `{key}`"),
            Record::PackVersion(seq) => write!(f, "active pack version #{seq}"),
            Record::Model(id) => write!(f, "model `{id}`"),
            Record::Mission(id) => write!(f, "mission `{id}`"),
            Record::MissionState(id) => write!(f, "the state of mission `{id}`"),
            Record::Ticket(n) => write!(f, "ticket {n}"),
            Record::TicketEvents { ticket, max } => write!(f, "the {max} status changes ticket {ticket} may hold"),
            Record::PluginHistory { plugin, tenant } => {
                write!(f, "a history of plugin `{plugin}` for tenant `{tenant}`")
            }
            Record::PluginEntry { plugin, seq } => write!(f, "entry {seq} of the history of plugin `{plugin}`"),
            Record::PluginDisablingEntry { plugin, seq } => {
                write!(f, "entry {seq} of plugin `{plugin}` disables it: there is nothing to enable")
            }
            Record::PluginEnabledAsEntry { plugin, seq } => {
                write!(f, "plugin `{plugin}` is already enabled as entry {seq} left it")
            }
        }
    }
}
