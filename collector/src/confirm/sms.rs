//! Sending a message: the operator's `--sms-command`, run with `sh -c` in a process group of its
//! own, the number and text in its environment, killed (with its children) after a deadline.

use std::process::Stdio;
use std::time::Duration;

/// The command that sends one SMS, and how long it may take.
#[derive(Clone, Debug)]
pub struct Sender {
    pub command: String,
    pub timeout: Duration,
}

/// Why a message was not sent (never naming the number or the text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotSent {
    /// The command could not be started.
    Spawn(String),
    /// The command exited with this status.
    Exit(String),
    /// The command ran past the deadline and was killed.
    Timeout(Duration),
}

impl std::fmt::Display for NotSent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotSent::Spawn(e) => write!(f, "the SMS command could not start: {e}"),
            NotSent::Exit(status) => write!(f, "the SMS command failed ({status})"),
            NotSent::Timeout(t) => write!(f, "the SMS command took longer than {t:?} and was killed"),
        }
    }
}

impl Sender {
    /// Runs the command with `KELISIM_SMS_TO=to` and `KELISIM_SMS_TEXT=text`; exit 0 is sent. Its
    /// output is discarded: it may repeat the message.
    pub async fn send(&self, to: &str, text: &str) -> Result<(), NotSent> {
        let mut child = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(&self.command)
            .env("KELISIM_SMS_TO", to)
            .env("KELISIM_SMS_TEXT", text)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| NotSent::Spawn(e.to_string()))?;
        match tokio::time::timeout(self.timeout, child.wait()).await {
            Ok(Ok(status)) if status.success() => Ok(()),
            Ok(Ok(status)) => Err(NotSent::Exit(status.to_string())),
            Ok(Err(e)) => Err(NotSent::Exit(e.to_string())),
            Err(_) => {
                if let Some(pid) = child.id().and_then(|id| i32::try_from(id).ok()) {
                    // SAFETY: kill only sends a signal; the group is the child's own (process_group(0)).
                    unsafe {
                        libc::kill(-pid, libc::SIGKILL);
                    }
                }
                let _ = child.kill().await;
                Err(NotSent::Timeout(self.timeout))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sender(command: &str, timeout_ms: u64) -> Sender {
        Sender { command: command.into(), timeout: Duration::from_millis(timeout_ms) }
    }

    #[tokio::test]
    async fn the_number_and_text_reach_the_command_and_its_exit_status_counts() {
        let dir = std::env::temp_dir().join(format!("kelisim-sms-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("out.txt");
        let command =
            format!("printf '%s\\t%s\\n' \"$KELISIM_SMS_TO\" \"$KELISIM_SMS_TEXT\" >> '{}'", out.display());
        assert_eq!(sender(&command, 5000).send("+77012345678", "код 123456").await, Ok(()));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "+77012345678\tкод 123456\n");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(matches!(sender("exit 3", 5000).send("+7", "x").await, Err(NotSent::Exit(_))));
    }

    #[tokio::test]
    async fn a_command_past_its_deadline_is_killed_with_its_children() {
        let started = std::time::Instant::now();
        let result = sender("sleep 30 & sleep 30", 200).send("+7", "x").await;
        assert_eq!(result, Err(NotSent::Timeout(Duration::from_millis(200))));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
