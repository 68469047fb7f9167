#!/usr/bin/env python3
"""Writes the mail-parsing fixtures under crates/mail/tests/fixtures/ and their
expectations (expected.tsv: the parts, names, types and sha256 of the decoded bytes a
mail client would give). Deterministic: running it again gives the same files.

Run from the repository root: python3 scripts/mail-fixtures.py
"""
import base64
import hashlib
import os
import quopri
import struct
import zlib

OUT = os.path.join(os.path.dirname(__file__), "..", "crates", "mail", "tests", "fixtures")
rows = []


def sha(b):
    return hashlib.sha256(b).hexdigest()


def att(f, name, ctype, data, inline=False):
    rows.append(("A", f, name, ctype, "1" if inline else "0", sha(data)))


def expect(kind, f, value):
    rows.append((kind, f, value))


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as fh:
        fh.write(data)


def b64(data):
    s = base64.b64encode(data)
    return b"\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def pseudo(n, seed):
    out = bytearray()
    x = seed
    while len(out) < n:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append((x >> 16) & 0xFF)
    return bytes(out)


HEAD = (b"From: Lena Berg <lena@example.de>\r\nTo: sales@example.test\r\n"
        b"Date: Tue, 03 Mar 2026 09:12:00 +0100\r\nMIME-Version: 1.0\r\n")

# 1. An ISO-8859-1 .txt (747 bytes) and a text/rtf part holding binary: the bytes as sent.
f = "latin1-and-rtf-attachments.eml"
latin = ("Preisliste Frühjahr – Größen und Maße\n".replace("–", "-") * 40).encode("iso-8859-1")[:747]
rtf = b"{\\rtf1\\ansi " + pseudo(400, 7) + b"}"
msg = HEAD + b"Subject: Preisliste\r\nMessage-ID: <p1@example.de>\r\n" \
    b"Content-Type: multipart/mixed; boundary=\"=_outer\"\r\n\r\n" \
    b"--=_outer\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAnbei die Preisliste.\r\n" \
    b"--=_outer\r\nContent-Type: text/plain; charset=iso-8859-1; name=\"preisliste.txt\"\r\n" \
    b"Content-Transfer-Encoding: quoted-printable\r\nContent-Disposition: attachment; filename=\"preisliste.txt\"\r\n\r\n" \
    + quopri.encodestring(latin.replace(b"\n", b"\r\n")) + b"\r\n" \
    b"--=_outer\r\nContent-Type: text/rtf; name=\"bericht.rtf\"\r\nContent-Transfer-Encoding: base64\r\n" \
    b"Content-Disposition: attachment; filename=\"bericht.rtf\"\r\n\r\n" + b64(rtf) + b"\r\n--=_outer--\r\n"
write(f, msg)
att(f, "preisliste.txt", "text/plain; charset=iso-8859-1", latin.replace(b"\n", b"\r\n"))
att(f, "bericht.rtf", "text/rtf", rtf)
expect("T", f, "Anbei die Preisliste.")

# 2. A part whose headers run straight into the base64 body (no blank line).
f = "no-blank-line-after-headers.eml"
pdf = b"%PDF-1.4\n" + pseudo(3750 - 9, 11)
msg = HEAD + b"Subject: Katalog\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" \
    b"--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThe catalogue.\r\n" \
    b"--b1\r\nContent-Type: application/pdf; name=\"katalog.pdf\"\r\nContent-Transfer-Encoding: base64\r\n" \
    b"Content-Disposition: attachment; filename=\"katalog.pdf\"\r\n" + b64(pdf) + b"\r\n--b1--\r\n"
write(f, msg)
att(f, "katalog.pdf", "application/pdf", pdf)
expect("T", f, "The catalogue.")


def uuencode(name, data):
    out = [b"begin 644 " + name.encode()]
    for i in range(0, len(data), 45):
        chunk = data[i:i + 45]
        line = bytes([32 + len(chunk)])
        chunk += b"\0" * (-len(chunk) % 3)
        for j in range(0, len(chunk), 3):
            a, b_, c = chunk[j:j + 3]
            for v in (a >> 2, ((a & 3) << 4) | (b_ >> 4), ((b_ & 15) << 2) | (c >> 6), c & 63):
                line += bytes([v + 32 if v else 96])
        out.append(line)
    out += [b"`", b"end"]
    return b"\r\n".join(out) + b"\r\n"


