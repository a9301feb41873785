//! The `mydata` profile's OAuth rules, as the face decides them.

use crate::MydataState;
use finhub_core::oauth::Profile;
use finhub_oauth::ProfileAdapter;
use std::sync::Arc;

pub struct MydataAdapter {
    #[allow(dead_code)]
    state: MydataState,
}

impl ProfileAdapter for MydataAdapter {
    fn profile(&self) -> Profile {
        Profile::Mydata
    }
}

pub fn adapter(state: MydataState) -> Arc<dyn ProfileAdapter> {
    Arc::new(MydataAdapter { state })
}
