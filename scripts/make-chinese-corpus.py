#!/usr/bin/env python3
"""Writes a synthetic Chinese-heavy mbox for `wharf bench search`, built from the
Chinese manuals in ../shared/seeds (sentences shuffled into mail).

    scripts/make-chinese-corpus.py ../shared/seeds /tmp/zh/zh.mbox 20000

The same arguments give the same file (a fixed random seed). Bodies are UTF-8 or
GB18030, base64 or quoted-printable; subjects and some attachment names are encoded
words, as Chinese mail clients send them. Only for benchmarks: nothing here is a test.
"""
import base64
import email.utils
import pathlib
import quopri
import random
import re
import sys
import time


def sentences(seeds: pathlib.Path) -> list[str]:
    out = []
    for f in sorted(seeds.glob("*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        for s in re.split(r"(?<=[。！？!?])|\n", text):
            s = s.strip()
            if 6 <= len(s) <= 300:
                out.append(s)
    return out


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
PINYIN = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou"]
DOMAINS = ["example.cn", "example.com.cn", "trade.example", "buyer.example", "mail.example"]


def encoded_word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def message(rng: random.Random, pool: list[str], n: int) -> bytes:
    charset = rng.choices(["utf-8", "gb18030"], [7, 3])[0]
    transfer = rng.choices(["base64", "quoted-printable"], [8, 2])[0]
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", rng.choice(GIVEN)])
    addr = f"{rng.choice(PINYIN)}{rng.randint(1, 999)}@{rng.choice(DOMAINS)}"
    subject = rng.choice(pool)[:40]
    body = "\n\n".join(
        "".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
        for _ in range(rng.randint(2, 6))
    )
    when = 1_730_000_000 + rng.randint(0, 2 * 365 * 86_400)
    head = [
        f"From {addr} {time.strftime('%a %b %e %H:%M:%S %Y', time.gmtime(when))}",
        f"From: {encoded_word(name, charset)} <{addr}>",
        "To: sales@wharf.example",
        f"Subject: {encoded_word(subject, charset)}",
        f"Date: {email.utils.formatdate(when, localtime=False)}",
        f"Message-ID: <zh-{n}@bench.example>",
        "MIME-Version: 1.0",
    ]
    raw = body.encode(charset, errors="replace")
    payload = (
        base64.encodebytes(raw) if transfer == "base64" else quopri.encodestring(raw)
    ).decode("ascii")
    if not payload.endswith("\n"):
        payload += "\n"
    part = (
        f"Content-Type: text/plain; charset={charset}\n"
        f"Content-Transfer-Encoding: {transfer}\n\n{payload}"
    )
    if rng.random() < 0.2:
        file = rng.choice(pool)[:12] + rng.choice(["报价单.xlsx", "合同.pdf", "装箱单.doc"])
        attachment = base64.encodebytes(rng.randbytes(rng.randint(200, 2000))).decode()
        boundary = f"=_wharf_{n}"
        head.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
        text = (
            f"\n--{boundary}\n{part}\n--{boundary}\n"
            f'Content-Type: application/octet-stream; name="{encoded_word(file, "utf-8")}"\n'
            "Content-Transfer-Encoding: base64\n"
            f'Content-Disposition: attachment; filename="{encoded_word(file, "utf-8")}"\n\n'
            f"{attachment}\n--{boundary}--\n"
        )
    else:
        text = part
        head = head + part.split("\n\n", 1)[0].split("\n")
        text = "\n" + part.split("\n\n", 1)[1]
    mail = "\n".join(head) + "\n" + text
    # mboxrd: a body line starting with "From " (or ">From ") gets one more ">".
    mail = re.sub(r"(?m)^(>*From )", r">\1", mail.split("\n", 1)[1])
    return (head[0] + "\n" + mail + "\n").encode("ascii")


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    seeds, out, count = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
    pool = sentences(seeds)
    if not pool:
        sys.exit(f"no sentences under {seeds}")
    rng = random.Random(1)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        for n in range(count):
            f.write(message(rng, pool, n))
    print(f"{count} messages, {out.stat().st_size / 1_048_576:.1f} MB, in {out}")


if __name__ == "__main__":
    main()