# 3. Outlook Express: a uuencoded block in the text body, and an x-uuencode part.
f = "outlook-express-uuencode.eml"
jpg = b"\xff\xd8\xff\xe0" + pseudo(1000, 3)
bin_ = pseudo(300, 5)
msg = HEAD + b"Subject: Fotos\r\nX-Mailer: Microsoft Outlook Express 6.00.2900.5512\r\n" \
    b"Content-Type: multipart/mixed; boundary=\"----=_NextPart_000\"\r\n\r\n" \
    b"------=_NextPart_000\r\nContent-Type: text/plain; charset=\"gb2312\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" \
    b"Hello, the photo:\r\n\r\n" + uuencode("photo.jpg", jpg) + b"\r\nRegards\r\n" \
    b"------=_NextPart_000\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n" \
    b"Content-Transfer-Encoding: x-uuencode\r\nContent-Disposition: attachment; filename=\"data.bin\"\r\n\r\n" \
    + uuencode("data.bin", bin_) + b"\r\n------=_NextPart_000--\r\n"
write(f, msg)
att(f, "data.bin", "application/octet-stream", bin_)
att(f, "photo.jpg", "image/jpeg", jpg)
expect("T", f, "Hello, the photo:")
expect("T", f, "Regards")
expect("N", f, "begin 644")


def yenc(name, data):
    enc = bytearray()
    lines = []
    for byte in data:
        v = (byte + 42) & 0xFF
        if v in (0, 10, 13, 61):
            enc += bytes([61, (v + 64) & 0xFF])
        else:
            enc.append(v)
        if len(enc) >= 128:
            lines.append(bytes(enc))
            enc = bytearray()
    if enc:
        lines.append(bytes(enc))
    crc = zlib.crc32(data) & 0xFFFFFFFF
    return (b"=ybegin line=128 size=%d name=%s\r\n" % (len(data), name.encode())
            + b"\r\n".join(lines) + b"\r\n=yend size=%d crc32=%08x\r\n" % (len(data), crc))


# 4. yEnc in an 8-bit text body.
f = "yenc-in-text.eml"
data = bytes(range(256)) * 3
msg = HEAD + b"Subject: yEnc\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" \
    b"Here is the file.\r\n" + yenc("table.bin", data) + b"Bye\r\n"
write(f, msg)
att(f, "table.bin", "application/octet-stream", data)
expect("T", f, "Here is the file.")
expect("N", f, "=ybegin")

HQX = b"!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr"


def crc16(data):
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def binhex(name, data):
    head = bytes([len(name)]) + name.encode() + b"\0" + b"TEXTttxt" + b"\0\0" + struct.pack(">II", len(data), 0)
    raw = head + struct.pack(">H", crc16(head)) + data + struct.pack(">H", crc16(data)) + struct.pack(">H", 0)
    esc = raw.replace(b"\x90", b"\x90\x00")
    bits, acc, out = 0, 0, bytearray()
    for byte in esc:
        acc = (acc << 8) | byte
        bits += 8
        while bits >= 6:
            bits -= 6
            out.append(HQX[(acc >> bits) & 63])
        acc &= (1 << bits) - 1
    if bits:
        out.append(HQX[(acc << (6 - bits)) & 63])
    s = bytes(out)
    return b"\r\n".join(s[i:i + 64] for i in range(0, len(s), 64))


# 5. BinHex 4.0 from an old Mac mailer.
f = "binhex-in-text.eml"
note = b"Order list from the Mac\r\n\x90 special\r\n" + pseudo(200, 9)
msg = HEAD + b"Subject: BinHex\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nAttached.\r\n\r\n" \
    b"(This file must be converted with BinHex 4.0)\r\n:" + binhex("order.txt", note) + b":\r\n"
write(f, msg)
att(f, "order.txt", "text/plain", note)
expect("T", f, "Attached.")
expect("N", f, "BinHex 4.0")


def rtf_compressed(rtf):
    body = bytearray()
    for i in range(0, len(rtf), 8):
        body.append(0)  # eight literals
        body += rtf[i:i + 8]
    crc = (~zlib.crc32(bytes(body), 0xFFFFFFFF)) & 0xFFFFFFFF
    return struct.pack("<IIII", len(body) + 12, len(rtf), 0x75465A4C, crc) + bytes(body)


