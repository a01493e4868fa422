#!/usr/bin/env python3
"""extract-vmlinux.py BZIMAGE OUT - writes the uncompressed kernel (an ELF
vmlinux) held in a bzImage, for the two-level guest suite: qemu boots it
through its PVH entry with no decompression, which under two levels of
emulation saves most of the inner guest's boot. Knows the compressions
Python reads by itself (xz, gzip, bzip2, lzma); exits 1 when none gives an
ELF image. Runs on the machine that prepares the guests; touches nothing
else."""
import bz2
import lzma
import sys
import zlib

MAGICS = [
    (b"\xfd7zXZ\x00", lambda d: lzma.LZMADecompressor().decompress(d)),
    (b"\x1f\x8b\x08", lambda d: zlib.decompressobj(16 + zlib.MAX_WBITS)
     .decompress(d)),
    (b"BZh", lambda d: bz2.BZ2Decompressor().decompress(d)),
    (b"\x5d\x00\x00", lambda d: lzma.LZMADecompressor(lzma.FORMAT_ALONE)
     .decompress(d)),
]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data = open(sys.argv[1], "rb").read()
    for magic, unpack in MAGICS:
        at = data.find(magic)
        while at >= 0:
            try:
                out = unpack(data[at:])
            except (lzma.LZMAError, zlib.error, OSError, EOFError):
                out = b""
            if out.startswith(b"\x7fELF"):
                with open(sys.argv[2], "wb") as f:
                    f.write(out)
                return
            at = data.find(magic, at + 1)
    sys.exit("extract-vmlinux: no ELF kernel found in %s" % sys.argv[1])


if __name__ == "__main__":
    main()
