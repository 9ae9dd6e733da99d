//! Which purposes the visitor has ticked: required ones locked on, optional ones never pre-ticked.

use crate::config::Config;
use crate::prelude::*;

/// The visitor's choice for each purpose, in config order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choices {
    items: Vec<Choice>,
}

/// One purpose's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Purpose id.
    pub id: String,
    /// Required purposes cannot be unticked.
    pub required: bool,
    /// Whether the box is ticked.
    pub granted: bool,
}

impl Choices {
    /// The first view: required purposes ticked, every optional purpose unticked.
    pub fn fresh(config: &Config) -> Choices {
        let mut items = Vec::new();
        for p in &config.purposes {
            items.push(Choice { id: p.id.clone(), required: p.required, granted: p.required });
        }
        Choices { items }
    }

    /// Starts from an earlier decision: purposes it granted stay ticked, new ones start unticked.
    pub fn resume(config: &Config, earlier: &[(String, bool)]) -> Choices {
        let mut choices = Choices::fresh(config);
        for item in &mut choices.items {
            if let Some((_, granted)) = earlier.iter().find(|(id, _)| *id == item.id) {
                item.granted = item.required || *granted;
            }
        }
        choices
    }

    /// Flips an optional purpose; required purposes and unknown ids are left as they are.
    pub fn toggle(&mut self, id: &str) {
        self.set(id, !self.is_granted(id));
    }

    /// Sets an optional purpose; required purposes stay granted.
    pub fn set(&mut self, id: &str, granted: bool) {
        if let Some(item) = self.items.iter_mut().find(|c| c.id == id && !c.required) {
            item.granted = granted;
        }
    }

    /// Ticks every purpose.
    pub fn grant_all(&mut self) {
        self.items.iter_mut().for_each(|c| c.granted = true);
    }

    /// Unticks every optional purpose.
    pub fn required_only(&mut self) {
        self.items.iter_mut().for_each(|c| c.granted = c.required);
    }

    /// Whether the purpose is ticked.
    pub fn is_granted(&self, id: &str) -> bool {
        self.items.iter().any(|c| c.id == id && c.granted)
    }

    /// Every purpose's state, in config order.
    pub fn items(&self) -> &[Choice] {
        &self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::sample;

    #[test]
    fn optional_purposes_are_never_pre_ticked() {
        let c = Choices::fresh(&sample());
        assert!(c.is_granted("service"));
        assert!(!c.is_granted("marketing"));
    }

    #[test]
    fn required_purpose_cannot_be_unticked() {
        let mut c = Choices::fresh(&sample());
        c.toggle("service");
        c.set("service", false);
        c.required_only();
        assert!(c.is_granted("service"));
    }

    #[test]
    fn optional_purpose_toggles_both_ways() {
        let mut c = Choices::fresh(&sample());
        c.toggle("marketing");
        assert!(c.is_granted("marketing"));
        c.toggle("marketing");
        assert!(!c.is_granted("marketing"));
        c.toggle("no-such-purpose");
        assert_eq!(c, Choices::fresh(&sample()));
    }

    #[test]
    fn resume_keeps_earlier_grants_and_leaves_new_purposes_unticked() {
        let c = Choices::resume(&sample(), &[("marketing".into(), true), ("gone".into(), true)]);
        assert!(c.is_granted("marketing"));
        let c = Choices::resume(&sample(), &[("service".into(), false)]);
        assert!(c.is_granted("service"), "a required purpose is always granted");
        assert!(!c.is_granted("marketing"));
    }
}
