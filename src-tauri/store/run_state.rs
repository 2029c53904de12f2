//! The states of a run, of its steps and of an outbox message: closed lists, written to the
//! workspace and to JSON by their snake_case names, generated into TypeScript.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use schemars::JsonSchema;
use serde::Serialize;
use std::fmt;

/// Declares a state enum with its name table, its `Display` and its SQL
/// conversions (an unknown name read back is an error, not a default).
macro_rules! states {
    ($(#[$doc:meta])* $ty:ident { $($(#[$vdoc:meta])* $name:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $ty {
            $($(#[$vdoc])* $name,)*
        }

        impl $ty {
            /// Every state, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$name,)*];

            /// The state's name, as stored and serialised.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$name => $text,)*
                }
            }

            /// The state named `s`, if there is one.
            pub fn from_name(s: &str) -> Option<$ty> {
                match s {
                    $($text => Some($ty::$name),)*
                    _ => None,
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Compares with a state's name (`state == "succeeded"`).
        impl PartialEq<&str> for $ty {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $ty {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = value.as_str()?;
                $ty::from_name(s).ok_or_else(|| {
                    FromSqlError::Other(
                        format!(concat!("unknown ", stringify!($ty), " \"{}\""), s).into(),
                    )
                })
            }
        }
    };
}

states! {
    /// Where a step of a run stands.
    #[derive(Default)]
    StepState {
        /// Not started.
        #[default]
        Pending = "pending",
        /// The trigger is about to be sent (committed first, so a resumed run
        /// knows it may have gone out).
        Triggering = "triggering",
        /// The endpoint accepted the trigger; being polled.
        Triggered = "triggered",
        /// Deployed; the verification is running.
        Verifying = "verifying",
        Succeeded = "succeeded",
        Failed = "failed",
        /// Not started because the run was stopping.
        Skipped = "skipped",
        /// Deployed by a person, not by an endpoint.
        Manual = "manual",
        /// The release marker at the end of the runbook.
        Released = "released",
        /// Polling stopped by an abort or a stop; the deploy may go on remotely.
        Interrupted = "interrupted",
        RollingBack = "rolling_back",
        RolledBack = "rolled_back",
        RollbackFailed = "rollback_failed",
        /// Rolling back needs a person (no rollback call is configured).
        RollbackManual = "rollback_manual",
    }
}

impl StepState {
    /// Did the step reach an end of its own (it counts towards the progress)?
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            StepState::Succeeded
                | StepState::Failed
                | StepState::Skipped
                | StepState::Manual
                | StepState::Released
                | StepState::Interrupted
        )
    }

    /// Is the step in the rollback phase?
    pub fn is_rollback(self) -> bool {
        matches!(
            self,
            StepState::RollingBack
                | StepState::RolledBack
                | StepState::RollbackFailed
                | StepState::RollbackManual
        )
    }

    /// Does the step need a person to look at it after the run?
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            StepState::Failed | StepState::RollbackFailed | StepState::RollbackManual
        )
    }
}

states! {
    /// Where a run stands.
    RunState {
        Running = "running",
        /// Stopping without a rollback: no new step starts.
        Halting = "halting",
        Succeeded = "succeeded",
        RollingBack = "rolling_back",
        /// Every deployed step was rolled back (exit code 3).
        RolledBack = "rolled_back",
        /// A rollback failed or needs a person (exit code 4).
        RollbackIncomplete = "rollback_incomplete",
        /// Stopped without a rollback (exit code 4).
        Failed = "failed",
    }
}

states! {
    /// Where a message of the outbox stands.
    OutboxState {
        /// Waiting to be sent (again, after a failed try, at `next_at`).
        Pending = "pending",
        /// Claimed by a sender until `next_at` (its lease); taken over after that
        /// if the sender died.
        Sending = "sending",
        Sent = "sent",
        /// Refused by the service for good (a 4xx): `flotilla outbox retry`
        /// queues it again once the channel is fixed.
        Failed = "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for s in StepState::ALL {
            assert_eq!(StepState::from_name(s.as_str()), Some(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for s in RunState::ALL {
            assert_eq!(RunState::from_name(s.as_str()), Some(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for s in OutboxState::ALL {
            assert_eq!(OutboxState::from_name(s.as_str()), Some(*s));
        }
        assert_eq!(StepState::from_name("rolling"), None);
    }
}
