#!/usr/bin/env python3
"""Cuts the embedded Fashion-MNIST sample out of the full set.

Writes the first TRAIN_COUNT training and TEST_COUNT test images and labels as gzip IDX files
(same names as the full set) into the cli module's resources. The gzip timestamp is fixed, so
running it again gives the same bytes. Usage, from anywhere:

    python3 cli/scripts/make-sample.py [SOURCE_DIR]

SOURCE_DIR defaults to Debian's /usr/share/datasets/fashion-mnist (package
dataset-fashion-mnist). Standard library only.
"""
import gzip
import pathlib
import struct
import sys

TRAIN_COUNT = 6000
TEST_COUNT = 1000
SETS = [
    ("train-images-idx3-ubyte.gz", TRAIN_COUNT),
    ("train-labels-idx1-ubyte.gz", TRAIN_COUNT),
    ("t10k-images-idx3-ubyte.gz", TEST_COUNT),
    ("t10k-labels-idx1-ubyte.gz", TEST_COUNT),
]
HERE = pathlib.Path(__file__).resolve().parent
TARGET = HERE.parent / "src/main/resources/dev/nonlinear/cli/sample"


def cut(source, target, count):
    """Copies the header with the count replaced, then the first `count` elements."""
    with gzip.open(source, "rb") as f:
        raw = f.read()
    magic, = struct.unpack(">i", raw[:4])
    rank = magic & 0xFF
    dims = list(struct.unpack(">" + "i" * rank, raw[4:4 + 4 * rank]))
    if magic >> 8 != 0x08 or dims[0] < count:
        sys.exit(f"{source}: not an unsigned-byte IDX file with at least {count} items")
    per_item = 1
    for size in dims[1:]:
        per_item *= size
    header_size = 4 + 4 * rank
    body = raw[header_size:header_size + count * per_item]
    header = struct.pack(">i", magic) + struct.pack(">" + "i" * rank, count, *dims[1:])
    with open(target, "wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as z:
            z.write(header + body)
    print(f"{target.name}: {count} items, {target.stat().st_size:,} bytes")


def main():
    source_dir = pathlib.Path(sys.argv[1] if len(sys.argv) > 1
                              else "/usr/share/datasets/fashion-mnist")
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, count in SETS:
        cut(source_dir / name, TARGET / name, count)


if __name__ == "__main__":
    main()