def tnef(files, rtf):
    def attr(level, aid, data):
        return bytes([level]) + struct.pack("<II", aid, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)

    def prop(kind, pid, value):
        pad = b"\0" * (-len(value) % 4)
        return struct.pack("<HHII", kind, pid, 1, len(value)) + value + pad

    out = struct.pack("<IH", 0x223E9F78, 1)
    out += attr(1, 0x00069007, struct.pack("<II", 1252, 0))
    out += attr(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")
    out += attr(1, 0x00069003, struct.pack("<I", 1) + prop(0x0102, 0x1009, rtf_compressed(rtf)))
    for name, data in files:
        out += attr(2, 0x00069002, b"\x01\x00\xff\xff\xff\xff\x01\x00\x01\x00\x00\x00\x00\x00")
        out += attr(2, 0x00018010, b"SHORT~1.DAT\0")
        out += attr(2, 0x0006800F, data)
        wide = (name + "\0").encode("utf-16-le")
        out += attr(2, 0x00069005, struct.pack("<I", 1) + prop(0x001F, 0x3707, wide))
    return out


# 6. Outlook's winmail.dat with the body in compressed RTF and two files.
f = "outlook-winmail-tnef.eml"
offer = b"%PDF-1.5\n" + pseudo(900, 13)
sheet = b"PK\x03\x04" + pseudo(500, 17)
rtf_body = b"{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0\\fswiss Arial;}}\\f0\\fs20 Dear customer,\\par please find our offer attached.\\par Gr\\'fc\\'dfe}"
dat = tnef([("Angebot 2026.pdf", offer), ("Preisliste März.xlsx", sheet)], rtf_body)
msg = HEAD + b"Subject: Angebot\r\nContent-Type: multipart/mixed; boundary=\"tnef\"\r\n\r\n" \
    b"--tnef\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\nContent-Transfer-Encoding: base64\r\n" \
    b"Content-Disposition: attachment; filename=\"winmail.dat\"\r\n\r\n" + b64(dat) + b"\r\n--tnef--\r\n"
write(f, msg)
att(f, "winmail.dat", "application/ms-tnef", dat)
att(f, "body.rtf", "application/rtf", rtf_body)
att(f, "Angebot 2026.pdf", "application/pdf", offer)
att(f, "Preisliste März.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", sheet)
expect("T", f, "Dear customer,")
expect("T", f, "Grüße")

# 7. MHTML saved by a browser: multipart/related without start.
f = "saved-page-related-no-start.mht"
logo = b"\x89PNG\r\n\x1a\n" + pseudo(300, 19)
photo = b"GIF89a" + pseudo(200, 23)
terms = b"%PDF-1.3\n" + pseudo(250, 29)
html = (b"<html><body><h1>Spring catalogue</h1><img src=\"cid:photo@example\">"
        b"<img src=\"http://www.example.de/images/logo.png\"></body></html>")
msg = b"From: <Saved by Windows Internet Explorer 8>\r\nSubject: Spring catalogue\r\n" \
    b"Date: Tue, 3 Mar 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n" \
    b"Content-Type: multipart/related; type=\"text/html\"; boundary=\"----=_NextPart_01\"\r\n\r\n" \
    b"------=_NextPart_01\r\nContent-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n" \
    b"Content-Location: http://www.example.de/catalogue.html\r\n\r\n" + quopri.encodestring(html) + b"\r\n" \
    b"------=_NextPart_01\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <photo@example>\r\n" \
    b"Content-Location: http://www.example.de/images/photo.gif\r\n\r\n" + b64(photo) + b"\r\n" \
    b"------=_NextPart_01\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n" \
    b"Content-Location: http://www.example.de/images/logo.png\r\n\r\n" + b64(logo) + b"\r\n" \
    b"------=_NextPart_01\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n" \
    b"Content-Location: http://www.example.de/files/terms.pdf\r\n\r\n" + b64(terms) + b"\r\n------=_NextPart_01--\r\n"
write(f, msg)
att(f, "photo.gif", "image/gif", photo, inline=True)
att(f, "logo.png", "image/png", logo, inline=True)
att(f, "terms.pdf", "application/pdf", terms)
expect("H", f, "Spring catalogue</h1>")
expect("H", f, "src=\"cid:http://www.example.de/images/logo.png\"")
expect("T", f, "Spring catalogue")

# 8. multipart/related whose start names the second part.
f = "related-with-start.eml"
root = b"<html><body><p>The real body</p><img src=\"cid:chart@x\"></body></html>"
chart = b"\x89PNG\r\n\x1a\n" + pseudo(100, 31)
msg = HEAD + b"Subject: Related\r\nContent-Type: multipart/related; boundary=\"r\"; type=\"text/html\"; start=\"<root@x>\"\r\n\r\n" \
    b"--r\r\nContent-Type: image/png; name=\"chart.png\"\r\nContent-ID: <chart@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(chart) + b"\r\n" \
    b"--r\r\nContent-Type: text/html; charset=utf-8\r\nContent-ID: <root@x>\r\n\r\n" + root + b"\r\n--r--\r\n"
write(f, msg)
att(f, "chart.png", "image/png", chart, inline=True)
expect("H", f, "The real body")

# 9. Raw 8-bit Latin-1 headers, body declared ISO-8859-1.
f = "raw-latin1-headers.eml"
msg = ("From: Jürgen Müller <jm@example.de>\r\nTo: sales@example.test\r\nSubject: Frösche und Grüße\r\n"
       "Date: Tue, 03 Mar 2026 09:12:00 +0100\r\nMIME-Version: 1.0\r\n"
       "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
       "Schöne Grüße aus Köln\r\n").encode("iso-8859-1")
write(f, msg)
expect("S", f, "Frösche und Grüße")
expect("F", f, "Jürgen Müller")
expect("T", f, "Schöne Grüße aus Köln")

# 10. Undeclared Big5 and EUC-KR (raw headers and body, no charset anywhere).
for f, enc, subject, text, name in [
    ("undeclared-big5.eml", "big5", "訂購確認：養樂多線上訂購", "您好，感謝您的訂購，我們將盡快為您出貨。", "陳小姐"),
    ("undeclared-euc-kr.eml", "euc-kr", "주문 확인 부탁드립니다", "안녕하세요. 주문하신 상품은 내일 발송됩니다. 감사합니다.", "김민수"),
]:
    msg = (f"From: {name} <shop@example.tw>\r\nTo: sales@example.test\r\nSubject: {subject}\r\n"
           "Date: Tue, 03 Mar 2026 09:12:00 +0800\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n" + text + "\r\n").encode(enc)
    write(f, msg)
    expect("S", f, subject)
    expect("F", f, name)
    expect("T", f, text)

# 11. File names: encoded-words folded inside quotes, Exchange's folded filename=,
# raw 8-bit Latin-1, RFC 2231 continuations.
f = "attachment-names.eml"
parts = [
    (b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"=?UTF-8?Q?Solidarno=C5=9B?=\r\n       =?UTF-8?Q?=C4=87.pdf?=\"\r\n",
     "Solidarność.pdf", "application/pdf", b"%PDF-1 a"),
    (b"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\nContent-Disposition: attachment; filename=\r\n\t\"=?utf-8?B?5oql5Lu35Y2VLnhsc3g=?=\"\r\n",
     "报价单.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04 b"),
    (b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Disposition: attachment; filename=\"Gr\xfc\xdfe aus K\xf6ln.txt\"\r\n",
     "Grüße aus Köln.txt", "text/plain; charset=iso-8859-1", b"Gr\xfc\xdfe\r\n"),
    (b"Content-Type: application/octet-stream\r\nContent-Disposition: attachment;\r\n filename*0*=utf-8''%E8%A8%82%E5%96%AE;\r\n filename*1=\"-2026.doc\"\r\n",
     "訂單-2026.doc", "application/octet-stream", b"\xd0\xcf\x11\xe0 d"),
]
msg = HEAD + b"Subject: Names\r\nContent-Type: multipart/mixed; boundary=\"n\"\r\n\r\n--n\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nFour files.\r\n"
for headers, name, ctype, data in parts:
    msg += b"--n\r\n" + headers + b"Content-Transfer-Encoding: base64\r\n\r\n" + b64(data) + b"\r\n"
    att(f, name, ctype, data)
msg += b"--n--\r\n"
write(f, msg)

# 12. The only part is base64 HTML and the closing boundary is missing (the parser
# sets it aside as an unnamed file); it is the body.
f = "outlook-express-html-only.eml"
page = b"<html><body><p>Our new price list is ready.</p></body></html>"
msg = HEAD + b"Subject: Prices\r\nX-Mailer: Microsoft Outlook Express 6.00.2600.0000\r\n" \
    b"Content-Type: multipart/mixed; boundary=\"----=_NextPart_000_00B2\"\r\n\r\n" \
    b"------=_NextPart_000_00B2\r\nContent-Type: text/html; charset=\"iso-8859-1\"\r\n" \
    b"Content-Transfer-Encoding: base64\r\n\r\n\r\n" + b64(page) + b"\r\n\r\n"
write(f, msg)
expect("H", f, "Our new price list is ready.")
expect("T", f, "Our new price list is ready.")

with open(os.path.join(OUT, "expected.tsv"), "w", encoding="utf-8") as fh:
    fh.write("# kind\tfile\tvalues (A: name, type, inline, sha256 of the decoded bytes; "
             "T/N: text has / has not; H: HTML has; S: subject; F: sender's name)\n")
    for r in rows:
        fh.write("\t".join(r) + "\n")
print(f"{len(rows)} expectations written")
