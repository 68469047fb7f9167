//! message/partial: the three pieces of `fixtures/partial/` (named so that they are
//! found out of order) put back together are the whole message of
//! `fixtures/expected/partial/whole.eml`.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use wharf_mail::partial::{partial_info, reassemble};

#[test]
fn three_pieces_out_of_order_make_the_whole_message() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pieces: Vec<Vec<u8>> = ["a-piece3.eml", "b-piece2.eml", "c-piece1.eml"]
        .iter()
        .map(|n| std::fs::read(dir.join("partial").join(n)).unwrap())
        .collect();
    assert_eq!(
        reassemble(&pieces.iter().map(Vec::as_slice).collect::<Vec<_>>()),
        None
    );
    pieces.sort_by_key(|p| partial_info(p).unwrap().number);
    let refs: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
    let whole = reassemble(&refs).unwrap();
    let want = std::fs::read(dir.join("expected/partial/whole.eml")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&whole),
        String::from_utf8_lossy(&want)
    );
    assert_eq!(reassemble(&refs[..2]), None);
}
