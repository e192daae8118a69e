"""Turning mail bytes into text whatever the sender declared, or failed to declare.

Mail in the wild names charsets Python does not know, declares none for 8-bit text, or puts
raw koi8-r/cp1251 bytes in headers. Nothing here raises: a wrong guess shows odd letters, an
exception would lose the message.
"""

from __future__ import annotations

import codecs

# Names mail programs use that Python spells differently (or not at all).
ALIASES = {
    "x-unknown": "",
    "unknown-8bit": "",
    "x-user-defined": "",
    "windows-1251": "cp1251",
    "win-1251": "cp1251",
    "x-cp1251": "cp1251",
    "cp-1251": "cp1251",
    "koi8r": "koi8-r",
    "x-koi8-r": "koi8-r",
    "ks_c_5601-1987": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}


def codec_for(name: str | None) -> str | None:
    """Python's codec for a declared charset, None when there is no usable one."""
    if not name:
        return None
    name = name.strip().strip('"').lower()
    name = ALIASES.get(name, name)
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def guess_cyrillic(data: bytes) -> str:
    """cp1251 or koi8-r for undeclared 8-bit text: running text is mostly lower-case, which
    cp1251 puts at 0xE0-0xFF and koi8-r at 0xC0-0xDF."""
    high = sum(1 for b in data if b >= 0xE0)
    low = sum(1 for b in data if 0xC0 <= b < 0xE0)
    return "cp1251" if high >= low else "koi8-r"


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    codec = codec_for(declared)
    if codec is not None:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if codec is not None:
        return data.decode(codec, errors="replace")
    if sum(1 for b in data if b >= 0xC0) * 4 >= sum(1 for b in data if b >= 0x80) * 3:
        return data.decode(guess_cyrillic(data), errors="replace")
    return data.decode("latin-1")


def fix_surrogates(text: str, declared: str | None = None) -> str:
    """The email package keeps undecodable header bytes as surrogates: decode them properly."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    try:
        data = text.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="replace").decode("utf-8", errors="replace")
    return decode_bytes(data, declared)
