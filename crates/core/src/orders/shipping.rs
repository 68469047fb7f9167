//! Shipping as followed on the order: ETD / ETA, ports, carrier, B/L and container numbers.

use crate::validate::FieldErrors;
use crate::zone::Day;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShippingInput {
    pub etd: Option<Day>,
    pub eta: Option<Day>,
    pub port_loading: String,
    pub port_destination: String,
    pub carrier: String,
    pub bl_number: String,
    /// Container numbers, one per line or comma separated; kept as entered, cleaned.
    pub containers: String,
}

const MAX_PORT: usize = 120;
const MAX_CARRIER: usize = 120;
const MAX_BL: usize = 60;
const MAX_CONTAINERS: usize = 2_000;

impl ShippingInput {
    /// Checks the texts; an ETA before the ETD is refused.
    pub fn validate(mut self, e: &mut FieldErrors) -> ShippingInput {
        self.port_loading = e.text("port_loading", &self.port_loading, false, MAX_PORT);
        self.port_destination = e.text("port_destination", &self.port_destination, false, MAX_PORT);
        self.carrier = e.text("carrier", &self.carrier, false, MAX_CARRIER);
        self.bl_number = e.text("bl_number", &self.bl_number, false, MAX_BL);
        self.containers = e.text_block("containers", &self.containers, false, MAX_CONTAINERS);
        if let (Some(etd), Some(eta)) = (self.etd, self.eta)
            && eta < etd
        {
            e.add("eta", "eta_before_etd");
        }
        self
    }

    /// The container numbers one by one.
    pub fn container_list(&self) -> Vec<&str> {
        self.containers
            .split([',', '\n', ';'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_follows_etd_and_containers_split() {
        let mut e = FieldErrors::default();
        let s = ShippingInput {
            etd: Day::new(2026, 12, 10),
            eta: Day::new(2026, 12, 9),
            containers: "MSKU1234567, TGHU7654321\nMSKU0000001".into(),
            ..ShippingInput::default()
        }
        .validate(&mut e);
        assert_eq!(e.get("eta"), Some("eta_before_etd"));
        assert_eq!(s.container_list().len(), 3);
    }
}
