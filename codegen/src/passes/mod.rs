//! Rewrites of progenitor's output, each one `syn` pass over the parsed
//! file, run in this order by [`run`].

use serde_json::Value;

use crate::type_names::TypeIndex;

mod conversion_messages;
mod doc_comments;
mod exact_nullable_decoding;

/// Runs every pass over `file`, generated from the spec document `doc`.
pub(crate) fn run(file: &mut syn::File, doc: &Value) {
    let types = TypeIndex::new(doc);
    // Conversion errors name the spec field (`UpdatePackRequest.name: …`).
    conversion_messages::rewrite(file, &types);
    // Every public item gets a doc comment (the client denies missing_docs).
    doc_comments::add(file, doc, &types);
    // `Option<Nullable<T>>` fields decode a present `null` as `Some(Null)`.
    exact_nullable_decoding::add(file);
}
