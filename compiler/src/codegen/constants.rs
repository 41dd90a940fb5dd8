//! Read-only data: string literals, deduplicated per object file.

use cranelift_module::{DataDescription, DataId, Linkage, Module};
use cranelift_object::ObjectModule;
use std::collections::HashMap;

/// String literal contents, each declared once as a local read-only data object.
#[derive(Default)]
pub struct StringTable {
    ids: HashMap<Vec<u8>, DataId>,
    pending: Vec<(DataId, Vec<u8>)>,
}

impl StringTable {
    /// The data object holding `bytes`, declaring it on first use.
    pub fn intern(&mut self, module: &mut ObjectModule, bytes: &[u8]) -> Result<DataId, String> {
        if let Some(&id) = self.ids.get(bytes) {
            return Ok(id);
        }
        let name = format!("go.string.{}", self.ids.len());
        let id = module
            .declare_data(&name, Linkage::Local, false, false)
            .map_err(|e| format!("declaring {name}: {e}"))?;
        self.ids.insert(bytes.to_vec(), id);
        self.pending.push((id, bytes.to_vec()));
        Ok(id)
    }

    /// Defines the contents of every interned string.
    pub fn define_all(&mut self, module: &mut ObjectModule) -> Result<(), String> {
        for (id, bytes) in self.pending.drain(..) {
            let mut desc = DataDescription::new();
            desc.define(bytes.into_boxed_slice());
            module.define_data(id, &desc).map_err(|e| format!("defining string data: {e}"))?;
        }
        Ok(())
    }
}
