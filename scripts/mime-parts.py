#!/usr/bin/env python3
"""An independent decoder for the corpus test (crates/mailbox/tests/corpus.rs): reads
messages framed as <u64 little-endian length><bytes> from the file named on the command
line and prints, for each, its index and the sha256 of every leaf part's decoded bytes
as Python's `email` package gives them (get_payload(decode=True): the transfer encoding
undone, nothing else), comma-separated; or "structure" when the MIME structure itself is
broken (a boundary not found, a multipart without one), where parsers may split
differently and there is nothing to compare; or "undecodable" when Python cannot undo a
part's base64 and hands back the encoded text instead, or a quoted-printable part has an
`=` that starts no escape (decoders legitimately differ on what that means)."""
import email
import hashlib
import re
import struct
import sys
from email import errors

BROKEN = (
    errors.StartBoundaryNotFoundDefect,
    errors.CloseBoundaryNotFoundDefect,
    errors.NoBoundaryInMultipartDefect,
    errors.MultipartInvariantViolationDefect,
    errors.FirstHeaderLineIsContinuationDefect,
)
UNDECODABLE = (errors.InvalidBase64LengthDefect, errors.InvalidBase64CharactersDefect)
BAD_QP = re.compile(rb"=(?![0-9A-Fa-f]{2}|[ \t]*\r?\n|[ \t]*$)")


def bad_quoted_printable(part):
    if str(part.get("content-transfer-encoding", "")).strip().lower() != "quoted-printable":
        return False
    raw = part.get_payload(decode=False)
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    return isinstance(raw, bytes) and BAD_QP.search(raw) is not None


def main():
    with open(sys.argv[1], "rb") as fh:
        index = 0
        while True:
            head = fh.read(8)
            if len(head) < 8:
                break
            (n,) = struct.unpack("<Q", head)
            raw = fh.read(n)
            hashes = []
            try:
                msg = email.message_from_bytes(raw)
                for part in msg.walk():
                    if any(isinstance(d, BROKEN) for d in part.defects):
                        hashes = ["structure"]
                        break
                    if part.is_multipart():
                        continue
                    payload = part.get_payload(decode=True)
                    if any(isinstance(d, UNDECODABLE) for d in part.defects) or bad_quoted_printable(part):
                        hashes = ["undecodable"]
                        break
                    if isinstance(payload, bytes):
                        hashes.append(hashlib.sha256(payload).hexdigest())
            except Exception as e:  # a message Python cannot read: reported, not fatal
                hashes = ["error:" + type(e).__name__]
            sys.stdout.write(f"{index}\t{','.join(hashes)}\n")
            index += 1


if __name__ == "__main__":
    main()
