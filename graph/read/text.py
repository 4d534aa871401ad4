"""Bytes of a text file to text: the encodings documents of the genre come in, binary refused.

Apart from the reader so that the HTML reader can use it too without importing the reader
(which imports the format readers: a cycle).
"""

from __future__ import annotations

from graph.errors import UnreadableDocument


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252, else latin-1.

    Windows-1252 comes before latin-1 because text saved on Windows uses 0x80-0x9F for curly
    quotes and dashes, which latin-1 would turn into control characters. Text that is mostly
    control characters is binary whatever its bytes decode to.

    >>> decode("“Trade” – MSMEs".encode("cp1252"), "x.txt")
    '“Trade” – MSMEs'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise UnreadableDocument(f"{source}: invalid UTF-16 text ({err.reason})") from err
    elif b"\x00" in data[:4096]:
        raise UnreadableDocument(f"{source}: looks like a binary file, not text")
    else:
        text = _decode_8bit(data)
    sample = text[:4096]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    if sample and controls > 0.3 * len(sample):
        raise UnreadableDocument(f"{source}: looks like a binary file, not text")
    return text


def _decode_8bit(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
